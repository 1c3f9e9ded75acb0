"""The run queue in SQL: runs are rows, workers claim them under a lease.

Claiming picks the oldest claimable run (FIFO by ``enqueued_at``, ties by ``run_id``): a queued
run, or a running run whose lease expired while it still has claims left. On PostgreSQL the
pick is ``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent workers take different runs; on
SQLite the whole claim runs under ``BEGIN IMMEDIATE`` (one writer at a time). Each claim
increments ``claim_count``, the fencing token: heartbeat, finish and release only succeed for
the current (run_id, claim_count, worker_id) and raise ``RUN_LEASE_LOST`` otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import Row, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from ss_adapters.sql.engine import is_sqlite, read_transaction, write_transaction
from ss_adapters.sql.reads import AsyncReadPath, ReadPath
from ss_adapters.sql.tables import jobs, runs
from ss_core.domain.run import (
    Claim,
    Run,
    RunFailed,
    RunMeta,
    RunOutcome,
    RunStatus,
    RunSucceeded,
)
from ss_core.errors import ERROR_CODES, ErrorReport, LeaseLost, NotFound, SSError

ABANDONED_CODE = "RUN_ABANDONED"
_BY_ID = select(runs).where(runs.c.run_id == bindparam("run_id"))
_FOR_JOB = (select(runs).where(runs.c.job_id == bindparam("job_id"))
            .order_by(runs.c.enqueued_at, runs.c.run_id))


def run_from_row(row: Row[Any]) -> Run:
    return Run(
        run_id=row.run_id, job_id=row.job_id, plan_id=row.plan_id, attempt=row.attempt,
        status=RunStatus(row.status), enqueued_at=row.enqueued_at,
        claim_count=row.claim_count, max_claims=row.max_claims, worker_id=row.worker_id,
        lease_expires_at=row.lease_expires_at, started_at=row.started_at,
        ended_at=row.ended_at, error_code=row.error_code,
        error=ErrorReport.from_json(row.error) if row.error else None,
        meta=msgspec.convert(row.meta, RunMeta) if row.meta else None,
    )


def _meta_json(meta: RunMeta | None) -> dict[str, Any]:
    """The meta column's JSON (``{}`` until a run succeeded)."""
    return {} if meta is None else msgspec.to_builtins(meta)


def abandoned_error(run: Run) -> ErrorReport:
    """The error stored on a run whose every allowed claim ended with an expired lease."""
    return ErrorReport(
        error_code=ABANDONED_CODE,
        message=f"run {run.run_id} was claimed {run.claim_count} times and every worker "
                "stopped renewing its lease (crash, kill or lost connection)",
        retryable=ERROR_CODES[ABANDONED_CODE].retryable,
        fix="check the workers' logs and resources, then retry the job",
        details={"claims": run.claim_count, "last_worker_id": run.worker_id},
    )


def lease_lost(claim: Claim, current: Run | None) -> LeaseLost:
    return LeaseLost(
        f"worker {claim.worker_id} no longer holds run {claim.run.run_id} "
        f"(claim {claim.claim_count})",
        run_id=claim.run.run_id, worker_id=claim.worker_id,
        claim_count=claim.claim_count,
        current_claim_count=current.claim_count if current else None,
        current_status=current.status.value if current else None,
        fix="stop working on this run; another worker owns it or it is closed",
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        runs.c.status == RunStatus.QUEUED.value,
        and_(
            runs.c.status == RunStatus.RUNNING.value,
            runs.c.lease_expires_at <= now,
            runs.c.claim_count < runs.c.max_claims,
        ),
    )


def _exhausted(now: datetime) -> ColumnElement[bool]:
    return and_(
        runs.c.status == RunStatus.RUNNING.value,
        runs.c.lease_expires_at <= now,
        runs.c.claim_count >= runs.c.max_claims,
    )


def _held_by(claim: Claim) -> ColumnElement[bool]:
    return and_(
        runs.c.run_id == claim.run.run_id,
        runs.c.claim_count == claim.claim_count,
        runs.c.worker_id == claim.worker_id,
        runs.c.status == RunStatus.RUNNING.value,
    )


class SqlRunQueue:
    """``RunQueue`` on SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine, reads: ReadPath | None = None) -> None:
        self._engine = engine
        self._reads = reads or AsyncReadPath(engine)
        self._row_locks = not is_sqlite(engine)

    async def enqueue(self, run: Run) -> Run:
        async with write_transaction(self._engine, "run enqueue") as conn:
            if await conn.scalar(select(jobs.c.job_id).where(jobs.c.job_id == run.job_id)) is None:
                raise NotFound(f"no job {run.job_id} for run {run.run_id}",
                               code="JOB_NOT_FOUND", job_id=run.job_id)
            if await conn.scalar(select(runs.c.run_id).where(runs.c.run_id == run.run_id)):
                raise SSError(f"run {run.run_id} is already queued", code="STORAGE_DUPLICATE",
                              run_id=run.run_id, fix="generate a new run id")
            await conn.execute(insert(runs).values(
                run_id=run.run_id, job_id=run.job_id, plan_id=run.plan_id, attempt=run.attempt,
                status=run.status.value, enqueued_at=run.enqueued_at,
                claim_count=run.claim_count, max_claims=run.max_claims,
                worker_id=run.worker_id, lease_expires_at=run.lease_expires_at,
                started_at=run.started_at, ended_at=run.ended_at, error_code=run.error_code,
                error=run.error.as_json() if run.error else None, meta=_meta_json(run.meta),
            ))
        return run

    async def claim(self, worker_id: str, lease_seconds: float, now: datetime) -> Claim | None:
        pick = (
            select(runs.c.run_id, runs.c.claim_count)
            .where(_claimable(now))
            .order_by(runs.c.enqueued_at, runs.c.run_id)
            .limit(1)
        )
        if self._row_locks:
            pick = pick.with_for_update(skip_locked=True)
        expires = now + timedelta(seconds=lease_seconds)
        async with write_transaction(self._engine, "run claim") as conn:
            chosen = (await conn.execute(pick)).first()
            if chosen is None:
                return None
            row = (await conn.execute(
                update(runs)
                .where(runs.c.run_id == chosen.run_id, runs.c.claim_count == chosen.claim_count)
                .values(status=RunStatus.RUNNING.value, claim_count=chosen.claim_count + 1,
                        worker_id=worker_id, lease_expires_at=expires, started_at=now)
                .returning(*runs.c)
            )).first()
        if row is None:  # only reachable if the row changed under a lock; never double-claim
            return None
        run = run_from_row(row)
        return Claim(run=run, worker_id=worker_id, claim_count=run.claim_count,
                     lease_expires_at=expires)

    async def heartbeat(self, claim: Claim, lease_seconds: float, now: datetime) -> Claim:
        expires = now + timedelta(seconds=lease_seconds)
        row = await self._update_held(claim, "run heartbeat", lease_expires_at=expires)
        run = run_from_row(row)
        return Claim(run=run, worker_id=claim.worker_id, claim_count=claim.claim_count,
                     lease_expires_at=expires)

    async def finish(self, claim: Claim, outcome: RunOutcome, *, now: datetime) -> Run:
        match outcome:
            case RunSucceeded(meta=meta):
                changes: dict[str, Any] = {"status": RunStatus.SUCCEEDED.value,
                                           "error_code": None, "error": None,
                                           "meta": _meta_json(meta)}
            case RunFailed(error=error):
                changes = {"status": RunStatus.FAILED.value, "error_code": error.error_code,
                           "error": error.as_json(), "meta": {}}
        return run_from_row(await self._update_held(
            claim, "run finish", ended_at=now, lease_expires_at=None, **changes))

    async def release(self, claim: Claim, now: datetime) -> Run:
        """Back to the queue; the claim it used is given back (``max_claims`` + 1) so a
        graceful hand-over never eats into the run's crash budget."""
        row = await self._update_held(
            claim, "run release", status=RunStatus.QUEUED.value, worker_id=None,
            lease_expires_at=None, max_claims=runs.c.max_claims + 1,
        )
        return run_from_row(row)

    async def _update_held(self, claim: Claim, operation: str, **values: Any) -> Row[Any]:
        async with write_transaction(self._engine, operation) as conn:
            row = (await conn.execute(
                update(runs).where(_held_by(claim)).values(**values).returning(*runs.c)
            )).first()
            if row is not None:
                return row
            current = (await conn.execute(
                select(runs).where(runs.c.run_id == claim.run.run_id)
            )).first()
        raise lease_lost(claim, run_from_row(current) if current else None)

    async def expire_exhausted(self, now: datetime) -> Sequence[Run]:
        pick = select(runs).where(_exhausted(now)).order_by(runs.c.enqueued_at, runs.c.run_id)
        if self._row_locks:
            pick = pick.with_for_update(skip_locked=True)
        failed: list[Run] = []
        async with write_transaction(self._engine, "run expiry") as conn:
            for row in (await conn.execute(pick)).all():
                run = run_from_row(row)
                updated = (await conn.execute(
                    update(runs)
                    .where(runs.c.run_id == run.run_id, _exhausted(now))
                    .values(status=RunStatus.FAILED.value, ended_at=now, lease_expires_at=None,
                            error_code=ABANDONED_CODE,
                            error=abandoned_error(run).as_json())
                    .returning(*runs.c)
                )).first()
                if updated is not None:
                    failed.append(run_from_row(updated))
        return failed

    async def get(self, run_id: str) -> Run:
        row = await self._reads.run("run get", lambda conn: conn.execute(
            _BY_ID, {"run_id": run_id}).first())
        if row is None:
            raise NotFound(f"no run {run_id}", code="RUN_NOT_FOUND", run_id=run_id)
        return run_from_row(row)

    async def list_for_job(self, job_id: str) -> Sequence[Run]:
        rows = await self._reads.run("run list", lambda conn: conn.execute(
            _FOR_JOB, {"job_id": job_id}).all())
        return [run_from_row(r) for r in rows]

    async def stats(self, now: datetime) -> dict[str, Any]:
        """``queued``, ``running``, ``oldest_queued_at`` and ``leases`` (per worker: run id,
        claim count, lease expiry and whether it has expired)."""
        async with read_transaction(self._engine, "queue stats") as conn:
            counts: dict[str, int] = dict((await conn.execute(
                select(runs.c.status, func.count()).where(
                    runs.c.status.in_([RunStatus.QUEUED.value, RunStatus.RUNNING.value])
                ).group_by(runs.c.status)
            )).all())
            oldest = await conn.scalar(
                select(func.min(runs.c.enqueued_at)).where(runs.c.status == RunStatus.QUEUED.value)
            )
            held = (await conn.execute(
                select(runs.c.worker_id, runs.c.run_id, runs.c.claim_count,
                       runs.c.lease_expires_at)
                .where(runs.c.status == RunStatus.RUNNING.value)
                .order_by(runs.c.worker_id, runs.c.run_id)
            )).all()
        return queue_stats(counts, oldest, [tuple(h) for h in held], now)


def queue_stats(counts: dict[str, int], oldest_queued_at: datetime | None,
                held: Sequence[tuple[Any, ...]], now: datetime) -> dict[str, Any]:
    leases: dict[str, list[dict[str, Any]]] = {}
    for worker_id, run_id, claim_count, expires in held:
        leases.setdefault(worker_id, []).append({
            "run_id": run_id, "claim_count": claim_count,
            "lease_expires_at": expires, "expired": expires <= now,
        })
    return {
        "queued": counts.get(RunStatus.QUEUED.value, 0),
        "running": counts.get(RunStatus.RUNNING.value, 0),
        "oldest_queued_at": oldest_queued_at,
        "leases": leases,
    }
