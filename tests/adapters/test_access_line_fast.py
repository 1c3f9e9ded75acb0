"""The cheap paths of logging say exactly what the generic ones say.

uvicorn's access line (one a request) is rendered directly, and text without any trace of a
secret skips the scrubbing substitutions: both must give the very output of the generic
pipeline, secrets masked alike.
"""

from __future__ import annotations

import json
import logging

import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st

from ss_adapters.observability.logging_setup import JsonLineFormatter, configure_logging
from ss_adapters.observability.redaction import SECRET_TEXT, scrub_text

TOKEN = "FKkBn7jzt_0UkZL4rsjdj48CNaJdL3qoK6j_PV0NVUc"


def _formatter() -> JsonLineFormatter:
    configure_logging("json", "INFO")
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "ss-stderr")
    assert isinstance(handler.formatter, JsonLineFormatter)
    return handler.formatter


def _access(path: str, status: int = 200, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", path, "1.1", status), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def _both(record_for: object) -> tuple[dict[str, object], dict[str, object]]:
    formatter = _formatter()
    fast = json.loads(formatter.format(record_for()))  # type: ignore[operator]
    generic = json.loads(structlog.stdlib.ProcessorFormatter.format(
        formatter, record_for()))  # type: ignore[operator]
    return fast, generic


def _same(fast: dict[str, object], generic: dict[str, object]) -> None:
    assert list(fast) == list(generic)
    assert {k: v for k, v in fast.items() if k != "timestamp"} == {
        k: v for k, v in generic.items() if k != "timestamp"}
    assert str(fast["timestamp"]).endswith("Z") and len(str(fast["timestamp"])) == len(
        str(generic["timestamp"]))


def test_the_access_line_is_the_generic_line() -> None:
    fast, generic = _both(lambda: _access("/v1/jobs/job_1/artifacts?history=true", 404))
    _same(fast, generic)
    assert fast["event"] == "http_request" and fast["status"] == 404


def test_a_secret_in_the_access_line_is_masked_alike() -> None:
    fast, generic = _both(lambda: _access(f"/v1/jobs/j?token={TOKEN}"))
    _same(fast, generic)
    assert TOKEN not in json.dumps(fast)


def test_records_the_direct_path_does_not_cover_take_the_generic_chain() -> None:
    fast, generic = _both(lambda: _access("/v1/x", note="an extra"))
    assert fast["note"] == "an extra"
    _same(fast, generic)
    structlog.contextvars.bind_contextvars(request_id="req_1")
    try:
        fast, generic = _both(lambda: _access("/v1/x"))
    finally:
        structlog.contextvars.clear_contextvars()
    assert fast["request_id"] == "req_1"
    _same(fast, generic)


FRAGMENTS = st.sampled_from(["Bearer ", "bearer\t", "tc_", "sk-", "api_key=", "API-KEY: ",
                             "token:", "password=", "secret'", "x", " ", "/", "=", '"',
                             "AbCdEf0123456789", "tc", "sk", "Tok"])


@given(parts=st.lists(FRAGMENTS | st.text(max_size=12), max_size=12))
def test_scrubbing_with_the_shortcut_equals_every_substitution(parts: list[str]) -> None:
    text = "".join(parts)
    expected = text
    for pattern, replacement in SECRET_TEXT:
        expected = pattern.sub(replacement, expected)
    assert scrub_text(text) == expected


def test_the_access_line_does_not_run_the_generic_chain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    formatter = _formatter()

    def generic(self: object, record: logging.LogRecord) -> str:
        raise AssertionError("the generic chain ran for a plain access line")

    monkeypatch.setattr(structlog.stdlib.ProcessorFormatter, "format", generic)
    assert json.loads(formatter.format(_access("/v1/jobs/job_1")))["path"] == "/v1/jobs/job_1"
