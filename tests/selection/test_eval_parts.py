"""The eval's parts (``requests.d/*.json``) join the main file; a clash is an error, not a silent
overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selection.eval_data import DATA, load_eval

MAIN = json.loads(DATA.read_text(encoding="utf-8"))


def _write(tmp: Path, name: str, body: object) -> None:
    (tmp / name).write_text(json.dumps(body), encoding="utf-8")


def test_a_part_adds_its_requests_and_datasets(tmp_path: Path) -> None:
    _write(tmp_path, "spatial.json", {
        "datasets": {"cities": [["city", "string"], ["gdp", "numeric"]]},
        "requests": [{"id": "sp001", "lang": "en", "dataset": "cities",
                      "request": "Moran's I of gdp", "expected": ["ols_basic"]}]})
    merged = load_eval(DATA, tmp_path)
    assert len(merged.requests) == len(MAIN["requests"]) + 1
    assert merged.requests[-1].id == "sp001"
    assert merged.datasets["cities"] == [("city", "string"), ("gdp", "numeric")]


def test_a_request_id_used_twice_is_refused(tmp_path: Path) -> None:
    first = MAIN["requests"][0]
    _write(tmp_path, "dup.json", {"requests": [first]})
    with pytest.raises(ValueError, match=first["id"]):
        load_eval(DATA, tmp_path)


def test_a_dataset_redefined_differently_is_refused(tmp_path: Path) -> None:
    name = next(iter(MAIN["datasets"]))
    _write(tmp_path, "clash.json", {"datasets": {name: [["other", "numeric"]]}, "requests": []})
    with pytest.raises(ValueError, match=name):
        load_eval(DATA, tmp_path)
