"""Embedding SS's core in your own Python service: the whole journey through ss_core use cases.

ss_core knows nothing about HTTP, databases, files or Stata installations. It asks for ports
(``ss_core.ports``): repositories, an object store, a dataset inspector, an LLM, a Stata
runner, a clock and an id generator. Supply implementations of those Protocols, assemble a
``Services`` bundle with ``build_services`` and call ``analyse``.

Run it against the production adapters of this repository (configured from ``SS_*``
environment variables, see docs/configuration.md)::

    python examples/embed_core.py wages.csv "OLS of wage on education, cluster by firm"

tests/core/test_embedding_example.py runs the same ``analyse`` over the test doubles.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ss_adapters.report import OfficeReportWriter
from ss_adapters.system import SecretIdGenerator, SystemClock
from ss_core.domain.job import JobStatus
from ss_core.errors import SSError
from ss_core.library.loader import load_library
from ss_core.ports import (
    LLM,
    ArtifactRepository,
    AuditLog,
    DatasetInspector,
    JobRepository,
    ObjectStore,
    RunQueue,
    StataRunner,
    TaskCodeRepository,
    TokenRepository,
)
from ss_core.usecases.access import authorize, issue_task_codes, redeem
from ss_core.usecases.archive import list_artifacts, open_artifact
from ss_core.usecases.draft import DraftPending, draft_preview
from ss_core.usecases.inputs import UploadSource, upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.services import Policies, Services, assemble
from ss_core.usecases.worker import Worker

LIBRARY = Path(__file__).resolve().parents[1] / "assets" / "stata_do_library"
TERMINAL = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


def build_services(
    *, jobs: JobRepository, task_codes: TaskCodeRepository, tokens: TokenRepository,
    runs: RunQueue, artifacts: ArtifactRepository, audit: AuditLog, store: ObjectStore,
    inspector: DatasetInspector, llm: LLM, runner: StataRunner,
    library_root: Path = LIBRARY, clock: Any = None, ids: Any = None,
    policies: Policies | None = None,
) -> Services:
    """Assemble the bundle every use case receives from your port implementations."""
    return assemble(
        jobs=jobs, task_codes=task_codes, tokens=tokens, runs=runs, artifacts=artifacts,
        audit=audit, store=store, inspector=inspector, library=load_library(library_root),
        clock=clock or SystemClock(), ids=ids or SecretIdGenerator(), llm=llm, runner=runner,
        policies=policies, report_writer=OfficeReportWriter())


@dataclass
class Outcome:
    """What one analysis produced: the job, its plan, and every artifact with its bytes."""

    job_id: str
    status: str
    template_id: str | None = None
    plan_id: str | None = None
    rationale: str | None = None
    error: dict[str, Any] | None = None
    artifacts: dict[str, bytes] = field(default_factory=dict)


async def _chunks(data: bytes) -> Any:
    yield data


async def _read(services: Services, job_id: str, rel_path: str) -> bytes:
    artifact, chunks = await open_artifact(services, job_id, rel_path)
    data = b"".join([chunk async for chunk in chunks])
    if hashlib.sha256(data).hexdigest() != artifact.sha256:
        raise SSError(f"artifact {rel_path} does not match its indexed sha256",
                      code="STORAGE_UNAVAILABLE", rel_path=rel_path)
    return data


async def analyse(
    services: Services, *, dataset: bytes, filename: str, requirement: str,
    params: dict[str, Any] | None = None, max_worker_turns: int = 10,
) -> Outcome:
    """Run one request end to end in this process and return its outcome.

    A freeze that misses required parameters raises ``SSError`` with
    ``error_code == "PLAN_FREEZE_MISSING_REQUIRED"``; its ``context`` names each missing
    parameter and its candidate columns: call again with ``params={name: column}``.
    """
    [code] = await issue_task_codes(services, count=1, expires_in_days=1, tenant="embedded")
    access = await redeem(services, code.task_code, requirement)
    job_id = access.job_id
    await authorize(services, access.token, job_id)  # what an HTTP layer would do per call
    await upload_inputs(services, job_id, [
        UploadSource(filename=filename, role=None, chunks=lambda: _chunks(dataset))])
    drafted = await draft_preview(services, job_id)
    if isinstance(drafted, DraftPending):  # pragma: no cover - inputs were just uploaded
        raise SSError("the draft is not ready", code="DRAFT_MISSING", job_id=job_id)
    plan = await freeze(services, job_id, FreezeRequest(params=params or {}))
    await enqueue_run(services, job_id)
    worker = Worker(services, "embedded-worker")
    job = await services.jobs.get(job_id)
    for _ in range(max_worker_turns):
        if job.status in TERMINAL:
            break
        await worker.run_once()
        job = await services.jobs.get(job_id)
    outcome = Outcome(job_id=job_id, status=job.status.value,
                      template_id=plan.template.template_id, plan_id=plan.plan_id,
                      rationale=plan.template.rationale, error=job.error)
    for artifact in await list_artifacts(services, job_id):
        outcome.artifacts[artifact.rel_path] = await _read(services, job_id, artifact.rel_path)
    return outcome


async def _main(data: bytes, filename: str, requirement: str) -> int:
    from ss_adapters.runtime import Runtime  # the production composition root

    runtime = Runtime(dict(os.environ))
    await runtime.start()
    try:
        outcome = await analyse(runtime.services, dataset=data, filename=filename,
                                requirement=requirement)
    except SSError as exc:
        print(exc.to_body())
        return 1
    finally:
        await runtime.close()
    print(f"job {outcome.job_id}: {outcome.status} with {outcome.template_id} "
          f"(plan {outcome.plan_id})")
    for rel_path, data in outcome.artifacts.items():
        print(f"  {rel_path}  {len(data)} bytes")
    return 0 if outcome.status == "succeeded" else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: python examples/embed_core.py DATASET REQUIREMENT")
        raise SystemExit(2)
    path = Path(sys.argv[1])
    raise SystemExit(asyncio.run(_main(path.read_bytes(), path.name, sys.argv[2])))
