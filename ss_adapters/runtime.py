"""A process's runtime: settings -> container -> gate, with start-up and shutdown."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import structlog

from ss_adapters.container import Container, build_container
from ss_adapters.gate import ProductionGate
from ss_adapters.process_role import ProcessRole
from ss_adapters.requirements import WorkerHealth, production_gate
from ss_adapters.settings import Settings, load_settings
from ss_core.errors import SSError
from ss_core.usecases.services import Services

log = structlog.get_logger("ss.runtime")


class Runtime:
    """``with_worker``: this process runs a worker loop (``ssctl serve`` without
    ``--no-worker``, ``ssctl worker``). Command-line processes (``ssctl check``,
    ``task-codes``) run none: they never launch Stata at start-up, and their gate proves that a
    worker *can* run here instead of asking for a live loop."""

    def __init__(self, env: Mapping[str, str], role: ProcessRole | str = ProcessRole.ALL, *,
                 with_worker: bool = False) -> None:
        self.settings: Settings = load_settings(env)
        self.role = ProcessRole.parse(role)
        self.container: Container = build_container(self.settings, self.role)
        self.worker_health = WorkerHealth() if with_worker and self.role.runs_stata else None
        self.gate: ProductionGate = production_gate(self.container, self.worker_health)
        self.auto_migrate = env.get("SS_AUTO_MIGRATE", "1").strip() not in ("0", "false", "no")

    @property
    def services(self) -> Services:
        return self.container.services()

    async def start(self) -> None:
        """Create the data directory and bring the schema up to date (when allowed)."""
        self.settings.service.data_dir.mkdir(parents=True, exist_ok=True)
        if self.auto_migrate:
            try:
                await self.container.repositories().migrate()
            except SSError as exc:
                log.warning("migration_failed", error_code=exc.error_code, reason=exc.message)
        runner = self.services.runner
        if self.worker_health is not None and runner is not None:
            try:  # records the Stata version for every run's meta
                installation = await runner.probe()
                log.info("stata_probe", version=installation.version,
                         edition=installation.edition)
            except SSError as exc:
                log.warning("stata_probe_failed", error_code=exc.error_code, reason=exc.message)

    async def close(self) -> None:
        services = self.container.services()
        for held in (services.llm, services.store):  # pooled HTTP clients (LLM, S3)
            closer = getattr(held, "aclose", None)
            if closer is not None:
                with contextlib.suppress(SSError, OSError):
                    await closer()
        await self.container.repositories().close()
