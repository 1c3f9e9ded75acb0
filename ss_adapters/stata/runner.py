"""The Stata batch runner: the production implementation of ``StataRunner``.

Every probe, preflight and run is one fresh batch Stata process in a fresh directory under
``SS_STATA_WORK_DIR``, driven through the runner-owned wrapper do-file, holding a licence seat
(an asyncio semaphore of ``SS_STATA_MAX_CONCURRENT``) for its whole life. The outcome is judged
by ``ss_core.diagnosis`` from the side-file rc and the batch log, never from the exit status.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import msgspec

from ss_adapters.stata.logs import read_bounded, read_small
from ss_adapters.stata.process import ProcessOutcome, command_line, run_batch
from ss_adapters.stata.rundir import (
    collect_outputs,
    fresh_dir,
    remove_dir,
    stage_inputs,
    store_file,
)
from ss_adapters.stata.settings import StataSettings
from ss_adapters.stata.wrapper import (
    PROBE_FILE,
    RC_FILE,
    RUNNER_DIR,
    RUNNER_LOG,
    RunFiles,
    edition_of,
    parse_probe,
    probe_do_file,
    wrapper_do_file,
)
from ss_core.diagnosis import Diagnosis, diagnose
from ss_core.errors import StataError
from ss_core.ports.object_store import ObjectStore, StoredObject
from ss_core.ports.stata_runner import (
    PreflightResult,
    StataInstallation,
    StataJob,
    StataRunResult,
)
from ss_core.preflight import (
    PREFLIGHT_SIDE_FILE,
    parse_preflight,
    preflight_do_file,
    validate_command_names,
)
from ss_core.rendering.house import DONE_MARKER

LOG_TYPE = "text/plain"



# A probe that gave no version failed to launch, unless the log says it was the licence.
PROBE_FAILURE_CODE = {"STATA_LICENSE_UNAVAILABLE": "STATA_LICENSE_UNAVAILABLE"}

class _Finished(msgspec.Struct, frozen=True, kw_only=True):
    outcome: ProcessOutcome
    diagnosis: Diagnosis
    log_path: Path


class StataBatchRunner:
    """Runs do-files with a local Stata in batch mode; see docs/stata-runner.md."""

    def __init__(self, settings: StataSettings, store: ObjectStore) -> None:
        self._settings = settings
        self._store = store
        self._seats = asyncio.Semaphore(settings.max_concurrent)
        self._installation: StataInstallation | None = None

    @property
    def settings(self) -> StataSettings:
        return self._settings

    # -- ports ---------------------------------------------------------------------------

    async def probe(self) -> StataInstallation:
        """Run the version probe; ``STATA_NOT_CONFIGURED``/``STATA_LAUNCH_FAILED`` on failure."""
        self._require_command()
        directory = await self._fresh("probe", f"probe-{secrets.token_hex(6)}")
        try:
            files = RunFiles(stem=secrets.token_hex(6), job="ss_probe_job.do")
            await asyncio.to_thread(_write, directory / files.job, probe_do_file())
            done = await self._execute(directory, files, self._settings.probe_timeout_seconds,
                                       {}, None)
            answer = await asyncio.to_thread(read_small, directory / PROBE_FILE, 65_536)
            facts = parse_probe(answer or "")
            version = facts.get("stata_version", "")
            if not version or version == ".":
                diagnosis = done.diagnosis
                code = PROBE_FAILURE_CODE.get(diagnosis.error_code or "", "STATA_LAUNCH_FAILED")
                raise StataError(
                    "the Stata version probe gave no answer: " + diagnosis.message, code=code,
                    command=Path(self._settings.command).name,
                    exit_code=done.outcome.exit_code)
            installation = StataInstallation(
                command=self._settings.command, version=version, edition=edition_of(facts),
                details={**facts, "command_line": list(done.outcome.argv)})
            self._installation = installation
            return installation
        finally:
            await self._cleanup(directory)

    async def preflight(self, job: StataJob) -> PreflightResult:
        """Check every command of ``job.commands_to_check`` with ``which``; report all missing."""
        names = validate_command_names(job.commands_to_check)
        if not names:
            return PreflightResult(missing_commands=())
        self._require_command()
        directory = await self._fresh("runs", f"{job.run_id}-c{job.claim}-preflight")
        try:
            files = RunFiles(stem=secrets.token_hex(6), job="ss_preflight.do")
            await asyncio.to_thread(_write, directory / files.job, preflight_do_file(names))
            done = await self._execute(directory, files, self._settings.probe_timeout_seconds,
                                       job.package_of_command, None)
            log = await self._store_log(done.log_path, job.output_prefix + "preflight.log")
            log_key = log.key if log else None
            side = await asyncio.to_thread(read_small, directory / PREFLIGHT_SIDE_FILE)
            missing = parse_preflight(side, names)
            if missing is None:
                diagnosis = done.diagnosis
                code = diagnosis.error_code if not diagnosis.ok and diagnosis.error_code else (
                    "STATA_CRASHED")
                raise StataError("the dependency preflight did not finish: " + diagnosis.message,
                                 code=code, run_id=job.run_id, log_key=log_key,
                                 rc=diagnosis.rc)
            return PreflightResult(missing_commands=missing, log_key=log_key)
        finally:
            await self._cleanup(directory)

    async def run(self, job: StataJob) -> StataRunResult:
        """Stage inputs, run the do-file, judge the outcome, store the log and every produced
        file under ``job.output_prefix``. Raises only for infrastructure failures."""
        self._require_command()
        directory = await self._fresh("runs", f"{job.run_id}-c{job.claim}")
        try:
            await stage_inputs(self._store, directory, job.inputs)
            files = RunFiles(stem=secrets.token_hex(6), job="job.do")
            await asyncio.to_thread(_write, directory / files.job, job.do_file)
            timeout = job.timeout_seconds if job.timeout_seconds > 0 else (
                self._settings.timeout_seconds)
            done = await self._execute(directory, files, timeout, job.package_of_command,
                                       job.do_file)
            log = await self._store_log(done.log_path, job.output_prefix + "stata.log")
            excluded = files.owned() | {item.filename for item in job.inputs}
            produced = await collect_outputs(
                self._store, directory, prefix=job.output_prefix, excluded=excluded,
                declared=set(job.declared_outputs))
        finally:
            await self._cleanup(directory)
        installation = self._installation
        return StataRunResult(
            ok=done.diagnosis.ok, diagnosis=done.diagnosis,
            exit_code=done.outcome.exit_code, duration_seconds=done.outcome.duration_seconds,
            command_line=done.outcome.argv,
            stata_version=installation.version if installation else "",
            log=log, files=produced)

    # -- internals -----------------------------------------------------------------------

    def _require_command(self) -> None:
        if not self._settings.command:
            raise StataError("no Stata command is configured; set SS_STATA_CMD to the batch "
                             "executable (for example stata-mp)", code="STATA_NOT_CONFIGURED")

    async def _fresh(self, area: str, name: str) -> Path:
        root = Path(self._settings.work_dir) / area
        await asyncio.to_thread(root.mkdir, parents=True, exist_ok=True)
        return await asyncio.to_thread(fresh_dir, root, name)

    async def _cleanup(self, directory: Path) -> None:
        if not self._settings.keep_run_dirs:
            await asyncio.to_thread(remove_dir, directory)

    def _environment(self, directory: Path) -> dict[str, str]:
        private = directory / RUNNER_DIR
        env = dict(self._settings.extra_env)
        env.update(PATH=self._settings.env_path, HOME=str(private / "home"),
                   TMPDIR=str(private / "tmp"), STATATMP=str(private / "tmp"),
                   LANG="C.UTF-8", LC_ALL="C.UTF-8")
        return env

    async def _execute(self, directory: Path, files: RunFiles, limit_seconds: float,
                       package_of_command: dict[str, str], do_file: str | None) -> _Finished:
        settings = self._settings
        wrapper = wrapper_do_file(files.job, settings.ado_dir)
        await asyncio.to_thread(_write, directory / files.wrapper, wrapper)
        argv = command_line(settings.command, settings.cli_style, files.wrapper)
        async with self._seats:
            outcome = await run_batch(argv, cwd=directory, env=self._environment(directory),
                                      limit_seconds=limit_seconds,
                                      grace=settings.kill_grace_seconds)
        log_path = directory / files.batch_log
        text, size = await asyncio.to_thread(read_bounded, log_path, settings.diagnose_bytes)
        if size == 0:
            log_path = directory / RUNNER_LOG
            text, size = await asyncio.to_thread(read_bounded, log_path, settings.diagnose_bytes)
        side_text = await asyncio.to_thread(read_small, directory / RC_FILE)
        marker_seen = None
        if do_file is not None and DONE_MARKER in do_file:
            marker_seen = any(line.strip() == DONE_MARKER for line in text.splitlines())
        diagnosis = diagnose(
            text, side_rc=_side_rc(side_text), package_of_command=package_of_command,
            timed_out=outcome.timed_out, exit_code=outcome.exit_code, stderr=outcome.stderr,
            done_marker_seen=marker_seen, do_file_text=do_file)
        return _Finished(outcome=outcome, diagnosis=diagnosis, log_path=log_path)

    async def _store_log(self, path: Path, key: str) -> StoredObject | None:
        exists = await asyncio.to_thread(path.is_file)
        if not exists:
            return None
        return await store_file(self._store, path, key, LOG_TYPE)


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _side_rc(text: str | None) -> int | None:
    if text is None:
        return None
    token = text.strip().split()[0] if text.strip() else ""
    return int(token) if token.lstrip("-").isdigit() else None

