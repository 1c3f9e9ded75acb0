"""Finding 3 over real HTTP: a multipart flood is refused while it streams and the server's
peak memory barely moves; the per-request byte budget covers all files together."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.faults.journey import new_job
from tests.hostile.conftest import MAX_UPLOAD_BYTES, Stack

pytestmark = pytest.mark.slow
BOUNDARY = "floodBOUNDARYflood"
MB = 1 << 20


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS


def text_flood(parts: int) -> Iterator[bytes]:
    one = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\n"
           "r\r\n").encode()
    batch = one * 1000
    for _ in range(parts // 1000):
        yield batch
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"d.csv\"\r\n\r\ny,x\n1,2\n\r\n--{BOUNDARY}--\r\n").encode()


def test_a_flood_of_text_parts_is_refused_and_costs_no_memory(stack: Stack) -> None:
    pid = stack.server.proc.pid  # type: ignore[union-attr]
    with stack.client() as client:
        job_id, auth = new_job(client)
        reset_peak(pid)
        before = peak_rss(pid)
        try:
            r = client.post(f"/v1/jobs/{job_id}/inputs/upload", content=text_flood(400_000),
                            headers={**auth, "content-type":
                                     f"multipart/form-data; boundary={BOUNDARY}"})
            assert r.status_code == 400, r.text[:300]
            assert r.json()["max_fields"] == 16
        except httpx.TransportError:
            pass  # the server answered and closed before the client finished sending
        growth = peak_rss(pid) - before
        assert growth < 40 * MB, f"the flood grew the server's peak memory by {growth // MB} MiB"
        assert client.get("/health/live").status_code == 200


def test_the_byte_budget_is_per_request_not_per_file(stack: Stack) -> None:
    each = MAX_UPLOAD_BYTES // 3 + 1
    files = [("file", (f"d{i}.csv", b"y\n" + b"1\n" * (each // 2), "text/csv"))
             for i in range(3)]
    with stack.client() as client:
        job_id, auth = new_job(client)
        r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth, files=files)
        assert r.status_code == 413, r.text[:300]
        assert r.json()["error_code"] == "PAYLOAD_TOO_LARGE"
        assert client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth).json()["artifacts"] == []
