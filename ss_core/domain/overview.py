"""What a job's status answer is made of, read together: the job, its latest run and how many
artifacts of each kind it has indexed (counted by the store, not by listing them)."""

from __future__ import annotations

import msgspec

from ss_core.domain.job import Job
from ss_core.domain.run import Run


class JobOverview(msgspec.Struct, frozen=True, kw_only=True):
    job: Job
    latest_run: Run | None
    """The run named by ``job.latest_run_id``; ``None`` before the first run, or when that row
    was never written (a crash between saving the job and enqueueing the run)."""
    artifact_counts: dict[str, int]
    """Indexed artifacts of the job by kind (kinds with none are absent)."""
