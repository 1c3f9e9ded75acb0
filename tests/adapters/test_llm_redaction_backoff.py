"""Redaction of secrets and the backoff arithmetic (contracts checked with hypothesis)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from ss_adapters.llm.backoff import Backoff, parse_retry_after
from ss_adapters.llm.redaction import REDACTED, Redactor
from ss_adapters.llm.structured import parse_answer

SECRET_CHARS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_-", min_size=8,
                       max_size=40)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@given(secret=SECRET_CHARS, body=JSONISH, prefix=st.text(max_size=10))
def test_a_configured_secret_never_survives_redaction(secret, body, prefix):
    data = {"payload": body, "note": f"{prefix}{secret}{prefix}", "list": [secret]}
    assert secret not in json.dumps(Redactor([secret]).value(data))


def test_secret_keys_and_key_shaped_strings_are_redacted():
    redactor = Redactor()
    data = {
        "Authorization": "Bearer abc.def.ghi",
        "x-api-key": "whatever",
        "nested": {"api_key": 1, "client_secret": "s", "password": "p"},
        "message": "Incorrect key: sk-proj-ABCDEF1234567890abcd and AKIAABCDEFGHIJKLMNOP",
        "text": "use Bearer eyJhbGciOiJIUzI1NiJ9.payload please",
        "usage": {"prompt_tokens": 3, "max_tokens": 9},
    }
    out = redactor.value(data)
    assert out["Authorization"] == out["x-api-key"] == REDACTED
    assert out["nested"] == {"api_key": REDACTED, "client_secret": REDACTED,
                             "password": REDACTED}
    assert "sk-proj" not in out["message"] and "AKIA" not in out["message"]
    assert "eyJ" not in out["text"]
    assert out["usage"] == {"prompt_tokens": 3, "max_tokens": 9}  # not secrets


def test_credentials_in_urls_are_redacted():
    out = Redactor().text("http://ss:hunter2@gpu.internal:8000/v1/chat/completions")
    assert out == "http://[REDACTED]@gpu.internal:8000/v1/chat/completions"


def test_headers_are_lowercased_and_redacted():
    out = Redactor(["k3y-value"]).headers([("Authorization", "Bearer k3y-value"),
                                           ("Anthropic-Version", "2023-06-01")])
    assert out == {"authorization": REDACTED, "anthropic-version": "2023-06-01"}


@given(index=st.integers(min_value=0, max_value=100), base=st.floats(0, 5),
       cap=st.floats(0, 60), seed=st.integers())
def test_jitter_delay_stays_within_the_exponential_ceiling(index, base, cap, seed):
    delay = Backoff(base_s=base, max_s=cap, retry_after_max_s=99).delay(
        index, None, random.Random(seed))
    assert 0 <= delay <= min(cap, base * 2 ** min(index, 32))


@given(seconds=st.floats(0, 10_000), cap=st.floats(0, 120))
def test_retry_after_wins_but_is_capped(seconds, cap):
    delay = Backoff(base_s=1, max_s=1, retry_after_max_s=cap).delay(0, seconds, random.Random())
    assert delay == min(seconds, cap)


def test_retry_after_parses_seconds_and_http_dates():
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") is None


def test_answer_parsing_tolerates_fences_and_prose():
    assert parse_answer('{"a": 1}') == {"a": 1}
    assert parse_answer('```json\n{"a": 1}\n```') == {"a": 1}
    assert parse_answer('```\n{"a": 1}\n```') == {"a": 1}
    assert parse_answer('Sure! {"a": {"b": 2}} Hope this helps.') == {"a": {"b": 2}}
    assert "not valid JSON" in parse_answer('{"a": ')
    assert "empty" in parse_answer("   ")
    assert "not an object" in parse_answer("[1]")
