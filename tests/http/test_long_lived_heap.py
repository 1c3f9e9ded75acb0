"""The heap freezer: full collections skip what a serving process keeps for its lifetime."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ss_http.long_lived_heap import HeapFreezer, freeze_long_lived_heap, installed, stop_freezing


@pytest.fixture
def clean_gc() -> Iterator[None]:
    yield
    stop_freezing()
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector can reclaim it


def test_start_up_freeze_collects_first_and_installs_one_freezer(clean_gc: None) -> None:
    Node()  # garbage in a cycle: collected before the freeze, not frozen with the rest
    first = freeze_long_lived_heap()
    assert gc.get_freeze_count() > 0
    assert not any(isinstance(o, Node) for o in gc.get_objects())
    assert freeze_long_lived_heap() is first and installed() is first
    assert sum(isinstance(cb, HeapFreezer) for cb in gc.callbacks) == 1


def test_growth_surviving_a_full_collection_is_frozen(clean_gc: None) -> None:
    freezer = freeze_long_lived_heap(growth_objects=5_000)
    kept = [Node() for _ in range(6_000)]  # loaded after start-up, kept for good
    before = gc.get_freeze_count()
    gc.collect()
    assert freezer.freezes == 2
    assert gc.get_freeze_count() >= before + len(kept)
    assert len(gc.get_objects(generation=2)) < 5_000


def test_small_survivors_stay_collectable(clean_gc: None) -> None:
    freezer = freeze_long_lived_heap(growth_objects=10_000_000)
    in_flight = [Node() for _ in range(100)]
    gc.collect()
    assert freezer.freezes == 1
    assert sum(isinstance(o, Node) for o in gc.get_objects(generation=2)) == len(in_flight)


def test_only_the_end_of_a_full_collection_counts() -> None:
    freezer = HeapFreezer(growth_objects=0)
    freezer("start", {"generation": 2})
    freezer("stop", {"generation": 1})
    assert freezer.freezes == 0
