"""Run the SS benchmarks and write a Markdown report.

    python -m benchmarks.run [--quick | --tiny] [--backend embedded|pg-s3|both]
                             [--out benchmarks/RESULTS.md] [--json PATH]

Run it from the repository root. Each backend gets its own real `ssctl serve` process (see
``benchmarks/session.py``); temporary files are removed afterwards. ``--quick`` skips the
1 GB upload and sends fewer requests; ``--tiny`` is the smoke mode (seconds, figures
meaningless).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from benchmarks import (
    http_load,
    preview_latency,
    retrieval,
    server_cpu,
    staging,
    upload,
    worker_overhead,
)
from benchmarks.backends import BACKENDS, backend_env
from benchmarks.compare import Target, get_level
from benchmarks.machine import describe
from benchmarks.report import render
from benchmarks.session import SERVER_ENV, analyst, serving, succeeded_job
from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import stack_env


@dataclass
class Profile:
    name: str
    levels: list[int] = field(default_factory=lambda: [1, 16, 64])
    requests: int = 2000
    max_seconds: float = 20.0
    upload_mb: list[float] = field(default_factory=lambda: [10, 100, 1024])
    preview_rows: list[int] = field(default_factory=lambda: [10_000, 100_000, 1_000_000])
    preview_repeats: int = 5
    worker_mb: list[float] = field(default_factory=lambda: [1, 10])
    worker_reps: int = 3
    retrieval_reps: int = 50
    staging_mib: list[float] = field(default_factory=lambda: [5, 27])
    # GET capacity with wrk (when installed): the Python load client caps far below it
    wrk_clients: list[int] = field(default_factory=lambda: [1, 16, 64])
    wrk_seconds: float = 5.0


PROFILES = {
    "full": Profile("full"),
    "quick": Profile("quick", requests=500, max_seconds=10, upload_mb=[10, 100],
                     preview_repeats=3, worker_reps=2, retrieval_reps=20),
    "tiny": Profile("tiny", levels=[1, 4], requests=20, max_seconds=5, upload_mb=[0.2],
                    preview_rows=[1000], preview_repeats=2, worker_mb=[0.05], worker_reps=1,
                    retrieval_reps=1, staging_mib=[0.2], wrk_clients=[1, 4], wrk_seconds=1),
}


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_backend(kind: str, profile: Profile, tmp: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with backend_env(kind) as extra:
        with serving(tmp / "stack", extra) as server:
            assert server.proc is not None
            out["idle_rss_mib"] = idle_rss_mib(server.proc.pid)
            _log(f"{kind}: endpoints at {profile.levels} clients")
            out["http"] = http_load.run(server.base_url, tmp, profile.levels, profile.requests,
                                        profile.max_seconds)
            _log(f"{kind}: server CPU per request")
            with httpx.Client(base_url=server.base_url, timeout=60) as client:
                job = succeeded_job(client, tmp)  # the job both GET measurements read
            out["server_cpu"] = cpu_per_request(server.base_url, server.proc.pid, job, profile)
            if shutil.which("wrk"):
                _log(f"{kind}: job status and artifacts index with wrk")
                out["wrk"] = wrk_capacity(server.base_url, server.proc.pid, job, profile)
            _log(f"{kind}: preview latency for {profile.preview_rows} rows")
            out["preview"] = preview_latency.run(server.base_url, tmp, profile.preview_rows,
                                                 profile.preview_repeats)
            _log(f"{kind}: uploads of {profile.upload_mb} MB")
            out["upload"] = upload.run(server.base_url, server.proc.pid, tmp, profile.upload_mb)
        _log(f"{kind}: worker overhead for {profile.worker_mb} MB")
        out["worker"] = worker_figures(extra, tmp, profile.worker_mb, profile.worker_reps)
    return out


def worker_figures(extra: dict[str, str], tmp: Path, sizes_mb: list[float],
                   reps: int) -> list[dict[str, Any]]:
    """``worker_overhead.run`` on the backend ``extra`` names, with the scripted LLM."""
    llm = ScriptedLLMServer(default=analyst().reply).start()
    try:
        work = tmp / "worker"
        (work / "ado").mkdir(parents=True, exist_ok=True)
        env = stack_env(work, llm, **SERVER_ENV, **extra)
        return worker_overhead.run(env, tmp, sizes_mb, reps)
    finally:
        llm.stop()


VERSIONED = ("litestar", "uvicorn", "httptools", "msgspec", "SQLAlchemy", "aiosqlite",
             "asyncpg", "alembic", "pandas", "numpy", "pyreadstat", "openpyxl", "aioboto3",
             "httpx", "python-multipart", "prometheus_client", "structlog")


def versions() -> dict[str, str]:
    """Installed versions of what the figures depend on."""
    found = {}
    for name in VERSIONED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def idle_rss_mib(pid: int) -> float:
    """VmRSS of the server's process tree right after start-up (no request yet)."""
    total = 0
    for p in server_cpu.descendants(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_per_request(base_url: str, pid: int, job: tuple[str, dict[str, str]],
                    profile: Profile) -> list[dict[str, Any]]:
    job_id, auth = job
    figures = []
    for endpoint, path in (("job status", f"/v1/jobs/{job_id}"),
                           ("artifacts index", f"/v1/jobs/{job_id}/artifacts")):
        for clients in [c for c in profile.levels if c <= 16]:
            figures.append({"endpoint": endpoint, **server_cpu.measure(
                base_url, pid, path, auth, clients=clients, requests=profile.requests,
                max_seconds=profile.max_seconds)})
    return figures


def wrk_capacity(base_url: str, pid: int, job: tuple[str, dict[str, str]],
                 profile: Profile) -> dict[str, Any]:
    """Job status and artifacts index of a succeeded job under ``wrk`` (one thread), with
    the server's CPU per answer: the figures the GET targets are judged on."""
    job_id, auth = job
    target = Target("ss", base_url, pid=pid)
    return {endpoint: [get_level(target, path, auth, clients, profile.wrk_seconds)
                       for clients in profile.wrk_clients]
            for endpoint, path in (("job status", f"/v1/jobs/{job_id}"),
                                   ("artifacts index", f"/v1/jobs/{job_id}/artifacts"))}


def preview_memory_figures(mb: int) -> dict[str, Any]:
    """``benchmarks/preview_memory.py``'s figures: peak RSS of previewing an ``mb`` CSV in a
    child process, next to a child that only imports the same modules."""
    from benchmarks import preview_memory

    with tempfile.TemporaryDirectory(prefix="ss-bench-memory-") as tmp:
        root = Path(tmp)
        target = root / "objects" / "bench" / "data.csv"
        target.parent.mkdir(parents=True)
        rows = preview_memory.generate(target, mb * 1024 * 1024)
        size_mb = target.stat().st_size / 1024 / 1024
        baseline = preview_memory.run_child("baseline", root)
        result = preview_memory.run_child("preview", root)
    return {"how": f"`python -m benchmarks.run --preview-memory-mb {mb}`", "size_mb": size_mb,
            "rows": rows, "baseline_peak_rss_mib": baseline["peak_rss_mib"],
            "preview_peak_rss_mib": result["peak_rss_mib"], "seconds": result["seconds"]}


def _sizes(text: str) -> list[float]:
    return [float(mb) for mb in text.split(",")]


def chosen_profile(args: argparse.Namespace) -> Profile:
    """The profile the flags name, with the sizes ``--upload-mb`` / ``--worker-mb`` give."""
    profile = PROFILES["tiny" if args.tiny else "quick" if args.quick else "full"]
    if args.upload_mb:
        profile = replace(profile, upload_mb=_sizes(args.upload_mb))
    if args.worker_mb:
        profile = replace(profile, worker_mb=_sizes(args.worker_mb))
    return profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="skip 1 GB, fewer requests")
    mode.add_argument("--tiny", action="store_true", help="smoke mode: tiny sizes, seconds")
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/RESULTS.md"))
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument("--preview-memory-mb", type=int, default=0,
                        help="also run benchmarks/preview_memory.py on a CSV of this size")
    parser.add_argument("--upload-mb", help="upload sizes in MB instead of the profile's "
                        "(comma-separated, e.g. 10,100,1024)")
    parser.add_argument("--worker-mb", help="worker overhead dataset sizes in MB instead of the "
                        "profile's (comma-separated, e.g. 10,1024; staged ahead first)")
    parser.add_argument("--only-worker", action="store_true",
                        help="measure only the worker overhead (embedded backend) and print "
                        "its figures as JSON; write no report")
    parser.add_argument("--from-json", type=Path,
                        help="render the report from figures saved by --json; measure nothing")
    args = parser.parse_args(argv)
    if args.from_json:
        args.out.write_text(render(json.loads(args.from_json.read_text(encoding="utf-8"))),
                            encoding="utf-8")
        return 0
    profile = chosen_profile(args)
    if args.only_worker:
        with backend_env("embedded") as extra, tempfile.TemporaryDirectory() as tmp:
            rows = worker_figures(extra, Path(tmp), profile.worker_mb, profile.worker_reps)
        print(json.dumps(rows, indent=1))
        return 0
    kinds = list(BACKENDS) if args.backend == "both" else [args.backend]
    results: dict[str, Any] = {"machine": describe(), "versions": versions(),
                               "profile": asdict(profile), "backends": {}}
    _log("retrieval")
    results["retrieval"] = retrieval.run(profile.retrieval_reps)
    if args.preview_memory_mb:
        _log(f"preview memory at {args.preview_memory_mb} MB")
        results["preview_memory"] = preview_memory_figures(args.preview_memory_mb)
    _log(f"staging at {profile.staging_mib} MiB")
    results["staging"] = [staging.measure(mib) for mib in profile.staging_mib]
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix=f"ss-bench-{kind}-") as tmp:
            results["backends"][kind] = bench_backend(kind, profile, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    _log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
