"""One logging configuration for every SS process, applied once at start-up.

Everything goes to stderr (stdout is reserved for command output, so ``--json`` stays pure
JSON) through one structlog pipeline: SS's structlog events, the standard-library loggers of
the core and of the libraries (uvicorn's access and error logs, alembic, httpx) alike. Format:
``json`` (one object a line) or ``console`` (aligned key=value for a terminal). Every event is
scrubbed of secrets after its traceback is rendered, and tracebacks never carry local
variables.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import structlog

from ss_adapters.observability.redaction import redact_event
from ss_core.errors import ConfigError

LOG_FORMATS = ("json", "console")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
QUIET_LIBRARIES = ("httpx", "httpcore", "botocore", "aiobotocore", "aiobotocore.credentials",
                   "urllib3", "asyncio", "multipart",
                   # alembic >= 1.16 announces each of its plugins at INFO on every start
                   "alembic.runtime.plugins")
_HANDLER_NAME = "ss-stderr"
_ALEMBIC_CHATTER = ("Context impl", "Will assume")


class AlembicChatter(logging.Filter):
    """Drop alembic's two lines per connection (every readiness probe opens one); keep the
    lines that say which migration ran."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_ALEMBIC_CHATTER)


def access_fields(_logger: Any, _method: str, event: MutableMapping[str, Any]
                  ) -> MutableMapping[str, Any]:
    """uvicorn's access line as fields: client, method, path, status (and no duplicate of
    the message of standard-library records)."""
    args = event.pop("positional_args", None)
    if event.get("message") == event.get("event"):
        event.pop("message")
    if event.get("logger") == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
        client, method, path, _version, status = args
        event.update(event="http_request", client=client, method=method, path=path,
                     status=status)
    return event


# What every LogRecord has; anything else on a record is an "extra" that ExtraAdder renders.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}


class JsonLineFormatter(structlog.stdlib.ProcessorFormatter):
    """The JSON pipeline, with a direct path for uvicorn's access line (one a request, the
    most frequent line by far): the same fields in the same order, scrubbed and rendered by
    the same processors, without running the generic chain for it. Any access record the
    direct path does not cover exactly (bound context variables, extras, a traceback, an
    unexpected shape) takes the generic chain."""

    _stamp = structlog.processors.TimeStamper(fmt="iso", utc=True)
    _render = structlog.processors.JSONRenderer(ensure_ascii=False, default=str)

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if (record.name != "uvicorn.access" or record.exc_info or record.stack_info
                or not isinstance(args, tuple) or len(args) != 5
                or structlog.contextvars.get_contextvars()
                or not vars(record).keys() <= _RECORD_FIELDS):
            return super().format(record)
        client, method, path, _version, status = args
        event: dict[str, Any] = {"event": "http_request", "level": record.levelname.lower(),
                                 "logger": record.name}
        self._stamp(None, "", event)
        event.update(client=client, method=method, path=path, status=status)
        line = self._render(None, "", redact_event(None, "", event))
        assert isinstance(line, str)
        return line


def _shared() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _rendering(fmt: str) -> list[Any]:
    if fmt == "json":
        return [
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)),
            redact_event,
            structlog.processors.JSONRenderer(ensure_ascii=False, default=str),
        ]
    return [
        structlog.processors.format_exc_info,  # the plain stdlib traceback: never locals
        redact_event,
        structlog.dev.ConsoleRenderer(colors=False,
                                      exception_formatter=structlog.dev.plain_traceback),
    ]


class _CurrentStderr:
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(fmt: str = "json", level: str = "INFO",
                      stream: TextIO | None = None) -> None:
    """Install the pipeline (idempotent: a second call replaces the first)."""
    if fmt not in LOG_FORMATS or level.upper() not in LOG_LEVELS:
        raise ValueError(f"log format {fmt!r} / level {level!r}")
    shared = _shared()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    kind = JsonLineFormatter if fmt == "json" else structlog.stdlib.ProcessorFormatter
    formatter = kind(
        foreign_pre_chain=shared, pass_foreign_args=True,
        processors=[access_fields, structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *_rendering(fmt)],
    )
    handler = logging.StreamHandler(stream or _CurrentStderr())
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    migration = logging.getLogger("alembic.runtime.migration")
    if not any(isinstance(f, AlembicChatter) for f in migration.filters):
        migration.addFilter(AlembicChatter())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def configure_from_env(env: Mapping[str, str]) -> None:
    """``SS_LOG_FORMAT`` (json|console, default json) and ``SS_LOG_LEVEL`` (default INFO);
    a bad value raises ``CONFIG_INVALID`` naming the key."""
    fmt = env.get("SS_LOG_FORMAT", "").strip().lower() or "json"
    level = env.get("SS_LOG_LEVEL", "").strip().upper() or "INFO"
    problems = []
    if fmt not in LOG_FORMATS:
        problems.append(f"SS_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)} (got {fmt!r})")
    if level not in LOG_LEVELS:
        problems.append(f"SS_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {level!r})")
    if problems:
        raise ConfigError("invalid logging settings: " + "; ".join(problems),
                          problems=problems)
    configure_logging(fmt, level)
