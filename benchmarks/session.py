"""A running SS stack for the benchmarks: a real `ssctl serve` process (started the way the
end-to-end tests start it, ``tests.e2e.stack``) with the LLM server double and the Stata
executable double, plus the journey steps the benchmarks need as plain HTTP calls."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import msgspec

from ss_adapters.settings import ServiceSettings
from tests.e2e.stack import ADMIN_TOKEN, Analyst, Server, running_stack

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ANALYST_ROLES = {"outcome": "wage", "treatment": "educ", "controls": ["exper"], "cluster": "firm"}
SMALL_CSV = "id,wage,educ,exper,firm\n" + "".join(
    f"{i},{10 + (i * 7) % 13 / 2},{10 + i % 9},{i % 30},{i % 5 + 1}\n" for i in range(1, 41))
# A normal lease and poll interval, and the service's own inline inspection limit (the test
# stack inspects every upload before answering; a benchmark measures the default).
SERVER_ENV = {"SS_LEASE_SECONDS": "60", "SS_WORKER_POLL_SECONDS": "1",
              "SS_UPLOAD_INSPECT_INLINE_BYTES": str(next(
                  f.default for f in msgspec.structs.fields(ServiceSettings)
                  if f.name == "upload_inspect_inline_bytes"))}


def analyst() -> Analyst:
    return Analyst(prefer="ols_robust", roles=dict(ANALYST_ROLES))


@contextmanager
def serving(tmp: Path, backend_extra: dict[str, str]) -> Iterator[Server]:
    tmp.mkdir(parents=True, exist_ok=True)
    with running_stack(tmp, analyst(), **SERVER_ENV, **backend_extra) as (server, _llm):
        yield server


def issue_codes(client: httpx.Client, count: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        batch = min(1000, count - len(codes))
        r = client.post("/api/admin/task-codes", json={"count": batch, "expires_in_days": 1},
                        headers=ADMIN)
        r.raise_for_status()
        codes.extend(c["task_code"] for c in r.json()["task_codes"])
    return codes


def new_job(client: httpx.Client) -> tuple[str, dict[str, str]]:
    code = issue_codes(client, 1)[0]
    r = client.post("/v1/task-codes/redeem",
                    json={"task_code": code, "requirement": "OLS regression of wage on educ"})
    r.raise_for_status()
    return r.json()["job_id"], {"Authorization": f"Bearer {r.json()['token']}"}


def upload_file(client: httpx.Client, job_id: str, auth: dict[str, str], path: Path,
                timeout: float = 1800) -> httpx.Response:
    with path.open("rb") as handle:
        r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth, timeout=timeout,
                        files={"file": (path.name, handle, "text/csv")})
    r.raise_for_status()
    return r


def succeeded_job(client: httpx.Client, tmp: Path) -> tuple[str, dict[str, str]]:
    """A job taken through the whole journey to ``succeeded`` (artifacts to read)."""
    job_id, auth = new_job(client)
    path = tmp / "small.csv"
    path.write_text(SMALL_CSV, encoding="utf-8")
    upload_file(client, job_id, auth, path)
    client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).raise_for_status()
    client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                json={"template_id": "ols_robust"}).raise_for_status()
    client.post(f"/v1/jobs/{job_id}/run", headers=auth).raise_for_status()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"]
        if status in ("succeeded", "failed"):
            if status != "succeeded":
                raise RuntimeError(f"the benchmark journey ended {status}")
            return job_id, auth
        time.sleep(0.2)
    raise RuntimeError("the benchmark journey did not finish in 120 s")
