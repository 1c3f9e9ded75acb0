"""Keep full garbage collections short in a serving process: freeze the long-lived heap.

A full (generation-2) collection traverses every tracked object of the process, on whatever
thread triggered it, while holding the GIL: with the imported libraries, the application and
the template library that is a few hundred thousand objects, measured at 150-250 ms of CPU
per full collection on the 2-core benchmark machine (and 400-650 ms of wall time when the
machine is busy), i.e. a stall of the event loop every few seconds under load. Almost all of
those objects live as long as the process, so collecting them is wasted work.

``gc.freeze()`` moves every object the collector tracks into a permanent generation that
collections skip. It is called once the process has started (after one full collection, so
no garbage is frozen), and again whenever a later full collection finds that at least
``FREEZE_GROWTH_OBJECTS`` objects survived it: that happens after libraries and data loaded
on first use (the dataset readers on a first upload, the template library on a first draft).
Right after a full collection every survivor is live, so the only cost of freezing is that an
object among them which later becomes part of a reference cycle is never reclaimed; requests
in flight hold far fewer than ``FREEZE_GROWTH_OBJECTS`` objects, so that cannot repeat with
each collection.
"""

from __future__ import annotations

import gc
from typing import Any

FREEZE_GROWTH_OBJECTS = 20_000


class HeapFreezer:
    """A ``gc.callbacks`` entry freezing the survivors of a full collection when they are
    many (see the module doc). ``freezes`` counts how often it did."""

    def __init__(self, growth_objects: int = FREEZE_GROWTH_OBJECTS) -> None:
        self.growth_objects = growth_objects
        self.freezes = 0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase != "stop" or info.get("generation") != 2:
            return
        if len(gc.get_objects(generation=2)) >= self.growth_objects:
            gc.freeze()
            self.freezes += 1


def installed() -> HeapFreezer | None:
    return next((cb for cb in gc.callbacks if isinstance(cb, HeapFreezer)), None)


def freeze_long_lived_heap(growth_objects: int = FREEZE_GROWTH_OBJECTS) -> HeapFreezer:
    """Collect once, freeze what survived and keep freezing later growth (idempotent: a
    process has one freezer)."""
    gc.collect()
    gc.freeze()
    freezer = installed()
    if freezer is None:
        freezer = HeapFreezer(growth_objects)
        gc.callbacks.append(freezer)
    freezer.freezes += 1
    return freezer


def stop_freezing() -> None:
    """Remove the freezer (the frozen objects stay frozen; ``gc.unfreeze()`` returns them)."""
    freezer = installed()
    if freezer is not None:
        gc.callbacks.remove(freezer)
