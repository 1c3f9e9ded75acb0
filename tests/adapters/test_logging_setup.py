"""One logging pipeline: JSON or console on stderr, secrets scrubbed, no locals, library logs
folded in, bad settings named; command output on stdout stays pure JSON."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from ss_adapters.observability.logging_setup import configure_from_env, configure_logging
from ss_core.errors import ConfigError
from ss_http.cli import main

TOKEN = "FKkBn7jzt_0UkZL4rsjdj48CNaJdL3qoK6j_PV0NVUc"
CODE = "tc_AbCdEfGhIjKlMnOpQrStUvWx"


def _fail_with_secrets_in_locals() -> None:
    headers = {"authorization": f"Bearer {TOKEN}"}  # a local a rich traceback would show
    body = {"task_code": CODE}
    raise RuntimeError(f"failed handling {len(headers) + len(body)} items")


@pytest.fixture(autouse=True)
def _restore_logging():
    yield
    configure_logging("json", "INFO")


@pytest.mark.parametrize("fmt", ["json", "console"])
def test_tracebacks_have_no_locals_and_secrets_are_scrubbed(fmt: str) -> None:
    out = io.StringIO()
    configure_logging(fmt, "INFO", stream=out)
    log = structlog.get_logger("ss.http")
    try:
        _fail_with_secrets_in_locals()
    except RuntimeError:
        log.exception("unexpected_error", path="/v1/jobs/x",
                      note=f"Authorization: Bearer {TOKEN} code {CODE} key sk-abcdef123456789")
    logging.getLogger("ss.worker").warning("claim by %s", f"Bearer {TOKEN}")
    text = out.getvalue()
    assert TOKEN not in text and CODE not in text and "sk-abcdef123456789" not in text
    assert "unexpected_error" in text and "RuntimeError" in text
    assert '"locals"' not in text and "{'authorization'" not in text
    if fmt == "json":
        events = [json.loads(line) for line in text.splitlines()]
        assert [e["event"] for e in events][0] == "unexpected_error"
        assert events[0]["exception"][0]["exc_type"] == "RuntimeError"


def test_secret_keys_are_masked_whole_and_ids_are_kept() -> None:
    out = io.StringIO()
    configure_logging("json", "INFO", stream=out)
    structlog.get_logger("t").info("e", token="plain", api_key="k", task_code="x",
                                   task_code_id="tcid_1", job_id="job_1")
    event = json.loads(out.getvalue())
    assert event["token"] == event["api_key"] == event["task_code"] == "[redacted]"
    assert event["task_code_id"] == "tcid_1" and event["job_id"] == "job_1"


def test_library_logs_are_folded_into_the_same_format() -> None:
    out = io.StringIO()
    configure_logging("json", "INFO", stream=out)
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET",
                                             "/v1/jobs/j", "1.1", 404)
    migration = logging.getLogger("alembic.runtime.migration")
    migration.info("Context impl SQLiteImpl.")
    migration.info("Will assume non-transactional DDL.")
    migration.info("Running upgrade 0001 -> 0002")
    logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.autogenerate.types")
    logging.getLogger("ss.worker").info("claimed", extra={"run_id": "run_1"})
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events[0] == {**events[0], "event": "http_request", "method": "GET",
                         "path": "/v1/jobs/j", "status": 404}
    assert [e["event"] for e in events[1:]] == ["Running upgrade 0001 -> 0002", "claimed"]
    assert events[2]["run_id"] == "run_1"


def test_level_filters_and_bad_settings_are_named_together() -> None:
    out = io.StringIO()
    configure_logging("json", "WARNING", stream=out)
    structlog.get_logger("t").info("hidden")
    structlog.get_logger("t").warning("shown")
    assert [json.loads(x)["event"] for x in out.getvalue().splitlines()] == ["shown"]
    with pytest.raises(ConfigError) as err:
        configure_from_env({"SS_LOG_FORMAT": "xml", "SS_LOG_LEVEL": "loud"})
    problems = err.value.context["problems"]
    assert len(problems) == 2 and "SS_LOG_FORMAT" in problems[0] and "SS_LOG_LEVEL" in problems[1]


def test_json_output_is_pure_json_even_with_debug_logging(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SS_STATA_CMD", str(tmp_path / "stata"))
    monkeypatch.setenv("SS_LOG_LEVEL", "DEBUG")
    assert main(["task-codes", "issue", "--count", "1"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["task_code"].startswith("tc_")
    assert "tc_" not in captured.err or "[redacted]" in captured.err
    main(["check", "--json"])
    assert json.loads(capsys.readouterr().out)["ready"] is False


def test_a_bad_setting_is_one_message_not_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SS_LOG_FORMAT", "xml")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "SS_LOG_FORMAT" in err and "Traceback" not in err
