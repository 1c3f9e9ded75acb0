"""The production requirements the gate checks (same list for ssctl check and readiness)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ss_adapters.container import Container
from ss_adapters.gate import ProductionGate, Requirement
from ss_core.errors import ConfigError, SSError, StorageError

PROBE_CACHE_SECONDS = 60.0


def cached_success(
    check: Callable[[], Awaitable[dict[str, Any]]], seconds: float = PROBE_CACHE_SECONDS
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """Remember a successful probe for ``seconds`` (a Stata probe launches Stata and takes a
    licence seat; readiness is polled often). Failures are never cached."""
    state: dict[str, Any] = {"until": 0.0, "details": {}}

    async def run() -> dict[str, Any]:
        now = time.monotonic()
        if now < state["until"]:
            return {**state["details"], "cached": True}
        details = await check()
        state.update(until=now + seconds, details=details)
        return details

    return run


def writable_dir(path: Path) -> bool:
    """Create ``path`` if needed and prove a file can be written in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".ss-probe-"):
            pass
    except OSError:
        return False
    return True


class WorkerHealth:
    """What the process's worker supervisor reports: is the loop running, how often it had to
    be restarted, and the last reason."""

    def __init__(self) -> None:
        self.running = False
        self.restarts = 0
        self.last_failure: str | None = None
        self.loop_error: Callable[[], SSError | None] = lambda: None
        self.last_beat: datetime | None = None  # the last heartbeat written to the database


def production_gate(
    container: Container, worker: WorkerHealth | None = None
) -> ProductionGate:
    settings = container.settings()
    services = container.services()
    repos = container.repositories()
    library = container.library()

    async def database() -> dict[str, Any]:
        current, head = await repos.schema_status()
        if current != head:
            raise StorageError(f"the database schema is at {current}, expected {head}",
                               current=str(current), head=head)
        return {"url": settings.database.redacted_url, "revision": head}

    async def object_store() -> dict[str, Any]:
        await services.store.probe()
        return {"store": type(services.store).__name__}

    async def template_library() -> dict[str, Any]:
        if library.problem is not None:
            raise library.problem
        if len(library.library) == 0:
            raise SSError("the template library is empty", code="TEMPLATE_LIBRARY_INVALID")
        return {"templates": len(library.library)}

    async def llm() -> dict[str, Any]:
        provider = services.require_llm()
        await provider.probe()
        return {"provider": provider.provider, "model": provider.model}

    async def stata() -> dict[str, Any]:
        installation = await services.require_runner().probe()
        return {"command": installation.command, "version": installation.version,
                "edition": installation.edition}

    async def admin_secret() -> dict[str, Any]:
        if not settings.service.admin_token:
            raise ConfigError("no admin token is configured", missing=["SS_ADMIN_TOKEN"])
        return {}

    async def worker_can_run() -> dict[str, Any]:
        """No loop in this process (``ssctl check``): prove a worker could run here. The
        database, object store, library and Stata probes cover its dependencies; this adds
        the directories it writes (Stata run directories, upload scratch)."""
        places = {"SS_DATA_DIR": settings.service.data_dir}
        if settings.stata is not None:
            places["SS_STATA_WORK_DIR"] = Path(settings.stata.work_dir)
        unwritable = [key for key, path in places.items() if not writable_dir(path)]
        if unwritable:
            raise ConfigError("a worker cannot write its run directories here",
                              missing=unwritable)
        return {key: str(path) for key, path in places.items()}

    async def worker_loop() -> dict[str, Any]:
        assert worker is not None
        if not worker.running:
            raise SSError("the worker loop of this process is not running",
                          code="SERVICE_NOT_READY", restarts=worker.restarts,
                          last_failure=worker.last_failure or "")
        error = worker.loop_error()
        if error is not None:
            raise error
        now = services.clock.now()
        if worker.last_beat is None or now - worker.last_beat > max_age:
            raise SSError(f"this process's worker has not recorded a heartbeat in the last "
                          f"{max_age.total_seconds():g} s", code="SERVICE_NOT_READY",
                          last_beat=worker.last_beat.isoformat() if worker.last_beat else "")
        return {"restarts": worker.restarts, "last_beat": worker.last_beat.isoformat()}

    async def workers_alive() -> dict[str, Any]:
        """API-only hosts: runs queue until some worker claims them; warn when none is alive."""
        alive, latest = await repos.workers.alive_since(services.clock.now() - max_age)
        if alive == 0:
            raise SSError(f"no worker has recorded a heartbeat in the last "
                          f"{max_age.total_seconds():g} s: queued runs will wait",
                          code="SERVICE_NOT_READY",
                          last_heartbeat=latest.isoformat() if latest else "never")
        return {"workers_alive": alive, "last_heartbeat": latest.isoformat() if latest else ""}

    role = container.role()
    max_age = timedelta(seconds=settings.service.worker_heartbeat_seconds)
    requirements = [
        Requirement("database", "check SS_DATABASE_URL; run `ssctl migrate`", database),
        Requirement("object_store", "check SS_OBJECT_STORE (and SS_S3_* for s3://)",
                    object_store),
        Requirement("template_library", "run `ssctl templates check` and fix the problems",
                    template_library),
        Requirement("llm", "set SS_LLM_PROVIDER, SS_LLM_MODEL, SS_LLM_API_KEY "
                           "(and SS_LLM_BASE_URL for self-hosted servers)", cached_success(llm)),
        Requirement("stata", "set SS_STATA_CMD to the Stata batch executable",
                    cached_success(stata)),
        Requirement("admin_secret", "set SS_ADMIN_TOKEN (at least 16 characters)",
                    admin_secret),
    ]
    if worker is not None:
        requirements.append(Requirement(
            "worker", "see the server log for the worker loop's error", worker_loop))
    elif role.runs_stata:
        requirements.append(Requirement(
            "worker", "make SS_DATA_DIR and SS_STATA_WORK_DIR writable by the SS user",
            worker_can_run))
    if not role.runs_stata:  # Stata runs on the worker hosts; each checks it with `ssctl check`
        requirements = [r for r in requirements if r.name != "stata"]
        requirements.append(Requirement(
            "workers", "start `ssctl worker` on a Stata host with the same SS_DATABASE_URL",
            workers_alive, advisory=True))
    if not role.serves_api:  # workers serve no API and never call the LLM (drafts are API-side)
        requirements = [r for r in requirements if r.name not in ("admin_secret", "llm")]
    return ProductionGate(requirements)
