"""Finding 11 (the 500s that remained) and finding 9 (tokens in the server log): huge integers
in plan parameters and draft patches are 4xx with a reason, an overlong template id is not
echoed whole, and no bearer token of these requests ever reaches the server log."""

from __future__ import annotations

import io
import logging

import structlog

from ss_adapters.observability.logging_setup import configure_logging
from tests.faults.journey import WAGES, new_job, upload
from tests.hostile.conftest import Stack

HUGE = int("1" + "0" * 400)


def test_huge_numbers_and_long_ids_are_client_errors(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, WAGES).status_code == 200
        assert client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).status_code == 200
        freeze = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                             content=b'{"template_id":"ols_basic","params":{"level":'
                             + str(HUGE).encode() + b"}}",
                             )
        assert 400 <= freeze.status_code < 500, freeze.text[:300]
        patch = client.post(f"/v1/jobs/{job_id}/draft/patch", headers=auth,
                            content=b'{"field_updates":{"cutoff":' + str(HUGE).encode() + b"}}")
        assert patch.status_code < 500, patch.text[:300]
        after = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
        assert after.status_code < 500, after.text[:300]
        long_id = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                              json={"template_id": "x" * 10_000})
        assert long_id.status_code == 404 and len(long_id.content) < 2_000
    token = auth["Authorization"].split()[1]
    assert token not in (stack.data_dir.parent / "server.log").read_text(errors="replace")


def test_an_unexpected_error_logs_no_token_and_no_locals() -> None:
    secret = "Bearer FKkBn7jzt_0UkZL4rsjdj48CNaJdL3qoK6j_PV0NVUc"
    for fmt in ("json", "console"):
        out = io.StringIO()
        configure_logging(fmt, "INFO", stream=out)
        try:
            headers = {"authorization": secret}  # a local the traceback must not show
            raise RuntimeError(f"boom while handling {headers['authorization'][:6]}")
        except RuntimeError:
            structlog.get_logger("ss.http").exception("unexpected_error", request_headers=headers)
        text = out.getvalue()
        assert "unexpected_error" in text and "RuntimeError" in text
        assert "FKkBn7jzt_0UkZL4rsjdj48CNaJdL3qoK6j_PV0NVUc" not in text, text[-2000:]
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "ss-stderr"]:
        root.removeHandler(handler)
