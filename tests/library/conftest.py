"""Shared helpers for the library tooling tests: paths and a writable copy of the library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIBRARY = REPO / "assets" / "stata_do_library"
DOCS = REPO / "docs" / "templates"
EXEMPLAR = "ols_robust"


def template_ids() -> list[str]:
    return sorted(p.name for p in (LIBRARY / "templates").iterdir() if p.is_dir())


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    """A library with the schemas, fixtures and only the exemplar template, in tmp_path."""
    root = tmp_path / "library"
    shutil.copytree(LIBRARY / "schemas", root / "schemas")
    shutil.copytree(LIBRARY / "fixtures", root / "fixtures")
    shutil.copytree(LIBRARY / "templates" / EXEMPLAR, root / "templates" / EXEMPLAR)
    return root
