"""One real SS stack for the compatibility suite: `ssctl serve` on 127.0.0.1 with the real
adapters, the LLM and Stata doubles behind it (tests/e2e/stack.py), cross-origin requests
allowed from one browser origin. Each test redeems its own task code (its own job); the
analyst double is reset before every test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.doubles.llm_schema_instance import schema_of_request
from tests.doubles.llm_server import RecordedRequest, Reply, answer_reply
from tests.e2e.stack import ADMIN_TOKEN, Analyst, Server, running_stack
from tests.http.compat.web_client import WebClient

BROWSER_ORIGIN = "http://localhost:4173"


@dataclass
class QuestioningAnalyst(Analyst):
    """The analyst double, able to also ask the user free-text questions in its draft."""

    questions: list[dict[str, str]] = field(default_factory=list)

    def reply(self, request: RecordedRequest) -> Reply:
        reply = super().reply(request)
        schema = schema_of_request(request.body)
        if (not self.questions or request.wire == "anthropic" or schema is None
                or "roles" not in schema.get("properties", {})):
            return reply
        answer = json.loads(reply.body["choices"][0]["message"]["content"])
        answer["questions"] = list(self.questions)
        return answer_reply(request, answer)


@dataclass
class Stack:
    server: Server
    analyst: QuestioningAnalyst
    llm: Any

    def task_code(self) -> str:
        r = httpx.post(self.server.base_url + "/api/admin/task-codes", json={"count": 1},
                       headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert r.status_code == 201, r.text
        return str(r.json()["task_codes"][0]["task_code"])


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    analyst = QuestioningAnalyst()
    tmp = tmp_path_factory.mktemp("compat-stack")
    with running_stack(tmp, analyst, SS_CORS_ORIGINS=BROWSER_ORIGIN) as (server, llm):
        yield Stack(server, analyst, llm)


@pytest.fixture
def web(stack: Stack) -> Iterator[WebClient]:
    stack.analyst.roles, stack.analyst.prefer, stack.analyst.questions = {}, None, []
    with stack.server.client() as http:
        yield WebClient(http)
