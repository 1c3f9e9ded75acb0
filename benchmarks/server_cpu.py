"""Server CPU time per request: the figure that survives a busy machine.

Throughput and latency on a shared 2-core machine move with whatever else runs; the CPU
the server spends per answer does not (much). For a GET endpoint this sends ``requests``
requests in a closed loop of ``clients`` coroutines and reads the user+system CPU time of
the server's whole process tree (``/proc/<pid>/stat`` of the process and every
descendant: several API processes under ``--workers``, a separate worker) before and
after. The load average beside each figure says how busy the machine was.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.stats import summary_ms

TICKS = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (walks ``/proc/<pid>/task/*/children``)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of ``pids`` (fields 14 and 15 of ``/proc/<pid>/stat``)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


async def run_loop(base_url: str, path: str, headers: dict[str, str], clients: int,
                requests: int, max_seconds: float) -> tuple[list[float], int, float]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        for _ in range(min(20, clients * 2)):
            (await client.get(path, headers=headers)).raise_for_status()
        counter = iter(range(requests))
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + max_seconds

        async def one() -> None:
            nonlocal errors
            for _ in counter:
                if time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.get(path, headers=headers)
                except httpx.TransportError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code >= 400

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        return latencies, errors, time.perf_counter() - started


def measure(base_url: str, server_pid: int, path: str, headers: dict[str, str], *,
            clients: int, requests: int, max_seconds: float = 20.0) -> dict[str, Any]:
    """One level: server CPU ms per answer, answers per second, client-side latencies."""
    pids = descendants(server_pid)
    load = os.getloadavg()[0]
    before = cpu_seconds(pids)
    latencies, errors, wall = asyncio.run(
        run_loop(base_url, path, headers, clients, requests, max_seconds))
    used = cpu_seconds(pids) - before
    answered = len(latencies)
    return {"clients": clients, **summary_ms(latencies), "rps": answered / wall,
            "cpu_ms_per_request": used * 1000 / max(answered, 1), "errors": errors,
            "server_processes": len(pids), "load_1min": load}
