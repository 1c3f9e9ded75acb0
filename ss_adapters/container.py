"""The composition root: the only place that chooses implementations.

Everything it can build is a real, production-grade adapter chosen from configuration: SQL
repositories (SQLite or PostgreSQL), a local-directory or S3 object store, the file dataset
inspector, an OpenAI-compatible or Anthropic LLM, the Stata batch runner. There is nothing
else to choose: no runtime double exists. An integration that is not configured is left out
with its structured reason (readiness and the endpoints that need it report it); a setting
that is present but wrong stops start-up with ``CONFIG_INVALID`` naming the setting.
"""

from __future__ import annotations

from pathlib import Path

from dependency_injector import containers, providers

from ss_adapters.blob.factory import build_object_store
from ss_adapters.lazy import LazyDatasetInspector, LazyReportWriter
from ss_adapters.llm.factory import build_llm
from ss_adapters.observability.observed import (
    ObservedAuditLog,
    ObservedLLM,
    ObservedRunQueue,
    ObservedStataRunner,
)
from ss_adapters.process_role import ProcessRole
from ss_adapters.settings import Settings
from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.stata.runner import StataBatchRunner
from ss_adapters.system import SecretIdGenerator, SystemClock
from ss_core.errors import SSError
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.ports import LLM, DatasetInspector, ObjectStore, StataRunner
from ss_core.usecases.services import Policies, Services, assemble


class LibraryState:
    """The loaded library, or the structured reason it failed validation."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.library: Library = Library(())
        self.problem: SSError | None = None
        try:
            self.library = load_library(root)
        except SSError as exc:
            self.problem = exc


def _llm(settings: Settings) -> LLM | None:
    return build_llm(settings.llm) if settings.llm is not None else None


def _runner(settings: Settings, store: ObjectStore) -> StataRunner | None:
    return StataBatchRunner(settings.stata, store) if settings.stata is not None else None


def _file_inspector(settings: Settings, store: ObjectStore) -> DatasetInspector:
    from ss_adapters.datasets.inspector import FileDatasetInspector
    from ss_adapters.datasets.read_limits import ReadLimits
    from ss_adapters.datasets.zip_guard import ZipLimits

    service = settings.service
    return FileDatasetInspector(
        store, service.data_dir / "scratch",
        zip_limits=ZipLimits(max_shared_strings=service.xlsx_max_shared_strings),
        read_limits=ReadLimits(max_cells=service.max_dataset_cells),
        stage_in_child=True)  # the API stages uploads of any size ahead: it must not grow


def _inspector(settings: Settings, store: ObjectStore) -> LazyDatasetInspector:
    """The file inspector, whose readers (pandas, pyreadstat...) load on its first use."""
    return LazyDatasetInspector(lambda: _file_inspector(settings, store))


def _policies(settings: Settings, role: ProcessRole) -> Policies:
    service = settings.service
    timeouts = {"short": 300.0, "standard": 1800.0, "long": 7200.0}
    if settings.stata is not None:
        timeouts = {name: settings.stata.timeout_for(name) for name in timeouts}
    return Policies(token_ttl_hours=service.token_ttl_hours,
                    max_upload_bytes=service.max_upload_bytes,
                    upload_idle_seconds=service.body_idle_timeout_seconds,
                    inline_inspection_bytes=service.upload_inspect_inline_bytes,
                    inputs_wait_seconds=service.inputs_wait_seconds,
                    lease_seconds=service.lease_seconds, max_claims=service.max_claims,
                    redeem_rate_per_minute=service.redeem_rate_per_minute,
                    stata_timeouts=timeouts, runs_execute_here=role.runs_stata)


def _services(settings: Settings, role: ProcessRole, repos: SqlRepositories, store: ObjectStore,
              inspector: DatasetInspector, library: LibraryState, llm: LLM | None,
              runner: StataRunner | None) -> Services:
    return assemble(
        jobs=repos.jobs, task_codes=repos.task_codes, tokens=repos.tokens,
        runs=ObservedRunQueue(repos.runs, repos.jobs), artifacts=repos.artifacts,
        audit=ObservedAuditLog(repos.audit), store=store, inspector=inspector,
        library=library.library, clock=SystemClock(), ids=SecretIdGenerator(),
        llm=ObservedLLM(llm) if llm is not None else None,
        runner=ObservedStataRunner(runner) if runner is not None else None,
        policies=_policies(settings, role),
        llm_unavailable=settings.llm_problem, runner_unavailable=settings.stata_problem,
        report_writer=LazyReportWriter())


class Container(containers.DeclarativeContainer):
    """One container for the whole process (API and/or worker)."""

    settings: providers.Dependency[Settings] = providers.Dependency(instance_of=Settings)
    role: providers.Object[ProcessRole] = providers.Object(ProcessRole.ALL)
    repositories = providers.Singleton(
        lambda s: SqlRepositories.from_settings(s.database), settings)
    object_store = providers.Singleton(lambda s: build_object_store(s.object_store), settings)
    inspector = providers.Singleton(_inspector, settings, object_store)
    library = providers.Singleton(lambda s: LibraryState(s.service.library_root), settings)
    llm = providers.Singleton(_llm, settings)
    runner = providers.Singleton(_runner, settings, object_store)
    services = providers.Singleton(_services, settings, role, repositories, object_store,
                                   inspector, library, llm, runner)


def build_container(settings: Settings, role: ProcessRole | str = ProcessRole.ALL) -> Container:
    """``role``: ``all`` (API + worker), ``api`` (API only: runs execute on workers
    elsewhere, so Stata is not required here) or ``worker``."""
    container = Container(settings=settings,
                          role=providers.Object(ProcessRole.parse(role)))
    container.check_dependencies()
    return container
