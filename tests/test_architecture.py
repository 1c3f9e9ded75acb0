"""The hexagon's rules, enforced on the source tree.

- ss_core imports only the standard library (minus I/O-heavy modules), msgspec, jsonschema,
  jinja2 and itself; never ss_adapters or ss_http.
- No runtime package defines a module, class, function or variable named stub/fake/mock/dummy.
The checkers are also run against a deliberately broken tree so that they are known to bite.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_PACKAGES = ("ss_core", "ss_adapters", "ss_http")
CORE_ALLOWED_THIRD_PARTY = {"msgspec", "jsonschema", "jinja2", "ss_core"}
CORE_FORBIDDEN_STDLIB = {
    "subprocess", "sqlite3", "socket", "http", "urllib", "ftplib", "smtplib", "multiprocessing",
    "shutil", "tempfile", "ssl", "asyncio.subprocess", "os",
}
FORBIDDEN_NAME = re.compile(r"(stub|fake|mock|dummy)", re.IGNORECASE)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def core_import_violations(core_dir: Path) -> list[str]:
    violations = []
    for path in sorted(core_dir.rglob("*.py")):
        for module in _imports(path):
            top = module.split(".")[0]
            forbidden = module in CORE_FORBIDDEN_STDLIB or top in CORE_FORBIDDEN_STDLIB
            foreign = top not in sys.stdlib_module_names and top not in CORE_ALLOWED_THIRD_PARTY
            if forbidden or foreign:
                violations.append(f"{path.name}: imports {module}")
    return violations


def _defined_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return names


def double_name_violations(package_dir: Path) -> list[str]:
    violations = []
    for path in sorted(package_dir.rglob("*")):
        if FORBIDDEN_NAME.search(path.name):
            violations.append(f"file {path.relative_to(package_dir.parent)}")
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name in sorted(_defined_names(tree)):
            if FORBIDDEN_NAME.search(name):
                violations.append(f"{path.name}: defines {name}")
    return violations


def test_core_imports_only_pure_libraries() -> None:
    assert core_import_violations(ROOT / "ss_core") == []


def test_no_runtime_package_defines_a_test_double() -> None:
    found = [v for pkg in RUNTIME_PACKAGES for v in double_name_violations(ROOT / pkg)]
    assert found == []


def test_checkers_catch_a_broken_tree(tmp_path: Path) -> None:
    core = tmp_path / "ss_core"
    core.mkdir()
    (core / "bad.py").write_text(
        "import httpx\nimport subprocess\nfrom ss_adapters import x\n"
        "from litestar import Litestar\n"
    )
    adapters = tmp_path / "ss_adapters"
    adapters.mkdir()
    (adapters / "llm.py").write_text("class FakeLLM:\n    pass\n\ndef make_stub():\n    pass\n")
    (adapters / "dummy_store.py").write_text("x = 1\n")
    assert len(core_import_violations(core)) == 4
    found = double_name_violations(adapters)
    assert "llm.py: defines FakeLLM" in found
    assert "llm.py: defines make_stub" in found
    assert any("dummy_store.py" in v for v in found)
