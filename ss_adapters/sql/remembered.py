"""Answers of keyed reads, each kept with the proof of the database state it was read in.

A read path that can name the state of the whole database cheaply (SQLite's
``PRAGMA data_version``, PostgreSQL's ``pg_current_snapshot()``) keeps the answer of a keyed
read with the state it was read in, and gives it again only while the state it reads now is
equal: nothing was committed since, so the read would return exactly the remembered answer.
At most ``entries`` answers are kept, the least recently used dropped first. The answers are
shared: callers must not mutate them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

READ_MEMORY_ENTRIES = 1024


class RememberedAnswers:
    def __init__(self, entries: int = READ_MEMORY_ENTRIES) -> None:
        self.entries = entries
        self._answers: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()

    def get(self, key: Hashable, state: Hashable) -> tuple[bool, Any]:
        """``(True, answer)`` when ``key`` was read in ``state``, else ``(False, None)``."""
        hit = self._answers.get(key)
        if hit is None or hit[0] != state:
            return False, None
        self._answers.move_to_end(key)
        return True, hit[1]

    def put(self, key: Hashable, state: Hashable, answer: Any) -> None:
        self._answers[key] = (state, answer)
        self._answers.move_to_end(key)
        while len(self._answers) > self.entries:
            self._answers.popitem(last=False)
