"""The Stata runner port: run a rendered do-file in batch mode and report what happened."""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

from ss_core.diagnosis import Diagnosis
from ss_core.ports.object_store import StoredObject


class StataInstallation(msgspec.Struct, frozen=True, kw_only=True):
    command: str
    version: str
    edition: str = ""
    details: dict[str, Any] = msgspec.field(default_factory=dict)


class StagedInput(msgspec.Struct, frozen=True, kw_only=True):
    """A file to place in the run directory, read from the object store."""

    filename: str
    object_key: str


class StataJob(msgspec.Struct, frozen=True, kw_only=True):
    run_id: str
    claim: int
    do_file: str
    inputs: tuple[StagedInput, ...]
    commands_to_check: tuple[str, ...]
    declared_outputs: tuple[str, ...]
    output_prefix: str
    timeout_seconds: float
    package_of_command: dict[str, str] = msgspec.field(default_factory=dict)


class ProducedFile(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    object_key: str
    size_bytes: int
    sha256: str
    declared: bool


class PreflightResult(msgspec.Struct, frozen=True, kw_only=True):
    missing_commands: tuple[str, ...]
    log_key: str | None = None


class StataRunResult(msgspec.Struct, frozen=True, kw_only=True):
    """``diagnosis`` says what happened (from the side-file rc and the log); the log and the
    files are already stored (with their size and sha256)."""

    ok: bool
    diagnosis: Diagnosis
    exit_code: int | None
    duration_seconds: float
    command_line: tuple[str, ...]
    stata_version: str
    log: StoredObject | None
    files: tuple[ProducedFile, ...]


class StataRunner(Protocol):
    async def probe(self) -> StataInstallation:
        """Run the version probe; ``STATA_NOT_CONFIGURED``/``STATA_LAUNCH_FAILED`` on failure."""
        ...

    async def preflight(self, job: StataJob) -> PreflightResult:
        """Check every command of ``job.commands_to_check`` with ``which``; report all missing."""
        ...

    async def run(self, job: StataJob) -> StataRunResult:
        """Stage inputs, run the do-file, judge the outcome from the log, store the log and
        every produced file under ``job.output_prefix``. Never raises for a Stata-level
        failure (that is in ``diagnosis``); raises for infrastructure failures."""
        ...
