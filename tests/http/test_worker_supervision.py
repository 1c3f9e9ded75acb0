"""A crashed worker loop is restarted and reported by readiness; loop errors are waited out."""

from __future__ import annotations

import asyncio
import dataclasses

from ss_adapters.container import build_container
from ss_adapters.requirements import WorkerHealth, production_gate
from ss_adapters.settings import load_settings
from ss_core.errors import SSError
from ss_core.usecases.worker import Worker
from ss_http import serving
from tests.core.journey_kit import make_kit


class Exploding:
    """A run queue whose claim crashes unexpectedly twice, then reports a storage outage."""

    def __init__(self, queue) -> None:
        self.queue, self.calls = queue, 0

    def __getattr__(self, name):
        return getattr(self.queue, name)

    async def claim(self, *args):
        self.calls += 1
        if self.calls <= 2:
            raise RuntimeError("boom")
        raise SSError("database down", code="STORAGE_UNAVAILABLE")


async def test_supervisor_restarts_a_crashed_loop_and_readiness_reports_it(monkeypatch,
                                                                           tmp_path):
    container = build_container(load_settings({"SS_DATA_DIR": str(tmp_path)}))
    kit = make_kit()
    kit.services = dataclasses.replace(kit.services, runs=Exploding(kit.services.runs))
    worker = Worker(kit.services, "w", poll_seconds=0.01)
    health = WorkerHealth()
    health.loop_error = lambda: worker.last_error
    monkeypatch.setattr(serving, "RESTART_BACKOFF_SECONDS", (0.01,))
    task = asyncio.create_task(serving.supervise(worker, health))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if worker.last_error is not None:
            break
    assert health.restarts == 2 and health.last_failure == "RuntimeError"
    assert health.running and worker.last_error.error_code == "STORAGE_UNAVAILABLE"

    gate = production_gate(container, health)
    readiness = await gate.evaluate()
    worker_check = next(c for c in readiness.checks if c.name == "worker")
    assert not worker_check.ok and worker_check.error_code == "STORAGE_UNAVAILABLE"
    health.running = False
    worker_check = next(c for c in (await gate.evaluate()).checks if c.name == "worker")
    assert worker_check.error_code == "SERVICE_NOT_READY"
    await container.repositories().close()
    worker.stop()
    await asyncio.wait_for(task, 5)
