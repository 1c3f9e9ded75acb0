"""Assemble ss_core's Services from test doubles (the embedding set-up)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ss_adapters.report import OfficeReportWriter
from ss_core.library.loader import load_library
from ss_core.usecases.services import Policies, Services, assemble
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


@dataclass
class Kit:
    services: Services
    llm: SchemaLLM
    runner: InProcessStata
    store: MemoryObjectStore
    clock: SteppingClock
    repos: MemoryRepositories


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
