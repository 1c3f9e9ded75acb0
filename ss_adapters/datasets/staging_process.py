"""Staging's conversion in a child process, so the process that asks for it does not grow.

The API stages an upload ahead of its first run while it serves other requests; converting
a large dataset there would leave the long-lived process holding the conversion's peak
(pandas' buffers, the allocator's high-water mark) long after it ends. The conversion runs
instead in ``python -m ss_adapters.datasets.staging_process``: the request (local file path,
format, sheet, destination, read limits) goes in on stdin as JSON, and the child answers on
stdout with nothing on success or the ``SSError`` it met, as JSON, which the parent raises
again with the same code, message and context. Anything else (a crash, a kill by the kernel)
is a ``SERVICE_INTERNAL_ERROR`` naming the exit code and the end of the child's stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

import msgspec

from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.zip_guard import ZipLimits
from ss_core.domain.dataset import DatasetFormat, InspectOptions
from ss_core.errors import ErrorReport, SSError

STDERR_TAIL = 2000


class StageRequest(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    format: DatasetFormat
    options: InspectOptions
    destination: str
    read_limits: ReadLimits
    zip_limits: ZipLimits | None = None


async def stage_in_child(request: StageRequest) -> None:
    """Convert ``request.source`` to ``request.destination`` in a child process; raise what
    the child met. Cancelling the caller kills the child."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ss_adapters.datasets.staging_process",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await child.communicate(msgspec.json.encode(request))
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            child.kill()
        await child.wait()
        raise
    if out.strip():
        raise SSError.from_report(msgspec.json.decode(out, type=ErrorReport))
    if child.returncode != 0:
        raise SSError("staging the dataset stopped before it finished",
                      code="SERVICE_INTERNAL_ERROR", exit_code=child.returncode,
                      stderr=err.decode("utf-8", "replace")[-STDERR_TAIL:])


def main() -> None:
    from ss_adapters.datasets.inspector import convert_to_dta

    request = msgspec.json.decode(sys.stdin.buffer.read(), type=StageRequest)
    try:
        convert_to_dta(request.format, Path(request.source), request.options,
                       Path(request.destination), request.read_limits, request.zip_limits)
    except SSError as exc:
        sys.stdout.buffer.write(msgspec.json.encode(exc.report(), enc_hook=str))


if __name__ == "__main__":
    main()
