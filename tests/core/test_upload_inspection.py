"""An upload's whole-file inspection off the answer path: an upload larger than the inline
limit answers "pending" once stored, a smaller one after its inspection; the preview, the
sheet choice and the draft wait for it (bounded) and answer pending meanwhile; a failure is
reported until the next upload, an inspection lost with its process is done again, and only
the latest upload ever commits its manifest."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.domain.dataset import InputsManifest
from ss_core.domain.job import JobStatus
from ss_core.errors import InputError, SSError
from ss_core.usecases.draft import DraftPending, draft_preview
from ss_core.usecases.inputs import preview_inputs, select_sheet, upload_inputs
from ss_core.usecases.inspection import InspectionPending, Inspections, pending_key
from ss_core.usecases.services import Services
from ss_core.usecases.staging import stage_ahead, staged_key
from tests.core.journey_kit import CSV, Kit, make_kit, upload
from tests.core.test_embedding_journey import start

ROLES = {"outcome": "v1_525353", "treatment": "educ"}
ROWS = CSV.splitlines(keepends=True)
OTHER_CSVS = (CSV + ROWS[1], CSV + ROWS[2])  # other contents, same columns


class Gate:
    """Holds every inspection of the primary until released (or fails it when told)."""

    def __init__(self, services: Services, fail_with: SSError | None = None) -> None:
        self.inner = services.inspector.inspect
        self.opened = asyncio.Event()
        self.fail_with = fail_with
        self.calls = 0
        services.inspector.inspect = self.inspect  # type: ignore[method-assign]

    async def inspect(self, *args, **kwargs):
        self.calls += 1
        await self.opened.wait()
        if self.fail_with is not None:
            raise self.fail_with
        return await self.inner(*args, **kwargs)


def quick(services: Services, *, inline: int | None = 0, wait: float = 0.01) -> Services:
    """The services answering uploads before their inspection ends, readers waiting ``wait``
    seconds (the kit waits for every inspection by default)."""
    return dataclasses.replace(services, policies=dataclasses.replace(
        services.policies, inline_inspection_bytes=inline, inputs_wait_seconds=wait))


async def new_job(kit: Kit) -> str:
    _, redeemed = await start(kit)
    return redeemed.job_id


async def test_an_upload_within_the_inline_limit_answers_its_manifest():
    kit = make_kit(roles=ROLES)
    job_id = await new_job(kit)
    gate = Gate(kit.services)
    asyncio.get_running_loop().call_later(0.2, gate.opened.set)  # however long it takes
    manifest = await upload_inputs(quick(kit.services, inline=len(CSV)), job_id, upload())
    assert isinstance(manifest, InputsManifest)
    assert (await kit.services.jobs.get(job_id)).inputs == manifest
    assert not await kit.store.exists(pending_key(job_id))


async def test_a_long_inspection_answers_pending_and_commits_once_it_ends():
    kit = make_kit(roles=ROLES)
    services = quick(kit.services)
    job_id = await new_job(kit)
    gate = Gate(services)
    answered = await upload_inputs(quick(kit.services, inline=len(CSV) - 1), job_id, upload())
    assert isinstance(answered, InspectionPending)  # one byte over the limit
    assert answered.upload.datasets[0].original_name == "wages.csv"
    job = await services.jobs.get(job_id)
    assert job.inputs is None and job.status is JobStatus.CREATED
    assert isinstance(await preview_inputs(services, job_id), InspectionPending)
    pending = await draft_preview(services, job_id)
    assert isinstance(pending, DraftPending) and pending.message == "inputs_inspecting"
    assert kit.llm.calls == []  # nothing is drafted from inputs not yet inspected
    gate.opened.set()
    settled = await preview_inputs(quick(kit.services, wait=5), job_id)
    assert not isinstance(settled, InspectionPending)
    manifest, preview = settled
    assert manifest.primary.original_name == "wages.csv" and preview.schema.columns
    job = await services.jobs.get(job_id)
    assert job.status is JobStatus.INPUTS_UPLOADED and job.inputs == manifest
    assert not await kit.store.exists(pending_key(job_id))
    assert gate.calls == 1  # the waiting readers did not inspect again
    assert not isinstance(await draft_preview(services, job_id), DraftPending)


async def test_a_failed_inspection_is_reported_until_the_next_upload():
    kit = make_kit(roles=ROLES)
    services = quick(kit.services, wait=5)
    job_id = await new_job(kit)
    gate = Gate(services, fail_with=InputError("row 7 has 3 fields, expected 2",
                                               code="INPUT_PARSE_FAILED", line=7))
    assert isinstance(await upload_inputs(quick(kit.services), job_id, upload()),
                      InspectionPending)
    gate.opened.set()
    for read in (lambda: preview_inputs(services, job_id), lambda: draft_preview(services, job_id),
                 lambda: select_sheet(services, job_id, "Sheet1")):
        with pytest.raises(SSError) as raised:
            await read()
        assert raised.value.error_code == "INPUT_PARSE_FAILED"
        assert raised.value.context["line"] == 7
    assert (await services.jobs.get(job_id)).inputs is None  # nothing half committed
    gate.fail_with = None
    manifest = await upload_inputs(dataclasses.replace(services, policies=kit.services.policies),
                                   job_id, upload())
    assert isinstance(manifest, InputsManifest)
    assert not isinstance(await preview_inputs(services, job_id), InspectionPending)


async def test_an_inspection_lost_with_its_process_is_done_again_and_committed_once():
    kit = make_kit(roles=ROLES)
    job_id = await new_job(kit)
    gate = Gate(kit.services)
    first = quick(kit.services)
    assert isinstance(await upload_inputs(first, job_id, upload()), InspectionPending)
    while gate.calls == 0:  # the first process's inspection is under way, held
        await asyncio.sleep(0.001)
    # Another process (or this one after a restart): same database and store, no task.
    restarted = dataclasses.replace(quick(kit.services, wait=5), inspections=Inspections())
    restarted.inspector.inspect = gate.inner  # type: ignore[method-assign]
    settled = await preview_inputs(restarted, job_id)
    assert not isinstance(settled, InspectionPending)
    gate.opened.set()  # the first process's inspection ends after the other committed
    task = first.inspections.running(job_id)
    assert task is not None
    assert await task == settled[0]
    events = [e["event"] for e in await kit.services.audit.list_for_job(job_id)]
    assert events.count("inputs.uploaded") == 1


@settings(max_examples=20, deadline=None)
@given(order=st.permutations(range(3)))
def test_only_the_latest_upload_commits_whatever_order_the_inspections_end(order):
    async def scenario() -> None:
        kit = make_kit(roles=ROLES)
        job_id = await new_job(kit)
        gates = []
        datas = [CSV, *OTHER_CSVS]
        inner = kit.services.inspector.inspect
        started: list[int] = []
        for index, data in enumerate(datas):
            gate = asyncio.Event()
            gates.append(gate)

            async def held(*args, _gate=gate, _index=index, **kwargs):
                started.append(_index)
                await _gate.wait()
                return await inner(*args, **kwargs)

            kit.services.inspector.inspect = held  # type: ignore[method-assign]
            answered = await upload_inputs(quick(kit.services), job_id, upload(data))
            assert isinstance(answered, InspectionPending)
            while len(started) <= index:  # this upload's inspection holds its own gate
                await asyncio.sleep(0.001)
        assert started == [0, 1, 2]
        tasks = []
        for i in order:
            gates[i].set()
            await asyncio.sleep(0)
            tasks.append(kit.services.inspections.running(job_id))
        settled = await preview_inputs(quick(kit.services, wait=5), job_id)
        assert not isinstance(settled, InspectionPending)
        latest = await kit.services.jobs.get(job_id)
        assert latest.inputs is not None
        assert latest.inputs.primary.sha256 == hashlib.sha256(datas[-1]).hexdigest()
        for _ in itertools.repeat(None, 3):
            await asyncio.sleep(0.01)  # let the superseded inspections end
        assert (await kit.services.jobs.get(job_id)).inputs == latest.inputs
        events = [e["event"] for e in await kit.services.audit.list_for_job(job_id)]
        assert events.count("inputs.uploaded") == 1

    asyncio.run(scenario())


async def test_staging_ahead_waits_for_the_upload_being_inspected():
    kit = make_kit(roles=ROLES)
    services = quick(kit.services)
    job_id = await new_job(kit)
    gate = Gate(services)
    assert isinstance(await upload_inputs(services, job_id, upload()), InspectionPending)
    staging = asyncio.ensure_future(stage_ahead(services, job_id))
    await asyncio.sleep(0.05)
    assert not staging.done()  # nothing to stage before the manifest exists
    gate.opened.set()
    assert await staging is None
    job = await services.jobs.get(job_id)
    assert await kit.store.exists(staged_key(job))
