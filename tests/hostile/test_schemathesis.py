"""Property-based requests generated from the served OpenAPI schema: whatever a client sends to
any documented route (with a real job token or the admin token), the answer is never a 5xx."""

from __future__ import annotations

import itertools

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.faults.journey import ADMIN, WAGES, new_job, upload
from tests.hostile.conftest import Stack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(stack: Stack) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(stack.server.base_url + "/openapi/openapi.json")


@pytest.fixture(scope="module")
def job(stack: Stack) -> tuple[str, dict[str, str]]:
    with stack.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, WAGES).status_code == 200
    return job_id, auth


MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def test_no_route_answers_5xx(api_schema: schemathesis.BaseSchema, stack: Stack,
                              job: tuple[str, dict[str, str]]) -> None:
    job_id, auth = job
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    seen: list[tuple[str, str, int]] = []

    for operation, mode in itertools.product(operations, MODES):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=50, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def probe(case: schemathesis.Case) -> None:
            if "job_id" in (case.path_parameters or {}):
                case.path_parameters["job_id"] = job_id
            headers = ADMIN if case.path.startswith("/api/admin") else auth
            response = case.call(base_url=stack.server.base_url, headers=headers, timeout=30)
            seen.append((case.method, case.path, response.status_code))
            assert response.status_code < 500, (case.method, case.formatted_path,
                                                response.status_code, response.text[:500])
            if response.status_code >= 400 and "json" in response.headers.get(
                    "content-type", ""):
                assert "error_code" in response.json(), response.text[:300]

        try:
            probe()
        except Unsatisfiable:
            # only in negative mode: the operation has no constraint a request could break
            assert mode is GenerationMode.NEGATIVE, operation.label
    assert len({(m, p) for m, p, _ in seen}) == len(operations)
    assert len(seen) >= 20 * len(operations)


def test_schema_is_served_and_lists_the_job_routes(stack: Stack) -> None:
    body = httpx.get(stack.server.base_url + "/openapi/openapi.json").json()
    assert "/v1/task-codes/redeem" in body["paths"]
    assert any("{job_id}" in path for path in body["paths"])
