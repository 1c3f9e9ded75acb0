"""The error classes are the taxonomy: behaviour is chosen by ``except SomeError``, never by
comparing code strings, and a code that has a class is raised only as that class (otherwise
an ``except`` for it would silently miss)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import ss_adapters
import ss_core
import ss_http
from ss_core.errors import SSError

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("ss_core", "ss_adapters", "ss_http")
# The audit is a client of a remote SS: it checks the wire answers' codes, which is its job.
CLIENT_SIDE = ("ss_http/audit/",)


def runtime_files() -> list[Path]:
    return [p for pkg in RUNTIME for p in sorted((ROOT / pkg).rglob("*.py"))
            if not any(str(p.relative_to(ROOT)).startswith(c) for c in CLIENT_SIDE)]


def _is_code_read(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "error_code":
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr == "get" and node.args and \
            isinstance(node.args[0], ast.Constant) and node.args[0].value == "error_code":
        return True
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
        node.slice.value == "error_code"


def _is_code_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.isupper() and "_" in node.value
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_code_literal(e) for e in node.elts)
    return False


def code_comparisons(source: str) -> list[int]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_code_read(s) for s in sides) and any(_is_code_literal(s) for s in sides):
                found.append(node.lineno)
    return found


def test_no_runtime_code_compares_an_error_code_string():
    offenders = [f"{p.relative_to(ROOT)}:{line}" for p in runtime_files()
                 for line in code_comparisons(p.read_text("utf-8"))]
    assert offenders == [], "catch the error's class instead: " + ", ".join(offenders)


def _classes_by_code() -> dict[str, set[str]]:
    for pkg in (ss_core, ss_adapters, ss_http):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if ".cli" in info.name or "migrations" in info.name:
                continue
            importlib.import_module(info.name)
    by_code: dict[str, set[str]] = {}
    pending = list(SSError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(RUNTIME):
            by_code.setdefault(cls.code, set()).add(cls.__name__)
    return by_code


def code_overrides(source: str, by_code: dict[str, set[str]]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(
            node.func, "attr", "")
        for keyword in node.keywords:
            if keyword.arg == "code" and isinstance(keyword.value, ast.Constant) and \
                    keyword.value.value in by_code and name not in by_code[keyword.value.value]:
                found.append((node.lineno, keyword.value.value))
    return found


def test_a_code_with_its_own_class_is_raised_as_that_class():
    by_code = _classes_by_code()
    offenders = [f"{p.relative_to(ROOT)}:{line} {code} (raise {sorted(by_code[code])[0]})"
                 for p in runtime_files() for line, code in
                 code_overrides(p.read_text("utf-8"), by_code)]
    assert offenders == [], ", ".join(offenders)


def test_the_checks_fire_on_the_shapes_they_forbid():
    bad = ("if exc.error_code == 'RUN_LEASE_LOST':\n    pass\n"
           "ok = body.get('error_code') in ('A_B', 'C_D')\n"
           "raise StateConflict('x', code='RUN_LEASE_LOST')\n")
    assert code_comparisons(bad) == [1, 3]
    assert code_overrides(bad, {"RUN_LEASE_LOST": {"LeaseLost"}}) == [(4, "RUN_LEASE_LOST")]
    assert code_overrides("raise LeaseLost('x', code='RUN_LEASE_LOST')\n",
                          {"RUN_LEASE_LOST": {"LeaseLost"}}) == []


FIX_ALIASES = {"next_actions", "how_to_fix", "action"}


def fix_aliases(source: str) -> list[int]:
    """Lines passing a second name for "how to fix" (the one name is ``fix=``)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and any(k.arg in FIX_ALIASES for k in node.keywords)]


def test_how_to_fix_has_one_name_and_the_core_writes_no_route():
    inner = [p for p in runtime_files() if not str(p.relative_to(ROOT)).startswith("ss_http")]
    aliases = [f"{p.relative_to(ROOT)}:{line}" for p in inner
               for line in fix_aliases(p.read_text("utf-8"))]
    assert aliases == [], "say it with fix=: " + ", ".join(aliases)
    routes = [str(p.relative_to(ROOT)) for p in (ROOT / "ss_core").rglob("*.py")
              if '"/v1/' in p.read_text("utf-8") or "'/v1/" in p.read_text("utf-8")]
    assert routes == [], "name an Action; ss_http.error_body routes it: " + ", ".join(routes)


def test_the_fix_alias_check_fires():
    assert fix_aliases("raise InputError('x', next_actions=['a'])\nSSError('y', fix='z')\n") == [1]
