"""The errors every object store raises, one class per registered code."""

from __future__ import annotations

from ss_core.errors import NotFound, PayloadTooLarge, SSError, StorageError


class ObjectKeyInvalid(SSError):
    code = "OBJECT_KEY_INVALID"


class ObjectNotFound(NotFound):
    code = "OBJECT_NOT_FOUND"


class StorageUnavailable(StorageError):
    code = "STORAGE_UNAVAILABLE"


def not_found(key: str) -> ObjectNotFound:
    return ObjectNotFound(f"No stored object under key {key!r}.", key=key)


def too_large(key: str, max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The object exceeds the limit of {max_bytes} bytes; nothing was stored.",
        key=key,
        max_bytes=max_bytes,
        next_actions=["upload a smaller file", "ask the operator to raise the upload limit"],
    )
