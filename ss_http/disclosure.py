"""What an error body or an anonymous readiness answer may say: nothing internal.

The core's errors carry rich context for operators and embedders; before a body leaves the
HTTP edge, context keys that only make sense inside (LLM traces and URLs, command lines,
prompts, tracebacks) are dropped and every remaining text is scrubbed of URLs and absolute
host paths (the API's own routes are kept). Operators find the full story in the server log
and the archived trace artifacts a body refers to.
"""

from __future__ import annotations

import re
from typing import Any

INTERNAL_KEYS = frozenset({"traces", "url", "base_url", "command", "command_line", "prompt",
                           "messages", "traceback", "stack", "exc_info", "host", "pid",
                           "worker_id", "database_url", "executable"})
_URL = re.compile(r"\b(?:https?|ftps?|file|s3|postgres(?:ql)?|sqlite(?:\+\w+)?)://[^\s'\")<>,]*",
                  re.IGNORECASE)
_HOST_PATH = re.compile(r"(?<![\w.:/~-])(?:~|/(?!v1/|api/|health|metrics|openapi))"
                        r"[^\s'\"<>,;()]*/[^\s'\"<>,;()]*")
MAX_TEXT = 2000


def scrub(text: str) -> str:
    """``text`` without URLs and absolute host paths, bounded in length."""
    return _HOST_PATH.sub("<path>", _URL.sub("<url>", text))[:MAX_TEXT]


def _clean(value: Any, depth: int = 0) -> Any:
    if depth > 6:
        return None
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _clean(v, depth + 1) for k, v in value.items() if k not in INTERNAL_KEYS}
    if isinstance(value, list | tuple):
        return [_clean(v, depth + 1) for v in value[:200]]
    return value


def public_body(body: dict[str, Any]) -> dict[str, Any]:
    """An error body fit for any client (see the module doc)."""
    cleaned: dict[str, Any] = _clean(body)
    return cleaned
