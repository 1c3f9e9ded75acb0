"""One real SS stack for the compatibility suite: `ssctl serve` on 127.0.0.1 with the real
adapters, the LLM and Stata doubles behind it (tests/e2e/stack.py), cross-origin requests
allowed from one browser origin. Each test redeems its own task code (its own job); the
analyst double is reset before every test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.stack import ADMIN_TOKEN, Analyst, Server, running_stack
from tests.http.compat.web_client import WebClient

BROWSER_ORIGIN = "http://localhost:4173"


@dataclass
class Stack:
    server: Server
    analyst: Analyst
    llm: Any

    def task_code(self) -> str:
        r = httpx.post(self.server.base_url + "/api/admin/task-codes", json={"count": 1},
                       headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert r.status_code == 201, r.text
        return str(r.json()["task_codes"][0]["task_code"])


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    analyst = Analyst()
    tmp = tmp_path_factory.mktemp("compat-stack")
    with running_stack(tmp, analyst, SS_CORS_ORIGINS=BROWSER_ORIGIN) as (server, llm):
        yield Stack(server, analyst, llm)


@pytest.fixture
def web(stack: Stack) -> Iterator[WebClient]:
    stack.analyst.roles, stack.analyst.prefer = {}, None
    with stack.server.client() as http:
        yield WebClient(http)
