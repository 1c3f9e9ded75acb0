"""Serve the API (and optionally an in-process worker) for one runtime."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import AsyncIterator, Mapping, Sequence

import prometheus_client
import structlog
import uvicorn
from litestar import Litestar

from ss_adapters.observability.logging_setup import configure_from_env
from ss_adapters.process_role import ProcessRole
from ss_adapters.requirements import WorkerHealth
from ss_adapters.runtime import Runtime
from ss_core.errors import SSError
from ss_core.usecases.worker import Worker
from ss_http.app import create_app
from ss_http.connection_limits import harden_process, uvicorn_options
from ss_http.long_lived_heap import freeze_long_lived_heap

log = structlog.get_logger("ss.serve")
SHUTDOWN_GRACE_SECONDS = 20.0


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


RESTART_BACKOFF_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


async def supervise(worker: Worker, health: WorkerHealth | None) -> None:
    """Keep the worker loop running: an unexpected crash is logged, reported to readiness
    and the loop restarted after a growing pause (runs in flight are reclaimed by lease)."""
    while True:
        if health is not None:
            health.running = True
        try:
            await worker.run_forever()
            return
        except Exception as exc:  # the supervisor reports and restarts
            log.exception("worker_loop_crashed")
            if health is None:
                raise
            health.running = False
            health.last_failure = type(exc).__name__
            pause = RESTART_BACKOFF_SECONDS[min(health.restarts,
                                                len(RESTART_BACKOFF_SECONDS) - 1)]
            health.restarts += 1
            await asyncio.sleep(pause)


async def heartbeat(runtime: Runtime, name: str, health: WorkerHealth | None,
                    stop: asyncio.Event, first: asyncio.Event | None = None) -> None:
    """Record this worker as alive every quarter of ``SS_WORKER_HEARTBEAT_SECONDS`` while its
    loop runs (readiness here and on API-only hosts reads it). A failed write is logged and
    retried; readiness turns stale on its own."""
    workers = runtime.container.repositories().workers
    clock = runtime.services.clock
    started = clock.now()
    interval = max(0.2, runtime.settings.service.worker_heartbeat_seconds / 4)
    while not stop.is_set():
        if health is None or health.running:
            now = clock.now()
            try:
                await workers.beat(name, runtime.role, started, now)
            except (SSError, OSError) as exc:
                log.warning("worker_heartbeat_failed", worker_id=name,
                            error_code=getattr(exc, "error_code", type(exc).__name__))
            else:
                if health is not None:
                    health.last_beat = now
        if first is not None:
            first.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


async def run_worker(runtime: Runtime, stop: asyncio.Event,
                     started: asyncio.Event | None = None) -> None:
    """Run the supervised loop and its heartbeat until ``stop``; ``started`` is set once the
    first heartbeat was attempted (the server answers readiness only after that)."""
    name = worker_id()
    worker = Worker(runtime.services, name,
                    poll_seconds=runtime.settings.service.worker_poll_seconds)
    health = runtime.worker_health
    if health is not None:
        health.loop_error = lambda: worker.last_error
    task = asyncio.create_task(supervise(worker, health))
    beats = asyncio.create_task(heartbeat(runtime, name, health, stop, started))
    await stop.wait()
    await beats
    worker.stop()
    try:
        await asyncio.wait_for(asyncio.shield(task), SHUTDOWN_GRACE_SECONDS)
    except TimeoutError:
        task.cancel()  # the current run's lease is released by execute_claim
        with contextlib.suppress(asyncio.CancelledError):
            await task


def build_app(runtime: Runtime, *, with_worker: bool,
              failing_at_start: list[str] | None = None) -> Litestar:
    """``failing_at_start`` (when given) receives the names of the readiness checks that fail
    once the runtime has started, before the socket is bound (``ssctl serve`` announces them)."""
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await runtime.start()
        if with_worker:
            started = asyncio.Event()
            tasks.append(asyncio.create_task(run_worker(runtime, stop, started)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(started.wait(), 10)
        if failing_at_start is not None:
            failing_at_start[:] = [c.name for c in (await runtime.gate.evaluate()).violations]
        freeze_long_lived_heap()  # full collections then skip what start-up built
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                await task
            await runtime.close()

    return create_app(runtime.services, runtime.gate,
                      admin_token=runtime.settings.service.admin_token,
                      cors_origins=list(runtime.settings.service.cors_origins),
                      lifespan=[lifespan])


def page_addresses(host: str, port: int, not_ready: Sequence[str] = ()) -> str:
    """What ``ssctl serve`` prints once it listens: whether SS is ready (naming the failing
    readiness checks when it is not) and where the researcher's page and the operator console
    are (a wildcard bind is announced as the loopback address)."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 (display)
    if ":" in shown:
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}"
    headline = "SS is ready." if not not_ready else (
        f"SS is running but NOT ready: {', '.join(not_ready)}.\n"
        f"  Analyses cannot run until this is fixed; `ssctl check` (or {base}/health/ready)"
        " names each missing item and how to fix it.")
    return (f"{headline}\n  Workspace (researchers): {base}/\n"
            f"  Operator console:        {base}/console\n  API schema:              "
            f"{base}/openapi")


class AnnouncingServer(uvicorn.Server):
    """uvicorn, printing readiness and the page's address once the socket is bound."""

    def __init__(self, config: uvicorn.Config, failing: Sequence[str] = ()) -> None:
        super().__init__(config)
        self.failing = failing  # filled by the app's start-up, before the socket is bound

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.should_exit or not self.servers:
            return
        bound = self.servers[0].sockets[0].getsockname()
        print(page_addresses(self.config.host, int(bound[1]), tuple(self.failing)), flush=True)


def app_beside_worker() -> Litestar:
    """An API process of ``serve --workers N`` whose worker runs as a sibling process on this
    host (so queueing still requires this host's Stata settings)."""
    configure_from_env(os.environ)
    runtime = Runtime(os.environ, ProcessRole.ALL, with_worker=False)
    harden_process(runtime.settings.service)
    return build_app(runtime, with_worker=False)


def app_alone() -> Litestar:
    """An API process of ``serve --workers N --no-worker`` (runs execute elsewhere)."""
    configure_from_env(os.environ)
    runtime = Runtime(os.environ, ProcessRole.API, with_worker=False)
    harden_process(runtime.settings.service)
    return build_app(runtime, with_worker=False)


def serve(env: Mapping[str, str], *, with_worker: bool, host: str | None = None,
          port: int | None = None) -> None:
    runtime = Runtime(env, ProcessRole.ALL if with_worker else ProcessRole.API,
                      with_worker=with_worker)
    failing: list[str] = []
    app = build_app(runtime, with_worker=with_worker, failing_at_start=failing)
    service = runtime.settings.service
    harden_process(service)
    config = uvicorn.Config(app, host=host or service.host, port=port or service.port,
                            log_config=None, log_level=logging.getLogger().level,
                            lifespan="on", timeout_graceful_shutdown=30,
                            **uvicorn_options(service))
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises SIGINT after shutdown
        AnnouncingServer(config, failing).run()


async def work(env: Mapping[str, str]) -> None:
    """A worker process alone (scale-out): claims runs until SIGTERM/SIGINT."""
    runtime = Runtime(env, ProcessRole.WORKER, with_worker=True)
    await runtime.start()
    service = runtime.settings.service
    if service.worker_metrics_port is not None:  # run, Stata and queue metrics of this worker
        prometheus_client.start_http_server(service.worker_metrics_port, addr=service.host)
        log.info("worker_metrics_listening", host=service.host,
                 port=service.worker_metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await run_worker(runtime, stop)
    finally:
        await runtime.close()
