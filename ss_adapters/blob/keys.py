"""The object key rule shared by every store.

A key is a relative, ``/``-separated path of printable segments: no empty segment, no ``.`` or
``..``, no backslash, no NUL or other control character, no leading ``/``, at most
``MAX_KEY_BYTES`` UTF-8 bytes in all and ``MAX_SEGMENT_BYTES`` per segment (a file-name limit
on every common file system). Anything else is ``OBJECT_KEY_INVALID``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator

from ss_core.ports.object_store import ObjectKeyInvalid

MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 255


def _problem(key: str) -> str | None:
    if not key:
        return "the key is empty"
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        return f"the key is longer than {MAX_KEY_BYTES} bytes"
    if key.startswith("/"):
        return "the key is absolute (starts with '/')"
    if "\\" in key:
        return "the key contains a backslash; use '/' between segments"
    for ch in key:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            return f"the key contains a control or unpaired surrogate character {ch!r}"
    for segment in key.split("/"):
        if segment == "":
            return "the key has an empty segment ('//' or a trailing '/')"
        if segment in (".", ".."):
            return f"the key has a {segment!r} segment"
        if len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
            return f"a key segment is longer than {MAX_SEGMENT_BYTES} bytes"
    return None


def validate_key(key: object) -> str:
    """Return ``key`` unchanged when it follows the rule; raise ``OBJECT_KEY_INVALID`` if not."""
    if not isinstance(key, str):
        raise ObjectKeyInvalid(
            "An object key must be a string.", key_type=type(key).__name__
        )
    problem = _problem(key)
    if problem is not None:
        raise ObjectKeyInvalid(
            f"Invalid object key: {problem}.",
            key=key[:200],
            reason=problem,
            rule="relative '/'-separated segments; no '.', '..', '\\', control characters",
        )
    return key


async def single_chunk(data: bytes) -> AsyncIterator[bytes]:
    """``data`` as a one-chunk stream: every store writes bytes through ``put_stream``."""
    yield data
