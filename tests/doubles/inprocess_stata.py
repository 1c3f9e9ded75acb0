"""A StataRunner double for core tests: 'runs' a do-file by writing the files it exports."""

from __future__ import annotations

import hashlib
import re

from ss_core.diagnosis import Diagnosis
from ss_core.ports.object_store import ObjectStore
from ss_core.ports.stata_runner import (
    PreflightResult,
    ProducedFile,
    StataInstallation,
    StataJob,
    StataRunResult,
)

_EXPORT = re.compile(r'(?:using|export)\s+"([a-z0-9_]+\.[a-z]+)"')


class InProcessStata:
    def __init__(self, store: ObjectStore, installed: set[str] | None = None,
                 fail_rc: int | None = None) -> None:
        self.store = store
        self.installed = installed or set()
        self.fail_rc = fail_rc
        self.jobs: list[StataJob] = []
        self.outputs: dict[str, bytes] = {}  # what a named output file holds (default x,y)

    async def probe(self) -> StataInstallation:
        return StataInstallation(command="inprocess", version="18.0", edition="MP")

    async def preflight(self, job: StataJob) -> PreflightResult:
        return PreflightResult(missing_commands=tuple(
            c for c in job.commands_to_check if c not in self.installed))

    async def _put(self, job: StataJob, name: str, data: bytes, declared: bool) -> ProducedFile:
        stored = await self.store.put_bytes(job.output_prefix + name, data, "text/plain")
        return ProducedFile(name=name, object_key=stored.key, size_bytes=stored.size_bytes,
                            sha256=hashlib.sha256(data).hexdigest(), declared=declared)

    async def run(self, job: StataJob) -> StataRunResult:
        self.jobs.append(job)
        files = []
        for name in sorted(set(_EXPORT.findall(job.do_file)) | {"analysis.log"}):
            data = self.outputs.get(name, b"x,y\n1,2\n")
            files.append(await self._put(job, name, data, name in job.declared_outputs))
        log = await self.store.put_bytes(job.output_prefix + "stata.log", b". do job.do\n",
                                         "text/plain")
        ok = self.fail_rc is None
        diagnosis = Diagnosis(ok=ok, error_code=None if ok else "STATA_DATA_EMPTY",
                              rc=self.fail_rc, message="ok" if ok else "no observations",
                              failing_command=None if ok else "regress y x",
                              failing_line=None, retryable=False)
        return StataRunResult(ok=ok, diagnosis=diagnosis, exit_code=0, duration_seconds=0.1,
                              command_line=("stata", "-b", "-q", "do", "wrapper.do"),
                              stata_version="18.0", log=log, files=tuple(files))
