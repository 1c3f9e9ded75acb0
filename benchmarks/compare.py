"""Side by side: the same client, the same data, the same journey against several services.

    python -m benchmarks.compare --target ours=http://127.0.0.1:8000 --admin-token ours=T1 \\
        --target other=http://127.0.0.1:8001 --codes other=codes.txt \\
        [--pid ours=1234 --pid other=5678] [--also-pid other=5679] \\
        [--confirm-json other='{"confirmed": true, ...}'] [--accept-end other=succeeded,failed] \\
        [--rounds 3] [--clients 1,16,64] [--seconds 5] [--upload-mb 10,100] [--journeys 3] \\
        [--settle 10] [--out compare.md] [--json compare.json]

Any service speaking the /v1 journey can be a target: redeem a task code, upload a CSV, read
the draft preview (202 answers are waited out), confirm (``--confirm-json`` gives a target's
own confirm body), poll the job status until it ends, then read the job status and the
artifact index of that job. A job that ends in another state than ``succeeded`` stops the run,
unless ``--accept-end`` allows that state for the target: the GETs are then measured on that
ended job, the journey time is not compared, and the report lists this under "Gaps". Task
codes come from an admin bearer token (``POST /api/admin/task-codes``) or from a file with one
code per line, issued by that service's operator. ``--serve NAME=DIR`` starts ``ssctl serve``
from the checkout at ``DIR`` (its ``.venv``) with the LLM server double and the Stata
executable double, so two commits of SS can be compared without setting anything up
(``--serve-args`` adds options).

The targets are measured in turns (target A, target B, A, B... for ``--rounds`` rounds), so
load from elsewhere on the machine falls on both alike; medians over the rounds are reported,
with the ratio of each target to the first. Before the first round, after ``--settle``
seconds, the idle RSS of each target's API process and of its whole service (its process
tree plus ``--also-pid`` processes, such as a separate worker) is read. Per round: GET
throughput and p50/p99 at each client count (``wrk`` when it is installed, else a Python
client), server CPU per GET when the target's process id is known (its whole process tree,
from ``/proc``), the wall time of an upload of each ``--upload-mb`` size, the journey's wall
time, and the service's RSS after the journeys.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks import server_cpu
from benchmarks.compare_report import gaps, render, summarise
from benchmarks.datasets import write_bytes
from benchmarks.machine import describe
from benchmarks.stats import summary_ms

JOURNEY_CSV = "id,wage,educ,exper,firm\n" + "".join(
    f"{i},{10 + (i * 7) % 13 / 2},{10 + i % 9},{i % 30},{i % 5 + 1}\n" for i in range(1, 401))


@dataclass
class Target:
    name: str
    base_url: str
    admin_token: str | None = None
    codes: list[str] = field(default_factory=list)
    pid: int | None = None
    # processes of the same service outside the API's tree (a separate worker)
    other_pids: list[int] = field(default_factory=list)
    confirm_body: dict[str, Any] = field(default_factory=lambda: {"confirmed": True})
    # the job states a journey may end in; GETs are then measured on that job
    accept_end: frozenset[str] = frozenset({"succeeded"})

    def service_pids(self) -> list[int]:
        if self.pid is None:
            return []
        return [p for root in (self.pid, *self.other_pids) for p in server_cpu.descendants(root)]

    def next_code(self, client: httpx.Client) -> str:
        if not self.codes:
            if self.admin_token is None:
                raise SystemExit(f"{self.name}: out of task codes (give --admin-token or more "
                                 "codes in --codes)")
            r = client.post("/api/admin/task-codes", json={"count": 50},
                            headers={"Authorization": f"Bearer {self.admin_token}"})
            r.raise_for_status()
            self.codes = [c["task_code"] for c in r.json()["task_codes"]]
        return self.codes.pop()


# --- the journey -------------------------------------------------------------------------

def redeem(client: httpx.Client, target: Target) -> tuple[str, dict[str, str]]:
    r = client.post("/v1/task-codes/redeem", json={
        "task_code": target.next_code(client),
        "requirement": "OLS regression of wage on educ with exper as control, clustered by firm"})
    r.raise_for_status()
    body = r.json()
    return body["job_id"], {"Authorization": f"Bearer {body['token']}"}


def upload(client: httpx.Client, job_id: str, auth: dict[str, str], path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as handle:
        r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth, timeout=1800,
                        files={"file": (path.name, handle, "text/csv")})
    r.raise_for_status()
    return time.perf_counter() - started


def journey(client: httpx.Client, target: Target, csv: Path,
            timeout: float = 120) -> tuple[str, dict[str, str], float, str]:
    """Redeem -> an ended job; the job, its bearer header, the wall time and the end state
    (one of the target's ``accept_end``; any other end is an error)."""
    started = time.perf_counter()
    job_id, auth = redeem(client, target)
    upload(client, job_id, auth, csv)
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        r.raise_for_status()
        if r.status_code == 200:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"{target.name}: the draft stayed pending")
        time.sleep(0.05)
    r = client.post(f"/v1/jobs/{job_id}/confirm", headers=auth, json=target.confirm_body)
    if r.is_error:
        raise RuntimeError(f"{target.name}: confirm answered {r.status_code}: {r.text[:300]}")
    while time.monotonic() < deadline:
        status = client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"]
        if status in target.accept_end:
            return job_id, auth, time.perf_counter() - started, status
        if status in ("succeeded", "failed", "cancelled"):
            raise RuntimeError(f"{target.name}: the journey ended {status} (give --accept-end "
                               f"{target.name}=succeeded,{status} to measure that job anyway)")
        time.sleep(0.05)
    raise RuntimeError(f"{target.name}: the journey did not finish in {timeout} s")


# --- measurements ------------------------------------------------------------------------

def rss_mib(pids: list[int]) -> float | None:
    """Summed VmRSS of these processes; None when there are none."""
    if not pids:
        return None
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def idle_memory(target: Target) -> dict[str, float | None]:
    """RSS of the API process alone and of the whole service (its process tree plus
    ``other_pids`` and theirs), read before this run sends the target any request."""
    return {"api_mib": rss_mib([target.pid] if target.pid else []),
            "service_mib": rss_mib(target.service_pids())}


def wait_quiet(target: Target, cap: float = 60.0) -> float:
    """Wait until the target's service uses under 10% of a core (what an upload or a journey
    left running in the background, such as staging a dataset, is done), at most ``cap``
    seconds; the seconds waited. Without process ids: one second."""
    pids = target.service_pids()
    if not pids:
        time.sleep(1.0)
        return 1.0
    started = time.monotonic()
    while time.monotonic() - started < cap:
        before = server_cpu.cpu_seconds(pids)
        time.sleep(0.5)
        if server_cpu.cpu_seconds(target.service_pids()) - before < 0.05:
            break
    return time.monotonic() - started


def answer_sizes(client: httpx.Client, job_id: str, auth: dict[str, str]) -> dict[str, int]:
    """What the measured GETs return on this job: bytes of each answer, artifacts listed."""
    status = client.get(f"/v1/jobs/{job_id}", headers=auth)
    index = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth)
    listed = index.json().get("artifacts") if index.status_code == 200 else None
    return {"status_bytes": len(status.content), "index_bytes": len(index.content),
            "artifacts": len(listed) if isinstance(listed, list) else -1}


def _wrk_ms(text: str) -> float:
    number = float(text.rstrip("usm"))
    return number / 1000 if text.endswith("us") else number * 1000 if text.endswith(
        "s") and not text.endswith("ms") else number


def wrk_level(url: str, headers: dict[str, str], clients: int, seconds: float) -> dict[str, Any]:
    args = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", url]
    for key, value in headers.items():
        args[1:1] = ["-H", f"{key}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    lines = {line.split()[0]: line.split()[1] for line in out.splitlines()
             if line.strip()[:3] in ("50%", "99%")}
    answered = int(out.split(" requests in ")[0].split()[-1])
    bad, kinds = 0, []
    for line in out.splitlines():
        if "Non-2xx" in line or "Socket errors" in line:
            bad += sum(int(n) for n in line.replace(",", " ").split() if n.isdigit())
            kinds.append(line.strip())
    return {"clients": clients, "n": answered, "p50": _wrk_ms(lines["50%"]),
            "p99": _wrk_ms(lines["99%"]), "rps": float(out.split("Requests/sec:")[1].split()[0]),
            "errors": bad, "error_kinds": kinds, "client": "wrk"}


def python_level(base_url: str, path: str, headers: dict[str, str], clients: int,
                 seconds: float) -> dict[str, Any]:
    latencies, errors, wall = asyncio.run(
        server_cpu.run_loop(base_url, path, headers, clients, 1_000_000, seconds))
    return {"clients": clients, **summary_ms(latencies), "rps": len(latencies) / wall,
            "errors": errors, "client": "httpx"}


def get_level(target: Target, path: str, headers: dict[str, str], clients: int,
              seconds: float) -> dict[str, Any]:
    pids = server_cpu.descendants(target.pid) if target.pid else []
    before = server_cpu.cpu_seconds(pids)
    load = os.getloadavg()[0]
    if shutil.which("wrk"):
        level = wrk_level(target.base_url + path, headers, clients, seconds)
    else:
        level = python_level(target.base_url, path, headers, clients, seconds)
    if pids:
        used = server_cpu.cpu_seconds(pids) - before
        level["cpu_ms_per_request"] = used * 1000 / max(level["n"], 1)
    level["load_1min"] = load
    return level


def one_round(target: Target, tmp: Path, clients: list[int], seconds: float,
              upload_mb: list[float], journeys: int) -> dict[str, Any]:
    """Journeys, then the GET levels, then the uploads last, each followed by a wait until
    the service is quiet (what it does after an upload, such as staging, must not run during
    another measurement, nor during the next target's turn)."""
    csv = tmp / "journey.csv"
    csv.write_text(JOURNEY_CSV, encoding="utf-8")
    files = {mb: tmp / f"upload-{mb:g}mb.csv" for mb in upload_mb if mb}
    for mb, big in files.items():
        if not big.exists():
            write_bytes(big, int(mb * 1024 * 1024))
    with httpx.Client(base_url=target.base_url, timeout=120) as client:
        runs = [journey(client, target, csv) for _ in range(max(journeys, 1))]
        job_id, auth, _, end = runs[-1]
        out: dict[str, Any] = {
            "quiet_wait_s": [wait_quiet(target)], "journey_end": end,
            "journey_s": (statistics.median(r[2] for r in runs)
                          if all(r[3] == "succeeded" for r in runs) else None),
            "rss_mib": rss_mib(target.service_pids()), **answer_sizes(client, job_id, auth)}
        for name, path in (("job status", f"/v1/jobs/{job_id}"),
                           ("artifact index", f"/v1/jobs/{job_id}/artifacts")):
            out[name] = [get_level(target, path, auth, c, seconds) for c in clients]
        out["upload_s"] = {}
        for mb, big in files.items():
            new_job, new_auth = redeem(client, target)
            out["upload_s"][f"{mb:g}"] = upload(client, new_job, new_auth, big)
            out["quiet_wait_s"].append(wait_quiet(target))
    return out


# --- driving and reporting ---------------------------------------------------------------

def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep:
            raise SystemExit(f"{what} takes NAME=VALUE, got {value!r}")
        pairs[name] = rest
    return pairs


@contextmanager
def served_checkout(name: str, root: Path, tmp: Path, args: list[str],
                    python: Path | None = None) -> Iterator[Target]:
    """``ssctl serve`` from the checkout at ``root`` with the LLM server double and the Stata
    executable double behind it; stopped (SIGINT) on exit. ``python`` is the interpreter
    (default: the checkout's ``.venv``); the code served is the checkout's either way, so an
    interpreter from a runtime-only install serves it with only the runtime dependencies
    importable, as an operator has them."""
    from benchmarks.session import SERVER_ENV, analyst
    from tests.doubles.llm_server import ScriptedLLMServer
    from tests.e2e.stack import ADMIN_TOKEN, free_port, stack_env

    work = tmp / name
    (work / "ado").mkdir(parents=True)
    llm = ScriptedLLMServer(default=analyst().reply).start()
    port = free_port()
    command = [str(python or root / ".venv" / "bin" / "python"), "-m", "ss_http.cli", "serve",
               "--port", str(port), *args]
    with (work / "server.log").open("ab") as log:
        proc = subprocess.Popen(command, cwd=root, env=stack_env(work, llm, **SERVER_ENV),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_live(base_url, proc)
        yield Target(name, base_url, admin_token=ADMIN_TOKEN, pid=proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        llm.stop()


def _wait_live(base_url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{base_url}: the server exited with {proc.returncode}")
        try:
            if httpx.get(base_url + "/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url}: not live after {timeout} s")


def _targets(args: argparse.Namespace) -> list[Target]:
    tokens, codes = _pairs(args.admin_token, "--admin-token"), _pairs(args.codes, "--codes")
    pids, others = _pairs(args.pid, "--pid"), _pairs(args.also_pid, "--also-pid")
    bodies, ends = _pairs(args.confirm_json, "--confirm-json"), _pairs(args.accept_end,
                                                                       "--accept-end")
    targets = [Target(n, url.rstrip("/"), admin_token=tokens.get(n),
                      codes=Path(codes[n]).read_text().split() if n in codes else [],
                      pid=int(pids[n]) if n in pids else None)
               for n, url in _pairs(args.target, "--target").items()]
    return [_options(t, others, bodies, ends) for t in targets]


def _options(target: Target, others: dict[str, str], bodies: dict[str, str],
             ends: dict[str, str]) -> Target:
    n = target.name
    if n in others:
        target.other_pids = [int(p) for p in others[n].split(",")]
    if n in bodies:
        target.confirm_body = json.loads(bodies[n])
    if n in ends:
        target.accept_end = frozenset(e.strip() for e in ends[n].split(",") if e.strip())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", action="append", default=[], metavar="NAME=URL")
    parser.add_argument("--serve", action="append", default=[], metavar="NAME=DIR",
                        help="start ssctl serve from the SS checkout at DIR (its .venv)")
    parser.add_argument("--serve-python", action="append", default=[], metavar="NAME=PYTHON",
                        help="the interpreter that serves --serve NAME (default DIR/.venv/bin/"
                             "python), e.g. one of a venv where only `pip install DIR` was done")
    parser.add_argument("--serve-args", default="", help="extra ssctl serve options")
    parser.add_argument("--admin-token", action="append", default=[], metavar="NAME=TOKEN")
    parser.add_argument("--codes", action="append", default=[], metavar="NAME=FILE")
    parser.add_argument("--pid", action="append", default=[], metavar="NAME=PID",
                        help="the target's API process (CPU per GET, RSS)")
    parser.add_argument("--also-pid", action="append", default=[], metavar="NAME=PID[,PID]",
                        help="more processes of the same service, e.g. a separate worker "
                             "(counted in the service's RSS)")
    parser.add_argument("--confirm-json", action="append", default=[], metavar="NAME=JSON",
                        help='the confirm request body (default {"confirmed": true})')
    parser.add_argument("--accept-end", action="append", default=[],
                        metavar="NAME=STATE[,STATE]",
                        help="job states a journey may end in (default succeeded); GETs are "
                             "then measured on that job and the journey time is not compared")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", default="1,16,64")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--upload-mb", default="10", help="sizes, comma-separated (0: none)")
    parser.add_argument("--journeys", type=int, default=3)
    parser.add_argument("--settle", type=float, default=10.0,
                        help="seconds between start-up and the idle RSS reading")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    upload_mb = [float(mb) for mb in args.upload_mb.split(",") if float(mb)]
    machine = describe()  # its load average is the one at the start
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ss-compare-")))
        targets = _targets(args)
        pythons = _pairs(args.serve_python, "--serve-python")
        for name, root in _pairs(args.serve, "--serve").items():
            python = Path(pythons[name]) if name in pythons else None
            targets.append(stack.enter_context(served_checkout(
                name, Path(root).resolve(), tmp, args.serve_args.split(), python)))
        if len(targets) < 1:
            raise SystemExit("give at least one --target or --serve")
        time.sleep(args.settle)
        idle = {t.name: idle_memory(t) for t in targets}
        rounds: dict[str, list[dict[str, Any]]] = {t.name: [] for t in targets}
        for number in range(args.rounds):
            for target in targets:
                _log(f"round {number + 1}/{args.rounds}: {target.name}")
                rounds[target.name].append(one_round(target, tmp, clients, args.seconds,
                                                     upload_mb, args.journeys))
    result = {"command": "python -m benchmarks.compare " + _shown(argv or sys.argv[1:]),
              "machine": machine, "targets": {t.name: t.base_url for t in targets},
              "rounds": rounds, "rounds_count": args.rounds, "upload_mb": upload_mb,
              "seconds": args.seconds, "idle": idle, "client": "wrk" if shutil.which("wrk")
              else "httpx", "cpus": os.cpu_count(),
              "gaps": {t.name: gaps(t, rounds[t.name]) for t in targets},
              "summary": {n: summarise(r, clients) for n, r in rounds.items()}}
    report = render(result)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    else:
        print(report)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


def _shown(argv: list[str]) -> str:
    """The command line as the report shows it: admin tokens hidden, JSON quoted."""
    shown = []
    for index, arg in enumerate(argv):
        if index and argv[index - 1] == "--admin-token":
            arg = arg.partition("=")[0] + "=<admin token>"
        elif arg.startswith("--admin-token="):
            arg = "--admin-token=" + arg.split("=")[1] + "=<admin token>"
        shown.append(f"'{arg}'" if any(c in arg for c in ' {}"') else arg)
    return " ".join(shown)


def _log(message: str) -> None:
    print(f"[compare {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

if __name__ == "__main__":
    raise SystemExit(main())
