"""The job's lifecycle: every named move follows the transition table and guards itself."""

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ss_core.domain import job as job_module
from ss_core.domain.job import TRANSITIONS, Job, JobStatus
from ss_core.errors import ErrorReport, StateConflict

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)
S = JobStatus

# Stand-ins for the payloads: the moves only store them, so any value shows where it lands.
MANIFEST: Any = "manifest"
DRAFT: Any = "draft"
SELECTION: Any = "selection"
ERROR = ErrorReport(error_code="STATA_RUN_FAILED", message="r(198)", retryable=False)


class _Plan(msgspec.Struct, frozen=True):
    plan_id: str


PLAN: Any = _Plan("plan_a")

MOVES: dict[str, tuple[JobStatus, Callable[[Job], Job]]] = {
    "inputs_uploaded": (S.INPUTS_UPLOADED, lambda j: j.inputs_uploaded(MANIFEST, at=T1)),
    "drafted": (S.DRAFT_READY, lambda j: j.drafted(DRAFT, SELECTION, at=T1)),
    "draft_patched": (S.DRAFT_READY, lambda j: j.draft_patched(DRAFT, SELECTION, at=T1)),
    "frozen": (S.PLAN_FROZEN, lambda j: j.frozen(PLAN, at=T1)),
    "queued": (S.QUEUED, lambda j: j.queued("run_2", at=T1)),
    "started": (S.RUNNING, lambda j: j.started(at=T1)),
    "succeeded": (S.SUCCEEDED, lambda j: j.succeeded(at=T1)),
    "failed": (S.FAILED, lambda j: j.failed(ERROR, at=T1)),
    "cancelled": (S.CANCELLED, lambda j: j.cancelled(at=T1)),
}
SOURCES = {"inputs_uploaded": job_module.INPUTS_FROM, "drafted": job_module.DRAFT_FROM,
           "draft_patched": job_module.PATCH_FROM, "frozen": job_module.FREEZE_FROM,
           "queued": job_module.QUEUE_FROM, "started": job_module.START_FROM,
           "succeeded": job_module.FINISH_FROM, "failed": job_module.FINISH_FROM,
           "cancelled": job_module.CANCEL_FROM}


def make_job(status: JobStatus, **changes: object) -> Job:
    return Job(job_id="job_1", status=status, version=1, requirement="r", task_code_id="tc",
               tenant="t", created_at=T0, updated_at=T0, **changes)  # type: ignore[arg-type]


def test_every_named_move_starts_only_from_table_edges() -> None:
    assert set(SOURCES) == set(MOVES)
    for name, (target, _) in MOVES.items():
        assert SOURCES[name], name
        for source in SOURCES[name]:
            # a queued job passes through running on its way to an end
            via = S.RUNNING if source is S.QUEUED and target in (S.SUCCEEDED, S.FAILED) else None
            if via is None:
                assert target in TRANSITIONS[source], (name, source)
            else:
                assert via in TRANSITIONS[source] and target in TRANSITIONS[via], (name, source)


@given(st.sampled_from(list(JobStatus)), st.sampled_from(sorted(MOVES)))
def test_a_move_succeeds_exactly_from_its_sources(current: JobStatus, name: str) -> None:
    target, move = MOVES[name]
    job = make_job(current)
    idempotent = (name, current) in {("started", S.RUNNING), ("succeeded", S.SUCCEEDED),
                                     ("failed", S.FAILED)}
    if current in SOURCES[name]:
        moved = move(job)
        assert moved.status is target
        assert moved.timestamps[f"{target.value}_at"] == T1 and moved.updated_at == T1
    elif idempotent:
        assert move(job) is job
    else:
        with pytest.raises(StateConflict) as err:
            move(job)
        assert err.value.error_code == "JOB_STATE_CONFLICT"
        assert err.value.context["current_status"] == current.value
        assert err.value.context["requested"] == target.value


@given(st.lists(st.sampled_from(sorted(MOVES)), max_size=25))
def test_any_sequence_of_moves_stays_inside_the_table(names: list[str]) -> None:
    job = make_job(S.CREATED)
    for name in names:
        before = job.status
        try:
            job = MOVES[name][1](job)
        except StateConflict:
            continue
        if job.status is not before:
            passed = (S.RUNNING,) if before is S.QUEUED and job.status in (
                S.SUCCEEDED, S.FAILED) else ()
            path = [before, *passed, job.status]
            for a, b in itertools.pairwise(path):
                assert b in TRANSITIONS[a], path


def test_a_queued_job_passes_through_running_before_it_ends() -> None:
    queued = make_job(S.QUEUED, timestamps={"queued_at": T0})
    failed = queued.failed(ERROR, at=T1)
    assert failed.status is S.FAILED and failed.error == ERROR
    assert failed.timestamps == {"queued_at": T0, "running_at": T1, "failed_at": T1}
    done = queued.succeeded(at=T1)
    assert done.status is S.SUCCEEDED and done.error is None
    assert set(done.timestamps) == {"queued_at", "running_at", "succeeded_at"}


def test_closing_twice_keeps_the_first_outcome() -> None:
    failed = make_job(S.RUNNING).failed(ERROR, at=T1)
    assert failed.failed({"error_code": "OTHER"}, at=T1 + T1.resolution) is failed
    with pytest.raises(StateConflict):
        failed.succeeded(at=T1)


def test_a_retry_counts_the_attempt_and_clears_the_error() -> None:
    failed = make_job(S.FAILED, run_count=1, latest_run_id="run_1", error=ERROR)
    again = failed.queued("run_2", at=T1)
    assert (again.run_count, again.latest_run_id, again.error) == (2, "run_2", None)


def test_new_inputs_clear_the_draft_and_keep_the_job_open() -> None:
    ready = make_job(S.DRAFT_READY, draft=DRAFT, selection=SELECTION)
    moved = ready.inputs_uploaded(MANIFEST, at=T1)
    assert (moved.inputs, moved.draft, moved.selection) == (MANIFEST, None, None)
    with pytest.raises(StateConflict, match="inputs can no longer change"):
        make_job(S.PLAN_FROZEN).require_inputs_open()


def test_freezing_is_idempotent_for_the_same_plan_and_conflicts_for_another() -> None:
    frozen = make_job(S.DRAFT_READY).frozen(PLAN, at=T1)
    assert frozen.plan == PLAN and frozen.status is S.PLAN_FROZEN
    assert frozen.frozen(cast(Any, _Plan("plan_a")), at=T1) is frozen
    with pytest.raises(StateConflict) as err:
        frozen.frozen(cast(Any, _Plan("plan_b")), at=T1)
    assert err.value.error_code == "PLAN_CONFLICT"
    assert err.value.context["frozen_plan_id"] == "plan_a"


def test_draft_guards_name_the_state() -> None:
    assert make_job(S.PLAN_FROZEN).draft_closed and not make_job(S.DRAFT_READY).draft_closed
    with pytest.raises(StateConflict, match="the draft can no longer change"):
        make_job(S.INPUTS_UPLOADED).require_draft_open()
    make_job(S.INPUTS_UPLOADED).require_draftable()
    assert make_job(S.QUEUED).in_flight and make_job(S.RUNNING).in_flight
    assert not make_job(S.FAILED).in_flight


def test_every_status_has_a_row_and_terminal_states_are_final() -> None:
    assert set(TRANSITIONS) == set(JobStatus)
    assert TRANSITIONS[JobStatus.SUCCEEDED] == frozenset()
    assert JobStatus.QUEUED in TRANSITIONS[JobStatus.FAILED]  # retry


def test_journey_path_is_allowed() -> None:
    job = make_job(S.CREATED).inputs_uploaded(MANIFEST, at=T1)
    job = job.drafted(DRAFT, SELECTION, at=T1).frozen(PLAN, at=T1)
    job = job.queued("run_1", at=T1).started(at=T1).succeeded(at=T1)
    assert job.status is S.SUCCEEDED and job.run_count == 1


def test_a_report_needs_the_run_that_succeeded() -> None:
    assert make_job(S.SUCCEEDED, latest_run_id="run_1").succeeded_run_id() == "run_1"
    for status in (S.RUNNING, S.FAILED):
        with pytest.raises(StateConflict) as err:
            make_job(status, latest_run_id="run_1").succeeded_run_id()
        assert err.value.fix == "run the plan first"
    assert make_job(S.QUEUED).run_requested and make_job(S.SUCCEEDED).run_requested
    assert not make_job(S.FAILED).run_requested and not make_job(S.PLAN_FROZEN).run_requested


def test_a_new_job_starts_created_at_version_one() -> None:
    job = Job.created("job_9", requirement="r", task_code_id="tc", tenant="t", at=T0)
    assert (job.status, job.version, job.timestamps) == (S.CREATED, 1, {"created_at": T0})
