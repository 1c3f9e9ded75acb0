"""A sha256 that records the thread of every ``update``: a store that must hash a stream off
the event loop gets it in place of ``hashlib`` in its own module only."""

from __future__ import annotations

import hashlib
import threading
from types import SimpleNamespace


class ThreadsOfHashing:
    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def module(self) -> SimpleNamespace:
        """A stand-in for the ``hashlib`` module whose ``sha256`` records its callers."""
        return SimpleNamespace(sha256=self._sha256)

    def _sha256(self, data: bytes = b"") -> _Recording:
        return _Recording(self.threads, data)


class _Recording:
    def __init__(self, threads: list[threading.Thread], data: bytes) -> None:
        self._threads = threads
        self._hash = hashlib.sha256(data)

    def update(self, data: bytes) -> None:
        self._threads.append(threading.current_thread())
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
