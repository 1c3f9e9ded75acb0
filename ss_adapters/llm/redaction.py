"""Secret redaction for anything that leaves the adapter (traces, error context).

Three nets, applied recursively to JSON-like data: values under secret-looking keys
(``authorization``, ``x-api-key``, ``api_key``, ``password``...), the configured secrets
wherever they appear inside strings, and strings shaped like credentials (``sk-...``,
``Bearer ...``, cloud access key ids, ``user:password@`` in URLs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"

_SECRET_KEY = re.compile(
    r"(^|[_\-.])(authorization|proxy-authorization|api[_\-]?key|apikey|x-api-key|password|"
    r"passwd|secret|client[_\-]?secret|access[_\-]?token|refresh[_\-]?token|auth[_\-]?token|"
    r"session[_\-]?token|cookie|set-cookie)$",
    re.IGNORECASE,
)
_KEY_LIKE = re.compile(
    r"(sk-[A-Za-z0-9_\-]{12,}"  # provider secret keys (sk-..., sk-ant-..., sk-proj-...)
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/\-]{8,}=*"  # bearer tokens inside text
    r"|AKIA[0-9A-Z]{16}"  # cloud access key ids
    r"|xox[abprs]-[A-Za-z0-9\-]{10,})"  # chat-workspace tokens
)


_URL_USERINFO = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")


class Redactor:
    """Removes the given secrets and anything credential-shaped from JSON-like values."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first so that a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        value = _URL_USERINFO.sub(f"{REDACTED}@", value)
        return _KEY_LIKE.sub(REDACTED, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                key: REDACTED if _is_secret_key(key) else self.value(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.value(item) for item in value]
        return value

    def headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        return {
            name.lower(): REDACTED if _is_secret_key(name) else self.text(val)
            for name, val in headers
        }


def _is_secret_key(key: object) -> bool:
    return isinstance(key, str) and _SECRET_KEY.search(key) is not None
