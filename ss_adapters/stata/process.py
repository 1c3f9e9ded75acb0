"""Launch one batch Stata process and bound it by a wall-clock limit.

The process starts in its own session (so it leads a new process group), with stdin from
/dev/null, stdout/stderr to files in the run directory, a sanitised environment and no shell.
On timeout the whole group gets SIGTERM, then SIGKILL after a grace period; after any exit the
group is swept once more so no child of Stata outlives the run. (On hosts without process
groups - Windows - only the Stata process itself is terminated.)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from pathlib import Path

import msgspec

from ss_core.errors import StataError


class ProcessOutcome(msgspec.Struct, frozen=True, kw_only=True):
    argv: tuple[str, ...]
    exit_code: int | None
    timed_out: bool
    duration_seconds: float
    stderr: str  # the head of stderr, then of stdout (licence messages use either)


def command_line(command: str, cli_style: str, do_file: str) -> tuple[str, ...]:
    """Batch argv: ``-b -q do FILE`` (Unix console) or ``/e do FILE`` (Windows)."""
    if cli_style == "windows":
        return (command, "/e", "do", do_file)
    return (command, "-b", "-q", "do", do_file)


PROCESS_GROUPS = hasattr(os, "killpg")


def _signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to the group; False when no process of the group is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    return True


async def _terminate(proc: asyncio.subprocess.Process, grace: float) -> None:
    if not PROCESS_GROUPS:  # pragma: no cover - Windows hosts: the process only
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), timeout=grace)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        return
    pgid = proc.pid
    _signal_group(pgid, signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(proc.wait(), timeout=grace)
    _signal_group(pgid, signal.SIGKILL)
    await proc.wait()


async def _sweep(pgid: int, grace: float) -> None:
    """Kill what is left of the group (children that outlived Stata), bounded in time."""
    if not PROCESS_GROUPS or not _signal_group(pgid, signal.SIGTERM):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if not _signal_group(pgid, 0):
            return
    _signal_group(pgid, signal.SIGKILL)


async def run_batch(
    argv: tuple[str, ...],
    *,
    cwd: Path,
    env: dict[str, str],
    limit_seconds: float,
    grace: float,
) -> ProcessOutcome:
    """Run ``argv`` in ``cwd``; ``STATA_LAUNCH_FAILED`` when the executable cannot start."""
    stdout_path = cwd / ".ss" / "stdout.txt"
    stderr_path = cwd / ".ss" / "stderr.txt"
    started = time.monotonic()
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, cwd=str(cwd), env=env, stdin=asyncio.subprocess.DEVNULL,
                stdout=out, stderr=err, start_new_session=True)
        except (FileNotFoundError, PermissionError, NotADirectoryError, OSError) as exc:
            raise StataError(
                f"the Stata command could not be started: {exc.strerror or exc}; check "
                "SS_STATA_CMD and its permissions", code="STATA_LAUNCH_FAILED",
                command=Path(argv[0]).name) from None
        timed_out = False
        try:
            await asyncio.wait_for(proc.wait(), timeout=limit_seconds)
        except TimeoutError:
            timed_out = True
            await _terminate(proc, grace)
        except asyncio.CancelledError:
            await _terminate(proc, grace)
            raise
        finally:
            await _sweep(proc.pid, grace)
    duration = time.monotonic() - started
    stderr = await asyncio.to_thread(_read_head, stderr_path, 16_384)
    stdout = await asyncio.to_thread(_read_head, stdout_path, 16_384)
    if stdout.strip():
        stderr = f"{stderr}\n{stdout}".strip()
    return ProcessOutcome(argv=argv, exit_code=proc.returncode, timed_out=timed_out,
                          duration_seconds=duration, stderr=stderr)


def _read_head(path: Path, limit: int) -> str:
    with path.open("rb") as handle:
        return handle.read(limit).decode("utf-8", errors="replace")
