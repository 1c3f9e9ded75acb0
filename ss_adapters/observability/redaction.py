"""Scrub secrets from log events before they are rendered.

Values under secret-looking keys are replaced whole; inside any string (messages, rendered
tracebacks, access-log lines) bearer tokens, task codes and API keys are masked by pattern.
The patterns match how SS makes its secrets (``tc_`` + url-safe text for task codes, url-safe
bearer tokens) and the common provider key shapes (``sk-...``).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

MASK = "[redacted]"
SECRET_KEY = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[_-]?key|password|"
    r"passwd|secret|token|task_code|admin_token|access_token|refresh_token|[a-z_]*_secret|"
    r"[a-z_]*_api_key)$", re.IGNORECASE)
SECRET_TEXT = (
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + MASK),
    (re.compile(r"\btc_[A-Za-z0-9_-]{8,}"), "tc_" + MASK),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), "sk-" + MASK),
    (re.compile(r"(?i)((?:api[_-]?key|token|password|secret)['\"]?\s*[:=]\s*['\"]?)"
                r"[A-Za-z0-9._~+/=-]{8,}"), r"\1" + MASK),
)

# Every text a SECRET_TEXT pattern can match contains one of these (case aside): a text
# without any is returned as it is after one search instead of four substitutions.
_MAYBE_SECRET = re.compile(r"(?i)bearer|tc_|sk-|api|token|password|secret")


def scrub_text(text: str) -> str:
    if not _MAYBE_SECRET.search(text):
        return text
    for pattern, replacement in SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def scrub(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` with every secret masked (nested dicts, lists and strings)."""
    if depth > 8:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: MASK if isinstance(k, str) and SECRET_KEY.match(k) and v is not None
                else scrub(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(v, depth + 1) for v in value)
    return value


def redact_event(_logger: Any, _method: str, event: MutableMapping[str, Any]
                 ) -> MutableMapping[str, Any]:
    """structlog processor: mask secrets everywhere in the event."""
    for key in list(event):
        value = event[key]
        if SECRET_KEY.match(key) and value is not None:
            event[key] = MASK
        else:
            event[key] = scrub(value)
    return event
