"""The hexagon's rules, enforced on the source tree.

- ss_core imports only the standard library (minus I/O-heavy modules), msgspec, jsonschema,
  jinja2 and itself; never ss_adapters or ss_http.
- No runtime package defines a module, class, function or variable named stub/fake/mock/dummy.
- No ``_private`` name is imported from another module (nor a ``_private`` module, nor reached
  as an attribute of one of our imported modules): a name two modules need is a concept.
- Inside ss_core, Stata's language (``stata/``) sits below the template library, the library
  below rendering, and the template-authoring tools (``authoring/``) above both; only the CLI
  uses them.
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


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_import_violations(package_dir: Path) -> list[str]:
    violations = []
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(package_dir.parent)
        ours: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if any(_is_private(part) for part in alias.name.split(".")):
                        violations.append(f"{where}:{node.lineno} imports {alias.name}")
                    if alias.name.split(".")[0] in RUNTIME_PACKAGES:
                        ours.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if any(_is_private(part) for part in module.split(".")):
                    violations.append(f"{where}:{node.lineno} imports from {module}")
                for alias in node.names:
                    if _is_private(alias.name):
                        violations.append(f"{where}:{node.lineno} imports {module}.{alias.name}")
                    elif node.level or module.split(".")[0] in RUNTIME_PACKAGES:
                        ours.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _is_private(node.attr) and \
                    isinstance(node.value, ast.Name) and node.value.id in ours:
                violations.append(f"{where}:{node.lineno} reads {node.value.id}.{node.attr}")
    return violations


def test_no_private_name_is_imported_across_modules() -> None:
    found = [v for pkg in RUNTIME_PACKAGES for v in private_import_violations(ROOT / pkg)]
    assert found == [], "give the shared name a public home: " + ", ".join(found)


# part of ss_core -> the parts it must not import (they sit above it).
CORE_LAYERS: dict[str, tuple[str, ...]] = {
    "stata": ("domain", "library", "rendering", "binding", "authoring", "usecases", "ports"),
    "library": ("rendering", "binding", "freezing", "authoring", "usecases"),
    "rendering": ("binding", "freezing", "authoring", "usecases"),
    "binding": ("rendering", "authoring", "usecases"),
    "domain": ("library", "rendering", "binding", "authoring", "usecases"),
}
AUTHORING_USERS = ("ss_core/authoring/", "ss_http/cli/")


def _part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "ss_core" or len(parts) < 2:
        return None
    return parts[1].removesuffix(".py")


def layer_violations(root: Path) -> list[str]:
    violations = []
    for pkg in RUNTIME_PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            own = rel.split("/")[1].removesuffix(".py") if pkg == "ss_core" else None
            for module in _imports(path):
                target = _part(module)
                authoring = target == "authoring" and not rel.startswith(AUTHORING_USERS)
                upward = own in CORE_LAYERS and target in CORE_LAYERS[own]
                if authoring or upward:
                    violations.append(f"{rel}: imports {module}")
    return violations


def test_core_parts_import_only_downward() -> None:
    assert layer_violations(ROOT) == []


def test_private_and_layer_checkers_bite(tmp_path: Path) -> None:
    core = tmp_path / "ss_core"
    (core / "library").mkdir(parents=True)
    (core / "stata").mkdir()
    (core / "library" / "scan.py").write_text(
        "from ss_core.rendering.safety import _lex\n"
        "from ss_core.authoring.checks import library_problems\n"
        "from ss_core.rendering import safety\n"
        "x = safety._segments\n"
    )
    (core / "stata" / "rc.py").write_text("from ss_core.domain.job import Job\n")
    for pkg in ("ss_adapters", "ss_http"):
        (tmp_path / pkg).mkdir()
    (tmp_path / "ss_adapters" / "sheet.py").write_text(
        "from openpyxl.worksheet._write_only import WriteOnlyWorksheet\n")
    private = private_import_violations(core) + private_import_violations(tmp_path / "ss_adapters")
    assert private == [
        "ss_core/library/scan.py:1 imports ss_core.rendering.safety._lex",
        "ss_core/library/scan.py:4 reads safety._segments",
        "ss_adapters/sheet.py:1 imports from openpyxl.worksheet._write_only",
    ]
    assert sorted(layer_violations(tmp_path)) == [
        "ss_core/library/scan.py: imports ss_core.authoring.checks",
        "ss_core/library/scan.py: imports ss_core.rendering",
        "ss_core/library/scan.py: imports ss_core.rendering.safety",
        "ss_core/stata/rc.py: imports ss_core.domain.job",
    ]
