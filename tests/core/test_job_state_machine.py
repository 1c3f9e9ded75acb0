import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ss_core.domain.job import TRANSITIONS, Job, JobStatus
from ss_core.errors import StateConflict

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def make_job(status: JobStatus) -> Job:
    return Job(job_id="job_1", status=status, version=1, requirement="r", task_code_id="tc",
               tenant="t", created_at=T0, updated_at=T0)


@given(st.sampled_from(list(JobStatus)), st.sampled_from(list(JobStatus)))
def test_only_table_transitions_are_allowed(current, target):
    job = make_job(current)
    if target in TRANSITIONS[current]:
        moved = job.transition(target, T0)
        assert moved.status is target
        assert moved.timestamps[f"{target.value}_at"] == T0
    else:
        with pytest.raises(StateConflict) as err:
            job.transition(target, T0)
        assert err.value.error_code == "JOB_STATE_CONFLICT"
        assert err.value.context["requested"] == target.value


@given(st.lists(st.sampled_from(list(JobStatus)), max_size=20))
def test_any_sequence_of_requests_stays_inside_the_table(requests):
    job = make_job(JobStatus.CREATED)
    for target in requests:
        before = job.status
        try:
            job = job.transition(target, T0)
        except StateConflict:
            assert target not in TRANSITIONS[before]
        else:
            assert target in TRANSITIONS[before]


def test_every_status_has_a_row_and_terminal_states_are_final():
    assert set(TRANSITIONS) == set(JobStatus)
    assert TRANSITIONS[JobStatus.SUCCEEDED] == frozenset()
    assert JobStatus.QUEUED in TRANSITIONS[JobStatus.FAILED]  # retry


def test_journey_path_is_allowed():
    path = ["created", "inputs_uploaded", "draft_ready", "plan_frozen", "queued", "running",
            "succeeded"]
    for a, b in itertools.pairwise(path):
        assert JobStatus(b) in TRANSITIONS[JobStatus(a)]
