"""Assemble ss_core's Services from test doubles (the embedding set-up), and build a job up
to any stage of its journey (``await kit.job(until="plan_frozen")``) through the use cases."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from ss_adapters.report import OfficeReportWriter
from ss_core.domain.job import Job, JobStatus
from ss_core.library.loader import load_library
from ss_core.usecases.access import issue_task_codes, redeem
from ss_core.usecases.draft import draft_preview
from ss_core.usecases.inputs import UploadSource, upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.services import Policies, Services, assemble
from ss_core.usecases.worker import Worker
from tests.doubles.csv_inspector import CsvInspector
from tests.doubles.inprocess_stata import InProcessStata
from tests.doubles.memory_object_store import MemoryObjectStore
from tests.doubles.memory_repositories import MemoryRepositories
from tests.doubles.schema_llm import SchemaLLM

LIBRARY_ROOT = Path(__file__).resolve().parents[2] / "assets" / "stata_do_library"


class SteppingClock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.current += timedelta(milliseconds=10)
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class CountingIds:
    def __init__(self) -> None:
        self._n = itertools.count(1)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._n):06d}"

    def new_secret(self, nbytes: int = 32) -> str:
        return f"secret{next(self._n):06d}x{nbytes}"


CSV = "工资,educ,firm\n10.5,12,1\n12.0,16,2\n9.0,10,1\n".encode()
REQUIREMENT = "OLS regression of wage on education"
STAGES = ("created", "inputs_uploaded", "draft_ready", "plan_frozen", "succeeded")
Stage = Literal["created", "inputs_uploaded", "draft_ready", "plan_frozen", "succeeded"]


def upload(data: bytes = CSV, name: str = "wages.csv") -> list[UploadSource]:
    return [UploadSource(filename=name, role=None, chunks=lambda: chunks_of(data))]


@dataclass
class Kit:
    services: Services
    llm: SchemaLLM
    runner: InProcessStata
    store: MemoryObjectStore
    clock: SteppingClock
    repos: MemoryRepositories

    async def job(self, until: Stage, requirement: str = REQUIREMENT, data: bytes = CSV,
                  name: str = "wages.csv") -> Job:
        """A new job taken through the real use cases up to ``until`` (a run that does not
        succeed there is a failure of the test's set-up, reported as such)."""
        reached = STAGES.index(until)
        [code] = await issue_task_codes(self.services, count=1, expires_in_days=1)
        job_id = (await redeem(self.services, code.task_code, requirement)).job_id
        if reached >= STAGES.index("inputs_uploaded"):
            await upload_inputs(self.services, job_id, upload(data, name))
        if reached >= STAGES.index("draft_ready"):
            await draft_preview(self.services, job_id)
        if reached >= STAGES.index("plan_frozen"):
            await freeze(self.services, job_id, FreezeRequest())
        if reached >= STAGES.index("succeeded"):
            await enqueue_run(self.services, job_id)
            outcome = await Worker(self.services, "kit").run_once()
            assert outcome is JobStatus.SUCCEEDED, f"set-up run ended {outcome}"
        job = await self.services.jobs.get(job_id)
        assert job.status.value == until, (job.status, until)
        return job


def make_kit(roles: dict | None = None, installed: set[str] | None = None,
             choose: str | None = "ols_robust") -> Kit:
    repos = MemoryRepositories()
    store = MemoryObjectStore()
    llm = SchemaLLM(roles=roles, choose=choose)
    runner = InProcessStata(store, installed=installed)
    clock = SteppingClock()
    library = load_library(LIBRARY_ROOT)
    services = assemble(
        jobs=repos.jobs, task_codes=repos.task_codes, tokens=repos.tokens, runs=repos.runs,
        artifacts=repos.artifacts, audit=repos.audit, store=store,
        inspector=CsvInspector(store), library=library, clock=clock, ids=CountingIds(), llm=llm,
        runner=runner, policies=Policies(lease_seconds=30), report_writer=OfficeReportWriter())
    return Kit(services, llm, runner, store, clock, repos)


async def chunks_of(data: bytes):
    yield data
