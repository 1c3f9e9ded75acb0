"""Generated library files (index.json, docs/templates) are never stale, and --check bites."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ss_http.cli import main
from tests.library.conftest import DOCS, EXEMPLAR, LIBRARY


def test_committed_generated_files_are_up_to_date(capsys) -> None:
    code = main(["templates", "--library", str(LIBRARY), "index", "--check",
                 "--docs", str(DOCS)])
    out = capsys.readouterr().out
    assert code == 0, f"stale generated files (run `ssctl templates index`):\n{out}"


def _generate(library: Path, docs: Path, *extra: str) -> int:
    return main(["templates", "--library", str(library), "index", "--docs", str(docs), *extra])


def test_index_writes_then_check_passes(library_copy: Path, tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs"
    (library_copy / "index.json").write_text("{}", "utf-8")
    assert _generate(library_copy, docs, "--check") == 1
    assert _generate(library_copy, docs) == 0
    assert _generate(library_copy, docs, "--check") == 0
    index = json.loads((library_copy / "index.json").read_text("utf-8"))
    assert [t["id"] for t in index["templates"]] == [EXEMPLAR]
    catalog = (docs / "README.md").read_text("utf-8")
    assert "线性回归" in catalog and "| 1 |" in catalog
    page = (docs / f"{EXEMPLAR}.md").read_text("utf-8")
    for fragment in ("`depvar`", "outcome", "`95`", "regression_table.csv", "Stata 14",
                     "多元线性回归"):
        assert fragment in page


def test_check_names_every_stale_file(library_copy: Path, tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs"
    assert _generate(library_copy, docs) == 0
    meta_path = library_copy / "templates" / EXEMPLAR / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["title"]["en"] = "A new title"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    (docs / "orphan.md").write_text("left over", "utf-8")
    capsys.readouterr()
    assert _generate(library_copy, docs, "--check") == 1
    out = capsys.readouterr().out
    for name in ("index.json", "README.md", f"{EXEMPLAR}.md", "orphan.md"):
        assert f"{name}" in out
    assert _generate(library_copy, docs) == 0
    assert not (docs / "orphan.md").exists()
    assert "A new title" in (docs / f"{EXEMPLAR}.md").read_text("utf-8")


def test_a_second_template_joins_the_catalog(library_copy: Path, tmp_path: Path) -> None:
    folder = library_copy / "templates" / "ols_robust_copy"
    shutil.copytree(library_copy / "templates" / EXEMPLAR, folder)
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    meta.update(id="ols_robust_copy", family="robustness")
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    docs = tmp_path / "docs"
    assert _generate(library_copy, docs) == 0
    catalog = (docs / "README.md").read_text("utf-8")
    assert "2 template(s) in 2 families" in catalog and "稳健性检验" in catalog
    assert (docs / "ols_robust_copy.md").is_file()
