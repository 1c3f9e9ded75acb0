"""One real `ssctl serve` stack shared by the hostile-input tests (LLM server double and Stata
executable double behind it); the redeem rate limit is raised so that fuzzing does not trip it
(its own test starts a stack with a low limit)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import Analyst, Server, free_port, stack_env
from tests.faults.journey import OLS_ROLES

MAX_UPLOAD_BYTES = 8 << 20


@dataclass
class Stack:
    server: Server
    llm: ScriptedLLMServer
    analyst: Analyst
    data_dir: Path

    def client(self) -> httpx.Client:
        return self.server.client()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "ado").mkdir()
    analyst = Analyst(prefer="ols_robust", roles=dict(OLS_ROLES))
    llm = ScriptedLLMServer(default=lambda request: analyst.reply(request)).start()
    env = stack_env(tmp, llm, SS_REDEEM_RATE_PER_MINUTE="100000",
                    SS_MAX_UPLOAD_BYTES=str(MAX_UPLOAD_BYTES), SS_LEASE_SECONDS="10")
    server = Server(env, free_port(), tmp / "server.log").start()
    try:
        yield Stack(server, llm, analyst, tmp / "data")
    finally:
        server.stop()
        llm.stop()
