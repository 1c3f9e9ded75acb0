"""A local SS stack for end-to-end tests: a real `ssctl serve` process on 127.0.0.1 with the
real adapters (SQLite, local object store, file dataset inspector, OpenAI-compatible LLM,
Stata batch runner) pointed at the protocol doubles (LLM HTTP server, Stata executable)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.doubles.llm_schema_instance import instance_for, schema_of_request
from tests.doubles.llm_server import RecordedRequest, Reply, ScriptedLLMServer, answer_reply

ROOT = Path(__file__).resolve().parents[2]
STATA_DOUBLE = ROOT / "tests" / "doubles" / "stata" / "stata"
ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Analyst:
    """How the LLM double answers: which roles a draft fills, which template it prefers."""

    roles: dict[str, Any] = field(default_factory=dict)
    prefer: str | None = None
    interpretation: dict[str, Any] | None = None  # the answer to "interpret" (None: minimal)

    def reply(self, request: RecordedRequest) -> Reply:
        schema = schema_of_request(request.body)
        if request.method == "GET" or schema is None:
            return Reply(body={"object": "list", "data": [{"id": "ss-test-model"}]})
        props = schema.get("properties", {})
        if "findings" in props:
            return answer_reply(request, self.interpretation or instance_for(schema))
        if "template_id" in props:
            ids = props["template_id"]["enum"]
            choice = self.prefer if self.prefer in ids else ids[0]
            return answer_reply(request, {"template_id": choice, "confidence": 0.9,
                                          "rationale": "fits the request and the data"})
        answer = instance_for(schema)
        for name, spec in props["roles"]["properties"].items():
            value = self.roles.get(name)
            answer["roles"][name] = value if value is not None else (
                [] if spec.get("type") == "array" else None)
        answer["goal"] = "estimate the requested effect"
        answer["analysis_type"] = "other"
        answer["questions"] = []
        return answer_reply(request, answer)


SOURCE_SSCTL = (sys.executable, "-m", "ss_http.cli")


class SSProcess:
    """One `ssctl <command>` process in its own process group: kill -9 takes all of it, and it
    can be started again on the same data. ``program`` and ``cwd`` default to the source tree;
    the installed-package test points them at a wheel's ``ssctl`` outside the checkout."""

    stop_signal = signal.SIGTERM
    program: tuple[str, ...] = SOURCE_SSCTL
    cwd: Path = ROOT

    def __init__(self, command: tuple[str, ...], env: dict[str, str], log_path: Path) -> None:
        self.command, self.env, self.log_path = command, env, log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def launch(self, **extra_env: str) -> subprocess.Popen[bytes]:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [*self.program, *self.command], cwd=self.cwd,
            env={**self.env, **extra_env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        return self.proc

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class Server(SSProcess):
    """`ssctl serve` on 127.0.0.1; ``start`` returns once /health/live answers."""

    stop_signal = signal.SIGINT

    def __init__(self, env: dict[str, str], port: int, log_path: Path,
                 args: tuple[str, ...] = ()) -> None:
        super().__init__(("serve", "--port", str(port), *args), env, log_path)
        self.port, self.args = port, args
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self, **extra_env: str) -> Server:
        proc = self.launch(**extra_env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.base_url + "/health/live", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 60 s")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)


def stack_env(tmp: Path, llm: ScriptedLLMServer | None, **extra: str) -> dict[str, str]:
    python_dir = str(Path(sys.executable).parent)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "SS_DATA_DIR": str(tmp / "data"),
        "SS_ADMIN_TOKEN": ADMIN_TOKEN,
        "SS_STATA_CMD": str(STATA_DOUBLE),
        "SS_STATA_ADO_DIR": str(tmp / "ado"),
        "SS_STATA_PATH": f"{python_dir}:/usr/local/bin:/usr/bin:/bin",
        "SS_STATA_ENV_PASSTHROUGH": "SS_STATA_DOUBLE_DIRECTIVES,SS_STATA_DOUBLE_INSTALLED",
        "SS_WORKER_POLL_SECONDS": "0.2",
        "SS_LEASE_SECONDS": "3",
        "SS_LLM_MAX_RETRIES": "0",
        # Every upload of the tests is answered with its manifest (the inspection off the
        # answer path, for larger files, has its own tests).
        "SS_UPLOAD_INSPECT_INLINE_BYTES": str(4 * 1024**3),
    }
    if llm is not None:
        env.update(llm.env())
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


@contextmanager
def running_stack(tmp: Path, analyst: Analyst, **extra: str) -> Iterator[tuple[Server, Any]]:
    (tmp / "ado").mkdir(exist_ok=True)
    llm = ScriptedLLMServer(default=analyst.reply).start()
    server = Server(stack_env(tmp, llm, **extra), free_port(), tmp / "server.log")
    try:
        yield server.start(), llm
    finally:
        server.stop()
        llm.stop()


def install_ado(tmp: Path, *commands: str) -> None:
    """'Install' community commands the way Stata finds them: PLUS/<letter>/<cmd>.ado."""
    for cmd in commands:
        folder = tmp / "ado" / cmd[0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{cmd}.ado").write_text(f"program define {cmd}\nend\n", encoding="utf-8")
