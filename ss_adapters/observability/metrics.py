"""SS's own Prometheus metrics (HTTP request metrics come from Litestar's integration).

All live in prometheus_client's default registry, the one the ``/metrics`` endpoint exports.
Label values are bounded: template ids come from the library, outcomes and operations from
fixed lists.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

SLOW_BUCKETS = (0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200)
FAST_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120)

RUNS = Counter("ss_runs_finished_total", "Runs ended, by template and outcome",
               ["template", "outcome"])
RUN_SECONDS = Histogram("ss_run_duration_seconds",
                        "Claim to end of a run attempt, by template and outcome",
                        ["template", "outcome"], buckets=SLOW_BUCKETS)
QUEUE_WAIT = Histogram("ss_run_queue_wait_seconds", "Enqueue to first claim of a run",
                       buckets=SLOW_BUCKETS)
QUEUE_DEPTH = Gauge("ss_runs", "Runs by state (refreshed at every scrape)", ["state"],
                    multiprocess_mode="mostrecent")
STATA_SECONDS = Histogram("ss_stata_run_seconds", "Wall-clock time of Stata batch runs",
                          ["outcome"], buckets=SLOW_BUCKETS)
LLM_CALLS = Counter("ss_llm_calls_total", "LLM structured calls", ["operation", "outcome"])
LLM_SECONDS = Histogram("ss_llm_call_seconds", "LLM structured call latency (all attempts)",
                        ["operation", "outcome"], buckets=FAST_BUCKETS)
LLM_TOKENS = Counter("ss_llm_tokens_total", "LLM tokens reported by the provider",
                     ["operation", "kind"])
UPLOAD_BYTES = Histogram("ss_upload_bytes", "Bytes stored per upload request",
                         buckets=(1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 4e9))
UPLOAD_SECONDS = Histogram("ss_upload_seconds", "Upload request duration (parse and store)",
                           ["outcome"], buckets=FAST_BUCKETS)
