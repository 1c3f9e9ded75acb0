"""Per-endpoint latency (p50/p99) and throughput at fixed numbers of concurrent clients.

Closed loop: ``c`` client coroutines share one ``httpx.AsyncClient`` (keep-alive, at most
``c`` connections) and each sends its next request as soon as the previous one answered,
until ``requests`` answers arrived or ``max_seconds`` passed. Latency is measured per
request on the client (loopback). The client runs on the same 2 cores as the server. A
transport error (e.g. a keep-alive connection the server closed just as it was reused) is
counted in ``errors`` by its class name and the request is not retried.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.session import issue_codes, succeeded_job
from benchmarks.stats import summary_ms

Request = Callable[[int], tuple[str, str, dict[str, Any]]]  # i -> (method, url, kwargs)


async def _level(base_url: str, make: Request, clients: int, requests: int,
                 max_seconds: float, warmup: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        counter = iter(range(requests + warmup))
        for _ in range(min(warmup, clients * 2)):
            method, url, kwargs = make(next(counter))
            await client.request(method, url, **kwargs)
        latencies: list[float] = []
        errors: dict[str, int] = {}
        deadline = time.perf_counter() + max_seconds

        async def loop() -> None:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                method, url, kwargs = make(i)
                t0 = time.perf_counter()
                try:
                    r = await client.request(method, url, **kwargs)
                    await r.aread()
                except httpx.TransportError as exc:  # counted, not fatal: a figure, not a test
                    key = type(exc).__name__
                    errors[key] = errors.get(key, 0) + 1
                    continue
                latencies.append(time.perf_counter() - t0)
                if r.status_code >= 400:
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(clients)))
        wall = time.perf_counter() - started
    return {"clients": clients, **summary_ms(latencies), "rps": len(latencies) / wall,
            "errors": errors, "seconds": wall}


def run(base_url: str, tmp: Path, levels: list[int], requests: int,
        max_seconds: float) -> dict[str, Any]:
    """Results per endpoint and concurrency level (plus what the requests read)."""
    warmup = 20
    with httpx.Client(base_url=base_url, timeout=60) as client:
        job_id, auth = succeeded_job(client, tmp)
        items = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth).json()["artifacts"]
        do_file = next(a for a in items if a["kind"] == "do_file")
        codes = issue_codes(client, (requests + warmup * 4) * len(levels))
    code_iter = iter(codes)

    def redeem(_: int) -> tuple[str, str, dict[str, Any]]:
        return "POST", "/v1/task-codes/redeem", {"json": {
            "task_code": next(code_iter), "requirement": "OLS regression of wage on educ"}}

    def get(path: str) -> Request:
        return lambda _i: ("GET", f"/v1/jobs/{job_id}{path}", {"headers": auth})

    endpoints: dict[str, Request] = {
        "redeem (new job)": redeem,
        "job status": get(""),
        "inputs preview": get("/inputs/preview"),
        "artifacts index": get("/artifacts"),
        "artifact download": get(f"/artifacts/{do_file['rel_path']}"),
    }
    results: dict[str, list[dict[str, Any]]] = {}
    for name, make in endpoints.items():
        results[name] = [asyncio.run(_level(base_url, make, c, requests, max_seconds, warmup))
                         for c in levels]
    return {"artifacts_in_index": len(items), "download_bytes": do_file["size_bytes"],
            "preview_rows": 40, "endpoints": results}
