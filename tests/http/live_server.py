"""A real uvicorn server on 127.0.0.1 serving create_app over the core test doubles, with a
worker executing queued runs inside the server's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import uvicorn
from litestar import Litestar

from ss_adapters.gate import ProductionGate, Requirement
from ss_core.usecases.worker import Worker
from ss_http.app import create_app
from tests.core.journey_kit import Kit

ADMIN = "admin-token-for-audit-tests-0123"


async def _nothing() -> dict:
    return {}


def ready_gate() -> ProductionGate:
    return ProductionGate([Requirement("always", "nothing to do", _nothing)])


def _worker_lifespan(kit: Kit):
    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        worker = Worker(kit.services, "audit-test-worker", poll_seconds=0.02)
        task = asyncio.create_task(worker.run_forever())
        try:
            yield
        finally:
            worker.stop()
            await asyncio.wait_for(task, 5)

    return lifespan


@contextlib.contextmanager
def serve(kit: Kit, gate: ProductionGate | None = None) -> Iterator[str]:
    """Serve the app on a free port; yields the base URL, stops the server on exit."""
    app = create_app(kit.services, gate or ready_gate(), admin_token=ADMIN,
                     lifespan=[_worker_lifespan(kit)])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def issue_code(base_url: str) -> str:
    answer = httpx.post(f"{base_url}/api/admin/task-codes", json={"count": 1},
                        headers={"Authorization": f"Bearer {ADMIN}"})
    assert answer.status_code == 201, answer.text
    return answer.json()["task_codes"][0]["task_code"]
