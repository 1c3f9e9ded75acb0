from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from ss_adapters.gate import ProductionGate, Requirement
from ss_http.app import create_app
from tests.core.journey_kit import make_kit

ADMIN = "admin-token-for-tests-0123456789"


async def _ok() -> dict:
    return {}


@pytest.fixture
def kit():
    return make_kit(roles={"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"})


@pytest.fixture
async def client(kit):
    gate = ProductionGate([Requirement("always", "nothing to do", _ok)])
    app = create_app(kit.services, gate, admin_token=ADMIN)
    async with AsyncTestClient(app=app) as c:
        yield c
