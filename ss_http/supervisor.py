"""``ssctl serve --workers N``: several API processes and one worker process, supervised.

The parent process stays small (it imports neither the web application nor the adapters). It
brings the schema up to date once (``ssctl migrate`` as a child, so N processes never migrate
at the same time), binds the listening socket, and then:

- runs N API processes on that socket through uvicorn's process supervisor, which health-checks
  them and replaces one that dies (the kernel spreads connections over them). They share the
  database and the object store; each reads and writes through its own pool;
- unless ``--no-worker``, runs ``ssctl worker`` as its own process, restarted with a growing
  pause (1 s to 30 s) when it exits on its own. The API processes then run with the ``all``
  role minus the in-process loop: they still refuse to queue a run when this host has no Stata
  configured, and readiness checks that a worker *can* run here.

SIGINT/SIGTERM stop the API processes (uvicorn drains them), then the worker process, which
finishes or releases its run within its own grace period.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping

import structlog
import uvicorn
from uvicorn.supervisors import Multiprocess

from ss_adapters.settings import load_settings
from ss_core.errors import ConfigError
from ss_http.connection_limits import uvicorn_options

log = structlog.get_logger("ss.supervisor")

RESTART_PAUSES_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)
STOP_GRACE_SECONDS = 30.0  # longer than the worker's own grace for the run in hand (20 s)

# The factories each API process calls (uvicorn imports them by name in the child).
APP_BESIDE_WORKER = "ss_http.serving:app_beside_worker"
APP_ALONE = "ss_http.serving:app_alone"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ss_http.cli", *args]


class WorkerProcess:
    """``ssctl worker`` as a child, restarted after a growing pause when it exits on its own
    (exit status 0 only follows a stop signal, so it is never restarted)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = dict(env)
        self._stopping = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._keep_alive, name="ss-worker-supervisor",
                                        daemon=True)
        self.restarts = 0

    def start(self) -> WorkerProcess:
        self._thread.start()
        return self

    def _keep_alive(self) -> None:
        while not self._stopping.is_set():
            self._proc = subprocess.Popen(_cli("worker"), env=self._env)
            log.info("worker_process_started", pid=self._proc.pid)
            code = self._proc.wait()
            if self._stopping.is_set() or code == 0:
                return
            pause = RESTART_PAUSES_SECONDS[min(self.restarts, len(RESTART_PAUSES_SECONDS) - 1)]
            self.restarts += 1
            log.warning("worker_process_exited", exit_code=code, restart_in_seconds=pause)
            self._stopping.wait(pause)

    def stop(self) -> None:
        self._stopping.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._thread.join(5)


def migrate_once(env: Mapping[str, str]) -> None:
    """``ssctl migrate`` before any child starts (a failure is logged; readiness reports it)."""
    if env.get("SS_AUTO_MIGRATE", "1").strip() in ("0", "false", "no"):
        return
    done = subprocess.run(_cli("migrate"), env=dict(env), check=False)
    if done.returncode != 0:
        log.warning("migration_failed", exit_code=done.returncode)


def supervise(env: Mapping[str, str], *, workers: int, with_worker: bool,
              host: str | None = None, port: int | None = None) -> None:
    """Serve with ``workers`` API processes (and a worker process) on ``host:port`` (by
    default the service settings')."""
    if workers < 1:
        raise ConfigError("--workers must be at least 1", setting="--workers", value=workers,
                          fix="pass --workers N with N >= 1, or leave it out for one process")
    service = load_settings(env).service
    host, port = host or service.host, port or service.port
    migrate_once(env)
    metrics_dir = service.data_dir / "metrics"  # every process's metrics, merged by /metrics
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    children = {**env, "SS_AUTO_MIGRATE": "0", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    os.environ.update(children)  # the API processes inherit it
    config = uvicorn.Config(APP_BESIDE_WORKER if with_worker else APP_ALONE, factory=True,
                            host=host, port=port, workers=workers, lifespan="on",
                            log_config=None, log_level=logging.getLogger().level,
                            timeout_graceful_shutdown=30, **uvicorn_options(service))
    socket = config.bind_socket()
    worker = WorkerProcess(children).start() if with_worker else None
    try:
        Multiprocess(config, sockets=[socket]).run()
    finally:
        if worker is not None:
            worker.stop()
        socket.close()
