"""The kit's journey builder reaches each stage it names, through the real use cases."""

import pytest

from tests.core.journey_kit import STAGES, make_kit


@pytest.mark.parametrize("stage", STAGES)
async def test_the_builder_stops_at_the_named_stage(stage: str) -> None:
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"})
    job = await kit.job(until=stage)  # type: ignore[arg-type]
    assert job.status.value == stage
    assert (job.inputs is not None) == (STAGES.index(stage) >= 1)
    assert (job.plan is not None) == (STAGES.index(stage) >= 3)
    assert job.run_count == (1 if stage == "succeeded" else 0)
