"""Finding 6: unauthenticated slowloris. Hundreds of connections that never finish their
headers, against a server whose descriptor limit is the common 1,024-style ceiling (lowered
here to 300 so the test stays small): the half-open connections are closed at the header
deadline, the service answers again while the attacker still holds its sockets, and the
server log stays small (the accept loop's EMFILE lines are rate-limited)."""

from __future__ import annotations

import resource
import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.stack import Server, free_port, stack_env

pytestmark = pytest.mark.slow
ATTACKERS = 450


def test_half_open_connections_cannot_take_the_service_down(tmp_path: Path) -> None:
    env = stack_env(tmp_path, None, SS_HEADER_TIMEOUT_SECONDS="2", SS_MAX_CONNECTIONS="200")
    log_path = tmp_path / "server.log"
    server = Server(env, free_port(), log_path).start()
    sockets: list[socket.socket] = []
    try:
        pid = server.proc.pid  # type: ignore[union-attr]
        hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)[1]
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (300, hard))
        log_before = log_path.stat().st_size
        for _ in range(ATTACKERS):
            conn = socket.create_connection(("127.0.0.1", server.port))
            conn.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")  # and never the end
            sockets.append(conn)
        started, answered = time.monotonic(), None
        while time.monotonic() - started < 30 and answered is None:
            try:
                r = httpx.get(server.base_url + "/health/live", timeout=3)
                if r.status_code == 200:
                    answered = time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert answered is not None, "the service never answered while the attack held"
        time.sleep(2)
        growth = log_path.stat().st_size - log_before
        assert growth < 300_000, f"the attack wrote {growth} bytes of log"
    finally:
        for conn in sockets:
            conn.close()
        server.stop()
