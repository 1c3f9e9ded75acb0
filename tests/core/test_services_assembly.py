"""``Services`` is assembled in one place (``assemble``), whoever builds it."""

import ast
from pathlib import Path

from tests.core.journey_kit import make_kit

ROOT = Path(__file__).resolve().parents[2]
TREES = ("ss_core", "ss_adapters", "ss_http", "examples", "tests", "benchmarks")
HOME = ROOT / "ss_core" / "usecases" / "services.py"


def services_built_outside_assemble(root: Path) -> list[str]:
    """Every ``Services(...)`` call outside ``ss_core/usecases/services.py``."""
    found = []
    for tree in TREES:
        for path in sorted((root / tree).rglob("*.py")):
            if path == HOME or ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "Services"):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_services_is_only_built_by_assemble() -> None:
    assert services_built_outside_assemble(ROOT) == []


def test_the_check_finds_a_services_built_by_hand(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "by_hand.py").write_text("s = Services(jobs=None)\n")
    assert services_built_outside_assemble(tmp_path) == ["examples/by_hand.py:1"]


def test_assemble_derives_the_retriever_from_the_library() -> None:
    services = make_kit().services
    scored = {s.template_id for s in services.retriever.score("regression of wage on age")}
    assert scored == {t.id for t in services.library}
