"""Build the results report of a succeeded job: ``report.html``, ``report.docx`` and
``tables.xlsx``, archived as indexed artifacts like every other output.

Built by the worker right after a run succeeds (``after_success``) and on demand
(``build_report``, e.g. in another language or without the interpretation). A report never
changes the job: a failure is archived as a ``report_error`` artifact and the job stays
``succeeded``. Reads are bounded (tables, figures, log) so a huge output cannot stall it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import msgspec

from ss_core.domain.artifact import Artifact, ArtifactKind
from ss_core.domain.job import Job
from ss_core.domain.plan import canonical_json
from ss_core.errors import SSError
from ss_core.ports.llm import LLMTrace
from ss_core.reporting.compose import compose_report
from ss_core.reporting.html import render_html
from ss_core.reporting.interpretation import InterpretationOutcome, Omitted, Published, interpret
from ss_core.reporting.language import language_of
from ss_core.reporting.model import Figure
from ss_core.reporting.tables import RESULTS_FILE, ResultTable, read_table
from ss_core.usecases.archive import archive_bytes
from ss_core.usecases.services import Services

log = logging.getLogger("ss.report")

MAX_TABLE_BYTES = 2 * 1024 * 1024
MAX_FIGURE_BYTES = 5 * 1024 * 1024
MAX_LOG_BYTES = 2 * 1024 * 1024
MAX_TABLES = 12
MAX_FIGURES = 12
HTML_NAME = "report.html"


class ReportRequest(msgspec.Struct, frozen=True, kw_only=True):
    language: str | None = None  # "en" | "zh"; None: the request's language
    interpretation: bool = True


class ReportBuilt(msgspec.Struct, frozen=True, kw_only=True, tag="built"):
    build_id: str
    language: str
    artifacts: tuple[Artifact, ...]
    interpretation: str  # published | omitted | not_requested
    omitted_reason: str | None = None


class ReportFailed(msgspec.Struct, frozen=True, kw_only=True, tag="failed"):
    build_id: str
    error_code: str
    message: str
    artifact: Artifact


ReportOutcome = ReportBuilt | ReportFailed


async def build_report(services: Services, job_id: str,
                       request: ReportRequest | None = None) -> ReportOutcome:
    """(Re)build the report; ``JOB_STATE_CONFLICT`` unless the job succeeded."""
    job = await services.jobs.get(job_id)
    run_id = job.succeeded_run_id()  # JOB_STATE_CONFLICT before a run succeeded
    return await _build(services, job, run_id, request or ReportRequest())


async def after_success(services: Services, job_id: str) -> ReportOutcome | None:
    """The worker's hook: build the default report; whatever happens, the run stands."""
    try:
        return await build_report(services, job_id)
    except Exception:  # a report must never turn a succeeded run into a failed loop
        log.exception("report.build_failed job_id=%s", job_id)
        return None


async def _build(services: Services, job: Job, run_id: str,
                 request: ReportRequest) -> ReportOutcome:
    build_id = services.ids.new_id("rep")
    prefix = f"reports/{build_id}"
    language = language_of(job.requirement, request.language)
    try:
        writer = services.require_report_writer()
        run = await services.runs.get(run_id)
        assert job.plan is not None
        template = services.library.get(job.plan.template.template_id).meta
        outputs = _outputs_of(await services.artifacts.list_for_job(job.job_id), run_id,
                              run.claim_count)
        captions = {o.file: o.description for o in job.plan.outputs_contract.declared}
        tables = await _tables(services, outputs, captions, language)
        figures = await _figures(services, outputs, captions)
        log_text = await _log_text(services, outputs)
        outcome: InterpretationOutcome | None = None
        if request.interpretation:
            outcome = await _interpret(services, job, template.family,
                                       getattr(template.title, language), language, tables,
                                       prefix, run_id)
        report = compose_report(
            job=job, template=template, run_id=run_id,
            stata_version=run.meta.stata_version if run.meta else "", tables=tables,
            figures=figures, log_text=log_text, interpretation=outcome, language=language,
            now=services.clock.now())
        documents = [(HTML_NAME, render_html(report))]
        documents += [(d.name, d.data) for d in await writer.write(report)]
        artifacts = []
        for name, data in documents:
            artifacts.append(await archive_bytes(
                services, job.job_id, ArtifactKind.REPORT, f"{prefix}/{name}", data,
                run_id=run_id, meta={"build_id": build_id, "language": language}))
    except SSError as exc:
        return await _failed(services, job, build_id, run_id, exc)
    await services.audit.record(job_id=job.job_id, event="report.built",
                                at=services.clock.now(),
                                data={"build_id": build_id, "language": language})
    return ReportBuilt(
        build_id=build_id, language=language, artifacts=tuple(artifacts),
        interpretation=("not_requested" if outcome is None else
                        "published" if isinstance(outcome, Published) else "omitted"),
        omitted_reason=outcome.reason if isinstance(outcome, Omitted) else None)


async def _failed(services: Services, job: Job, build_id: str, run_id: str,
                  exc: SSError) -> ReportFailed:
    body = {"error_code": exc.error_code, "message": exc.message, "build_id": build_id}
    artifact = await archive_bytes(services, job.job_id, ArtifactKind.REPORT_ERROR,
                                   f"reports/{build_id}/report_error.json",
                                   canonical_json(body), run_id=run_id)
    await services.audit.record(job_id=job.job_id, event="report.failed",
                                at=services.clock.now(),
                                data={"build_id": build_id, "error_code": exc.error_code})
    return ReportFailed(build_id=build_id, error_code=exc.error_code, message=exc.message,
                        artifact=artifact)


def _outputs_of(artifacts: Sequence[Artifact], run_id: str, claim: int) -> list[Artifact]:
    """The outputs and log of the run's final claim, in index order."""
    prefix = f"runs/{run_id}/c{claim}/"
    return [a for a in artifacts if a.run_id == run_id and a.rel_path.startswith(prefix)]


def _file_name(artifact: Artifact) -> str:
    return artifact.rel_path.rsplit("/", 1)[-1]


async def _read_bounded(services: Services, key: str, limit: int) -> bytes | None:
    """The object's bytes, or None when it is larger than ``limit``."""
    chunks, size = [], 0
    async for chunk in services.store.iter_bytes(key):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _tables(services: Services, outputs: Sequence[Artifact], captions: dict[str, str],
                  language: str) -> list[ResultTable]:
    results_caption = {"en": "Key results (every estimate the analysis recorded)",
                       "zh": "主要结果（分析记录的全部估计值）"}[language]
    found: list[ResultTable] = []
    csvs = sorted((a for a in outputs if a.rel_path.endswith(".csv")),
                  key=lambda a: (_file_name(a) != RESULTS_FILE, _file_name(a)))
    for artifact in csvs[:MAX_TABLES]:
        data = await _read_bounded(services, artifact.object_key, MAX_TABLE_BYTES)
        if data is None:
            continue
        name = _file_name(artifact)
        caption = results_caption if name == RESULTS_FILE else captions.get(name, name)
        found.append(read_table(name, data, caption))
    return found


async def _figures(services: Services, outputs: Sequence[Artifact],
                   captions: dict[str, str]) -> list[Figure]:
    found = []
    for artifact in outputs:
        if artifact.content_type not in ("image/png", "image/svg+xml"):
            continue
        data = await _read_bounded(services, artifact.object_key, MAX_FIGURE_BYTES)
        if data is None or artifact.content_type == "image/svg+xml":
            continue  # SVG can carry script: figures are shown only as PNG
        name = _file_name(artifact)
        found.append(Figure(name=name, caption=captions.get(name, name),
                            content_type=artifact.content_type, data=data))
        if len(found) == MAX_FIGURES:
            break
    return found


async def _log_text(services: Services, outputs: Sequence[Artifact]) -> str:
    for artifact in outputs:
        if artifact.kind is ArtifactKind.STATA_LOG:
            data = await _read_bounded(services, artifact.object_key, MAX_LOG_BYTES)
            return "" if data is None else data.decode("utf-8", errors="replace")
    return ""


async def _interpret(services: Services, job: Job, family: str, title: str, language: str,
                     tables: list[ResultTable], prefix: str, run_id: str
                     ) -> InterpretationOutcome:
    if services.llm is None:
        reason = {"en": "no language model is configured", "zh": "未配置语言模型"}[language]
        return Omitted(reason=reason)
    outcome, traces = await interpret(services.llm, requirement=job.requirement, title=title,
                                      family=family, language=language, tables=tables)
    await _archive_traces(services, job.job_id, prefix, run_id, traces)
    return outcome


async def _archive_traces(services: Services, job_id: str, prefix: str, run_id: str,
                          traces: Sequence[LLMTrace]) -> None:
    for i, trace in enumerate(traces, start=1):
        await archive_bytes(services, job_id, ArtifactKind.LLM_TRACE,
                            f"{prefix}/llm/interpret-{i}.json",
                            canonical_json(msgspec.to_builtins(trace)), run_id=run_id)
