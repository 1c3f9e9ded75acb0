"""``ssctl serve`` runs uvicorn on the standard library's event loop: uvloop served some of
64 saturating keep-alive clients about a second late (p99 0.8-1.1 s against 60-110 ms on the
standard loop, same throughput; benchmarks/README.md, "Event loop and tail latency")."""

from __future__ import annotations

import asyncio

import uvicorn

from ss_adapters.settings import load_settings
from ss_http.connection_limits import uvicorn_options


def test_uvicorn_runs_the_standard_event_loop(tmp_path) -> None:
    options = uvicorn_options(load_settings({"SS_DATA_DIR": str(tmp_path)}).service)
    assert options["loop"] == "asyncio"
    config = uvicorn.Config(lambda *_: None, **options)
    loop = config.get_loop_factory()()
    try:
        assert type(loop).__module__.startswith("asyncio")
    finally:
        loop.close()
    assert isinstance(loop, asyncio.AbstractEventLoop)
