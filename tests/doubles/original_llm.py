"""The LLM server double answering the original SS's prompts, for side-by-side runs.

The original SS (Leeky1017/SS) sends each LLM call as one plain-text user message on the
OpenAI chat wire and parses JSON out of the answer. Four kinds of prompt reach it in a
journey; this responder tells them apart by markers in the prompt text and answers each with
JSON of the shape the prompt asks for:

- family selection (``CANONICAL_FAMILY_IDS:`` line): the first listed family whose id reads
  like a linear regression, else the first one;
- template selection (``CANDIDATE_TEMPLATE_IDS:`` line): the first candidate;
- draft (``OUTPUT_SCHEMA (v2)``): outcome ``wage``, treatment ``educ``, control ``exper``,
  clustered by ``firm`` when those columns are offered (the journey CSV of
  ``benchmarks/compare.py``);
- anything else (plan generation, the report): an empty JSON object, which the original
  treats as an unusable answer and replaces with its own rule-based result.

Run it as ``python -m tests.doubles.original_llm --port 8091`` and point the original at
``http://127.0.0.1:8091/v1`` (``SS_LLM_PROVIDER=openai``, any ``SS_LLM_API_KEY``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.doubles.llm_server import RecordedRequest, Reply, ScriptedLLMServer, chat_completion

JOURNEY_ROLES = {"outcome_var": "wage", "treatment_var": "educ", "controls": ["exper"],
                 "cluster_var": "firm"}
_LINEAR = re.compile(r"regress|linear|ols", re.IGNORECASE)


def _listed(prompt: str, key: str) -> list[str]:
    for line in prompt.splitlines():
        if line.startswith(f"{key}:"):
            return [v.strip() for v in line.split(":", 1)[1].split(",") if v.strip()]
    return []


def _draft(prompt: str) -> dict[str, Any]:
    offered = set(re.findall(r'"([^"]+)"', prompt.split("COLUMN_CANDIDATES", 1)[-1]
                             .split("OUTPUT_SCHEMA", 1)[0]))

    def pick(name: str) -> str | None:
        return name if name in offered else None

    controls = [c for c in JOURNEY_ROLES["controls"] if c in offered]
    return {"schema_version": 2, "draft_text": "OLS of wage on educ, controlling for exper, "
            "standard errors clustered by firm.",
            "outcome_var": pick("wage"), "treatment_var": pick("educ"), "controls": controls,
            "time_var": None, "entity_var": None, "cluster_var": pick("firm"),
            "fixed_effects": [], "interaction_terms": [], "instrument_var": None,
            "analysis_hints": [], "default_overrides": {}}


def answer(prompt: str) -> dict[str, Any]:
    """The JSON answer to one of the original's prompts."""
    families = _listed(prompt, "CANONICAL_FAMILY_IDS")
    if families:
        chosen = next((f for f in families if _LINEAR.search(f)), families[0])
        return {"schema_version": 2, "families": [
            {"family_id": chosen, "reason": "linear model asked for", "confidence": 0.9}],
            "requires_combination": False, "combination_reason": "",
            "analysis_sequence": [chosen]}
    candidates = _listed(prompt, "CANDIDATE_TEMPLATE_IDS")
    if candidates:
        return {"schema_version": 2, "primary_template_id": candidates[0],
                "primary_reason": "first candidate", "primary_confidence": 0.9,
                "supplementary_templates": []}
    if "OUTPUT_SCHEMA (v2)" in prompt:
        return _draft(prompt)
    return {}


def reply(request: RecordedRequest) -> Reply:
    if request.method == "GET":
        return Reply(body={"object": "list", "data": [{"id": "ss-test-model", "object": "model"}]})
    messages = (request.body or {}).get("messages") or [{}]
    prompt = str(messages[-1].get("content") or "")
    return Reply(body=chat_completion(json.dumps(answer(prompt))))


def main() -> None:
    import argparse
    import contextlib
    import signal
    import threading

    parser = argparse.ArgumentParser(prog="python -m tests.doubles.original_llm")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ScriptedLLMServer(default=reply).start(port=args.port)
    print(f"{server.openai_base_url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
