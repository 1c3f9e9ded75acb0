"""How every object store words its two common refusals (the classes are the port's, in
``ss_core.ports.object_store``)."""

from __future__ import annotations

from ss_core.errors import PayloadTooLarge
from ss_core.ports.object_store import ObjectNotFound


def not_found(key: str) -> ObjectNotFound:
    return ObjectNotFound(f"No stored object under key {key!r}.", key=key)


def too_large(key: str, max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The object exceeds the limit of {max_bytes} bytes; nothing was stored.",
        key=key,
        max_bytes=max_bytes,
        fix="upload a smaller file, or ask the operator to raise the upload limit",
    )
