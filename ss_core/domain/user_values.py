"""What a user (or a client on their behalf) may write as a value: for a draft field, a
template parameter, a variable correction or a stage-1 answer.

A value is a name, a number, a flag or nothing, or a list of those. It is only a candidate:
``drafting.apply_updates``, ``corrections`` and ``bind`` check it against the dataset and
the template, and report every one they refuse.
"""

from __future__ import annotations

Scalar = str | int | float | bool | None
UserValue = Scalar | list[Scalar]
