"""The benchmark command's size options replace the profile's sizes."""

from __future__ import annotations

import argparse

from benchmarks.run import PROFILES, chosen_profile


def _args(**given: object) -> argparse.Namespace:
    values: dict[str, object] = {"tiny": False, "quick": True, "upload_mb": None,
                                 "worker_mb": None}
    values.update(given)
    return argparse.Namespace(**values)


def test_worker_and_upload_sizes_replace_the_profiles() -> None:
    profile = chosen_profile(_args(worker_mb="10,1024", upload_mb="5"))
    assert profile.worker_mb == [10.0, 1024.0]
    assert profile.upload_mb == [5.0]
    assert profile.worker_reps == PROFILES["quick"].worker_reps


def test_without_sizes_the_profile_is_unchanged() -> None:
    assert chosen_profile(_args()) == PROFILES["quick"]
    assert chosen_profile(_args(quick=False, tiny=True)) == PROFILES["tiny"]
