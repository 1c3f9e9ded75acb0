"""The in-process worker's idle loop (poll the queue, sweep expired leases, heartbeat) never
holds the API's event loop: on the embedded default (SQLite) its writes run on the
database driver's thread. A probe sleeping 5 ms measures, for each of its wake-ups, the CPU
the loop's thread spent meanwhile, which is what the worker's work on the loop would add to
every request (CPU time, unlike wall time, does not grow when a busy machine deschedules
the process), and how late each wake-up came, with a bound generous enough for a loaded
machine but far below a lock wait (SQLite's busy timeout is 10 s)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path

from ss_adapters.runtime import Runtime
from ss_core.usecases.worker import Worker
from ss_http import serving

PROBE_SECONDS = 1.5
MAX_LOOP_CPU_MS = 40.0  # per probe interval: work the worker does on the loop's thread
MAX_LAG_MS = 500.0  # wall time past the 5 ms sleep: a poll waiting on the loop for a lock


class CountingQueue:
    def __init__(self, queue) -> None:
        self.queue, self.claims, self.sweeps = queue, 0, 0

    def __getattr__(self, name):
        return getattr(self.queue, name)

    async def claim(self, *args):
        self.claims += 1
        return await self.queue.claim(*args)

    async def expire_exhausted(self, *args):
        self.sweeps += 1
        return await self.queue.expire_exhausted(*args)


async def loop_probe(seconds: float) -> tuple[list[float], list[float]]:
    """For each 5 ms sleep during ``seconds``: the loop thread's CPU (ms) until the wake-up,
    and the wake-up's lateness (ms of wall time)."""
    cpu: list[float] = []
    lag: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        before, wall = time.thread_time(), time.perf_counter()
        await asyncio.sleep(0.005)
        cpu.append((time.thread_time() - before) * 1000)
        lag.append((time.perf_counter() - wall) * 1000 - 5)
    return cpu, lag


async def test_the_idle_worker_loop_does_not_hold_the_event_loop(tmp_path: Path) -> None:
    runtime = Runtime({"SS_DATA_DIR": str(tmp_path), "SS_WORKER_HEARTBEAT_SECONDS": "0.8",
                       "SS_LEASE_SECONDS": "1"}, "all", with_worker=True)
    await runtime.start()
    queue = CountingQueue(runtime.services.runs)
    worker = Worker(dataclasses.replace(runtime.services, runs=queue), "lag",
                    poll_seconds=0.02)
    stop = asyncio.Event()
    loop_task = asyncio.create_task(serving.supervise(worker, None))
    beats = asyncio.create_task(serving.heartbeat(runtime, "lag", None, stop))
    try:
        await asyncio.sleep(0.3)  # first connections opened, first sweep done
        cpu, lag = await loop_probe(PROBE_SECONDS)
    finally:
        stop.set()
        worker.stop()
        await asyncio.wait_for(asyncio.gather(loop_task, beats), 10)
        await runtime.close()
    assert queue.claims >= 20 and queue.sweeps >= 2, (queue.claims, queue.sweeps)
    assert max(cpu) < MAX_LOOP_CPU_MS, sorted(cpu)[-5:]
    assert max(lag) < MAX_LAG_MS, sorted(lag)[-5:]
