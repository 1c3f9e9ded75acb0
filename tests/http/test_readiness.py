"""GET /health/ready is 503 naming every violated production requirement; live stays 200."""

from __future__ import annotations

import asyncio

from litestar.testing import AsyncTestClient

from ss_adapters.gate import ProductionGate, Requirement
from ss_core.errors import SSError
from ss_http.app import create_app
from tests.core.journey_kit import make_kit


async def _ok() -> dict:
    return {"fine": True}


async def _no_stata() -> dict:
    raise SSError("no Stata executable is configured", code="STATA_NOT_CONFIGURED")


async def _hangs() -> dict:
    await asyncio.sleep(5)
    return {}


async def test_every_violation_is_named_with_its_fix():
    gate = ProductionGate([Requirement("database", "nothing", _ok),
                           Requirement("stata", "set SS_STATA_CMD", _no_stata),
                           Requirement("llm", "check SS_LLM_BASE_URL", _hangs)],
                          timeout_seconds=0.2)
    app = create_app(make_kit().services, gate, admin_token="admin-token-0123456789abcdef")
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/health/live")).status_code == 200
        r = await client.get("/health/ready")
    body = r.json()
    assert r.status_code == 503 and body["error_code"] == "SERVICE_NOT_READY"
    assert {v["name"] for v in body["violations"]} == {"stata", "llm"}
    by_name = {v["name"]: v for v in body["violations"]}
    assert by_name["stata"]["error_code"] == "STATA_NOT_CONFIGURED"
    assert by_name["stata"]["how_to_fix"] == "set SS_STATA_CMD"
    assert by_name["llm"]["error_code"] == "SERVICE_NOT_READY" and by_name["llm"]["reason"]
    assert "stata" in body["message"] and "llm" in body["message"]
    assert [c["name"] for c in body["checks"] if c["ok"]] == ["database"]


def test_the_unconfigured_stata_reason_survives_disclosure_intact():
    """/health/ready scrubs host paths; the reason must not carry one (it read 'e.g. <path>')."""
    from ss_adapters.settings import load_settings
    from ss_http.disclosure import scrub

    problem = load_settings({}).stata_problem
    assert problem is not None and problem.error_code == "STATA_NOT_CONFIGURED"
    assert "SS_STATA_CMD" in problem.message and scrub(problem.message) == problem.message
