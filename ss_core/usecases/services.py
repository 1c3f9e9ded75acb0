"""The bundle of ports and policies every use case receives, and its one assembly.

``assemble`` is the only place a ``Services`` is put together: the composition root
(``ss_adapters/container.py``), the embedding example and the test kit all call it, so a new
port or a derived part (the retriever, built from the library) is wired once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ss_core.errors import LLMNotConfigured, SSError
from ss_core.library.catalog import Library
from ss_core.library.retrieval import Retriever
from ss_core.ports import (
    LLM,
    ArtifactRepository,
    AuditLog,
    Clock,
    DatasetInspector,
    IdGenerator,
    JobRepository,
    ObjectStore,
    RunQueue,
    StataRunner,
    TaskCodeRepository,
    TokenRepository,
)
from ss_core.ports.report_writer import ReportWriter
from ss_core.usecases.inspection import Inspections


@dataclass(frozen=True)
class Policies:
    """Operator-tunable limits; defaults are the documented production defaults."""

    token_ttl_hours: float = 72.0
    max_upload_bytes: int = 2 * 1024**3
    max_files_per_upload: int = 8
    upload_idle_seconds: float = 60.0
    max_requirement_chars: int = 5000
    lease_seconds: float = 60.0
    max_claims: int = 3
    selection_candidates: int = 8
    runs_execute_here: bool = True  # False on API-only hosts: workers elsewhere run Stata
    redeem_rate_per_minute: int = 20
    # An upload whose primary dataset is at most this size is answered after its whole-file
    # inspection (its manifest, or its error); a larger one as soon as its files are stored,
    # the inspection going on (SS_UPLOAD_INSPECT_INLINE_BYTES; None: every upload waits).
    inline_inspection_bytes: int | None = None
    # How long the preview, the sheet choice and the draft wait for an inspection in progress
    # before answering "pending" (SS_INPUTS_WAIT_SECONDS).
    inputs_wait_seconds: float = 30.0
    stata_timeouts: dict[str, float] = field(
        default_factory=lambda: {"short": 300.0, "standard": 1800.0, "long": 7200.0}
    )


@dataclass(frozen=True)
class Services:
    jobs: JobRepository
    task_codes: TaskCodeRepository
    tokens: TokenRepository
    runs: RunQueue
    artifacts: ArtifactRepository
    audit: AuditLog
    store: ObjectStore
    inspector: DatasetInspector
    library: Library
    retriever: Retriever
    clock: Clock
    ids: IdGenerator
    llm: LLM | None
    runner: StataRunner | None
    policies: Policies = field(default_factory=Policies)
    llm_unavailable: SSError | None = None
    runner_unavailable: SSError | None = None
    report_writer: ReportWriter | None = None
    inspections: Inspections = field(default_factory=Inspections)

    def require_llm(self) -> LLM:
        """The LLM, or the structured reason it is not available (never a fallback)."""
        if self.llm is None:
            raise self.llm_unavailable or LLMNotConfigured(
                "no LLM provider is configured; set SS_LLM_PROVIDER, SS_LLM_MODEL and "
                "SS_LLM_API_KEY")
        return self.llm

    def require_report_writer(self) -> ReportWriter:
        """The Word/Excel report writer, or ``REPORT_BUILD_FAILED`` naming the missing wiring."""
        if self.report_writer is None:
            raise SSError("no report writer is wired into this service; the composition root "
                          "must provide one", code="REPORT_BUILD_FAILED", retryable=False)
        return self.report_writer

    def require_runner(self) -> StataRunner:
        if self.runner is None:
            raise self.runner_unavailable or SSError(
                "no Stata executable is configured; set SS_STATA_CMD", code="STATA_NOT_CONFIGURED")
        return self.runner


def assemble(
    *, jobs: JobRepository, task_codes: TaskCodeRepository, tokens: TokenRepository,
    runs: RunQueue, artifacts: ArtifactRepository, audit: AuditLog, store: ObjectStore,
    inspector: DatasetInspector, library: Library, clock: Clock, ids: IdGenerator,
    llm: LLM | None = None, runner: StataRunner | None = None, policies: Policies | None = None,
    llm_unavailable: SSError | None = None, runner_unavailable: SSError | None = None,
    report_writer: ReportWriter | None = None,
) -> Services:
    """The ``Services`` every use case receives, from the ports' implementations. A missing
    ``llm``/``runner`` is allowed (an API-only host, a library without Stata); the use cases
    that need one raise the structured ``*_unavailable`` reason (or the default one)."""
    return Services(
        jobs=jobs, task_codes=task_codes, tokens=tokens, runs=runs, artifacts=artifacts,
        audit=audit, store=store, inspector=inspector, library=library,
        retriever=Retriever(library), clock=clock, ids=ids, llm=llm, runner=runner,
        policies=policies or Policies(), llm_unavailable=llm_unavailable,
        runner_unavailable=runner_unavailable, report_writer=report_writer)
