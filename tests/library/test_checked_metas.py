"""Loading with the index skips the JSON Schema check only for metas the index proves were
checked: byte-identical to the meta it hashed, against the same meta schema. Anything else is
checked as before, and the index is then reported stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ss_core.authoring.docs import index_text
from ss_core.errors import TemplateError
from ss_core.library import loader
from ss_core.library.loader import INDEX_FILE, load_library, load_templates
from tests.library.conftest import EXEMPLAR


def _indexed(root: Path) -> Path:
    templates, problems = load_templates(root)
    assert problems == []
    (root / INDEX_FILE).write_text(index_text(root, templates), encoding="utf-8")
    return root


def _no_validator(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []

    def refuse(root: Path, name: str) -> object:
        built.append(name)
        raise AssertionError(f"the {name} validator was built")

    monkeypatch.setattr(loader, "_validator", refuse)
    return built


def test_a_fresh_index_skips_the_schema_check(library_copy: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = _indexed(library_copy)
    built = _no_validator(monkeypatch)
    library = load_library(root)
    assert [t.id for t in library] == [EXEMPLAR] and built == []


def test_the_packaged_library_loads_without_the_validator_library() -> None:
    import subprocess

    code = ("import sys; from ss_core.library.loader import load_library; "
            "from ss_core.library.packaged import default_library_root; "
            "n = len(list(load_library(default_library_root()))); "
            "print(n, 'jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[2])
    count, loaded = done.stdout.split()
    assert int(count) > 100 and loaded == "False"


def _break_meta(root: Path) -> None:
    """A meta the schema refuses (an unknown top-level field)."""
    path = root / "templates" / EXEMPLAR / "meta.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["not_in_the_schema"] = 1
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def test_a_changed_meta_is_checked_and_the_index_is_stale(library_copy: Path) -> None:
    root = _indexed(library_copy)
    _break_meta(root)
    with pytest.raises(TemplateError) as raised:
        load_library(root)
    problems = [p["problem"] for p in raised.value.context["problems"]]
    assert any("not_in_the_schema" in p for p in problems), problems
    assert any("index is stale" in p for p in problems), problems


def test_a_changed_schema_checks_every_meta_again(library_copy: Path) -> None:
    """The index hashes match the metas, but the schema they were checked against changed:
    the new schema's verdict is what counts."""
    root = _indexed(library_copy)
    schema_path = root / "schemas" / loader.META_SCHEMA
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["required"] = [*schema.get("required", []), "a_field_no_meta_has"]
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_library(root)
    problems = [p["problem"] for p in raised.value.context["problems"]]
    assert any("a_field_no_meta_has" in p for p in problems), problems


def test_an_index_from_before_the_schema_hash_checks_every_meta(
        library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _indexed(library_copy)
    index = json.loads((root / INDEX_FILE).read_text(encoding="utf-8"))
    del index["meta_schema_sha256"]
    (root / INDEX_FILE).write_text(json.dumps(index), encoding="utf-8")
    built = _no_validator(monkeypatch)
    with pytest.raises(AssertionError):
        load_library(root)
    assert built == [loader.META_SCHEMA]
