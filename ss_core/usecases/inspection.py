"""The whole-file inspection of an upload, off the answer path when it takes long.

Uploading stores the files, then inspects the primary dataset (exact types, missing and
distinct counts, date shapes, panel facts): the draft and the binding rely on all of it, and
at 1 GB it takes tens of seconds. So the inspection runs as its own task: the upload waits for
it up to a short budget (small files answer exactly as before, errors included) and otherwise
answers "inspecting"; the preview, the sheet choice and the draft wait for it (bounded) and
answer "pending" while it lasts.

An upload being inspected is recorded in the store (``jobs/<job>/inputs/pending.json``) before
the task starts, so it survives a restart: whoever next needs the inputs finds the record and
inspects again (the task registry is per process). The record names its upload; only the
latest upload may commit its manifest, and an inspection that ends after another process
committed the same manifest (same datasets, names and inspection) leaves it alone.
A failed inspection stays recorded with its error until the next upload: the preview and the
draft report it, and the job keeps the inputs it had.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import msgspec

from ss_core.domain.dataset import DatasetRef, InputsManifest
from ss_core.errors import ErrorReport, SSError, StateConflict
from ss_core.ports.object_store import ObjectNotFound

RETRY_AFTER_SECONDS = 2


class PendingUpload(msgspec.Struct, frozen=True, kw_only=True):
    """An upload whose files are stored and whose inspection has not committed."""

    upload_id: str
    datasets: tuple[DatasetRef, ...]
    started_at: datetime
    error: ErrorReport | None = None


class InspectionPending(msgspec.Struct, frozen=True, kw_only=True):
    """The answer while the latest upload is being inspected."""

    job_id: str
    upload: PendingUpload
    retry_after_seconds: int = RETRY_AFTER_SECONDS


def pending_key(job_id: str) -> str:
    return f"jobs/{job_id}/inputs/pending.json"


class Inspections:
    """The inspection tasks running in this process, one per job (the latest upload's).

    A task is kept referenced until it ends; its failure is recorded by the task itself, so
    an exception nobody awaits is retrieved here rather than reported as lost."""

    def __init__(self) -> None:
        self._tasks: dict[str, tuple[str, asyncio.Task[InputsManifest]]] = {}

    def ensure(
        self, job_id: str, upload_id: str, work: Callable[[], Awaitable[InputsManifest]]
    ) -> asyncio.Task[InputsManifest]:
        """The running task of this upload, started when none is."""
        current = self._tasks.get(job_id)
        if current is not None and current[0] == upload_id:
            return current[1]
        task: asyncio.Task[InputsManifest] = asyncio.ensure_future(work())
        self._tasks[job_id] = (upload_id, task)
        task.add_done_callback(lambda t: self._ended(job_id, t))
        return task

    def _ended(self, job_id: str, task: asyncio.Task[InputsManifest]) -> None:
        if not task.cancelled():
            task.exception()  # retrieved: the task recorded its own failure
        current = self._tasks.get(job_id)
        if current is not None and current[1] is task:
            del self._tasks[job_id]

    def running(self, job_id: str) -> asyncio.Task[InputsManifest] | None:
        current = self._tasks.get(job_id)
        return current[1] if current is not None else None


async def settled(task: asyncio.Task[InputsManifest], within: float | None) -> bool:
    """Whether ``task`` ended within ``within`` seconds (None: however long it takes). The
    task is never cancelled by the wait, nor by the cancellation of the waiter."""
    if task.done():
        return True
    if within is not None and within <= 0:
        return False
    done, _ = await asyncio.wait({task}, timeout=within)
    return bool(done)


def superseded(job_id: str) -> SSError:
    return StateConflict("a later upload replaced this one before it was inspected",
                         code="JOB_STATE_CONFLICT", job_id=job_id,
                         fix="use the latest upload's preview")


async def read_pending(store_get: Callable[[str], Awaitable[bytes]],
                       job_id: str) -> PendingUpload | None:
    try:
        return msgspec.json.decode(await store_get(pending_key(job_id)), type=PendingUpload)
    except ObjectNotFound:
        return None
    except msgspec.DecodeError:  # a torn record cannot exist (atomic writes); treat as absent
        return None
