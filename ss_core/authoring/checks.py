"""Static library checks: the house contract, checked without Stata.

``template_problems`` judges one loaded template (its meta, its body text and the raw bytes
of its do-file) and returns every problem found, each naming the file and saying what to fix.
``library_problems`` runs the loader and these checks over a library directory. They are
what CI runs for every template and what ``ssctl templates check`` prints.
"""

from __future__ import annotations

import re
from pathlib import Path

from ss_core.authoring.body_scan import BodyScan, Command, scan_body
from ss_core.authoring.data_text import data_text_problems
from ss_core.authoring.sample_binding import sample_bindings
from ss_core.errors import SSError
from ss_core.library import house_options
from ss_core.library.commands import COMMUNITY, OFFICIAL
from ss_core.library.house_options import injected_names
from ss_core.library.loader import Problem, load_templates
from ss_core.library.meta import ParamType, Template
from ss_core.rendering.house import DONE_MARKER, PUBLICATION_OUTPUTS
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import DENIED_COMMANDS

HOUSE_PROGRAMS = frozenset({"ss_res", "ss_coef", "ss_pubtable", "ss_estadd"})
HOUSE_USES = house_options.USES
HOUSE_MACROS = house_options.MACROS
_WRITERS = frozenset({
    "export", "save", "saveold", "putexcel", "file", "graph", "gr", "esttab", "estout",
    "outreg2", "asdoc", "etable", "collect", "putdocx", "putpdf", "outsheet", "logout",
    "tabout", "sum2docx", "reg2docx", "t2docx", "corr2docx", "postfile",
})
_EMPTY_BLOCK = re.compile(r"\{\s*\}")
_VERSION = re.compile(r"^\s*(\d+(?:\.\d+)?)")
_LOG_WORDS = frozenset({"log", "cmdlog"})
_USE_WORDS = frozenset({"use", "sysuse", "webuse"})
_CLEAR_ALL = re.compile(r"^\s*(all|\*|programs?|results)\b")


def _writes(command: Command, file: str) -> bool:
    word = command.word.lower()
    if file not in command.code and not any(file in s for s in command.strings):
        return False
    if "saving" in command.tail.lower():
        return True
    if word not in _WRITERS:
        return False
    if word == "file":
        return command.tail.split()[:1] == ["open"]
    if word in ("graph", "gr"):
        return command.tail.split()[:1] in (["export"], ["save"])
    return True


def _lint(scan: BodyScan, min_version: float) -> list[str]:
    found: list[str] = []
    for cmd in scan.commands:
        word, where = cmd.word.lower(), f"line {cmd.line}"
        if word in _LOG_WORDS:
            found.append(f"{where}: `{cmd.word}` (the house prologue owns the log)")
        elif word in _USE_WORDS:
            found.append(f"{where}: `{cmd.word}` (the data is loaded already; use preserve/"
                         "restore or tempfile for scratch data)")
        elif word == "clear" and _CLEAR_ALL.match(cmd.tail):
            found.append(f"{where}: `clear {cmd.tail.split()[0]}` drops the house programs")
        elif word == "exit":
            found.append(f"{where}: `exit` (let the body end; use `error N` to fail)")
        elif word == "set" and cmd.tail.split()[:1] == ["more"]:
            found.append(f"{where}: `set more` (the prologue sets it)")
        elif word.startswith("#d"):
            found.append(f"{where}: `#delimit` is not allowed")
        elif word in DENIED_COMMANDS:
            found.append(f"{where}: `{cmd.word}`: {DENIED_COMMANDS[word]}")
        elif word.startswith("vers"):
            match = _VERSION.match(cmd.tail)
            if match and float(match.group(1)) > min_version:
                found.append(f"{where}: `version {match.group(1)}` is above the meta's "
                             f"stata_min_version {min_version:g}; raise the meta instead")
        if _EMPTY_BLOCK.search(cmd.code):
            found.append(f"{where}: empty one-line brace block `{{ }}`")
    if not any(c.word.lower() in ("di", "dis", "disp", "displ", "displa", "display")
               and any(s.startswith("SS_STEP ") for s in c.strings) for c in scan.commands):
        found.append('no step marker: add `display as text "SS_STEP 1: <what>"` before each step')
    if not any(c.word.lower() in ("ss_res", "ss_coef") for c in scan.commands):
        found.append("no results row: call `ss_coef` or `ss_res` at least once")
    if any(DONE_MARKER in s for c in scan.commands for s in c.strings):
        found.append(f"the body displays {DONE_MARKER}; only the epilogue may")
    return found


def _parameter_problems(template: Template, scan: BodyScan) -> list[str]:
    meta = template.meta
    declared = {p.name: p for p in meta.parameters}
    found: list[str] = []
    flagged = {name for _kind, name in scan.flags}
    for kind, name in scan.flags:
        spec = declared.get(name)
        if spec is None:
            found.append(f"`{kind}.{name}` names no declared parameter")
        elif kind == "opt" and spec.type not in (ParamType.CHOICE, ParamType.BOOL):
            found.append(f"`opt.{name}`: opt. is only for choice/bool parameters (use has.)")
    house = injected_names(meta.house_options)
    for name in sorted(declared):
        if name not in scan.references and name not in flagged and name not in house:
            found.append(f"parameter {name!r} is declared but never used in the body")
        if name in scan.defined:
            found.append(f"parameter {name!r}: the body redefines its local; use another name")
    for spec in meta.parameters:
        if spec.nested_in is not None and spec.nested_in not in declared:
            found.append(f"parameter {spec.name!r}: nested_in names no declared parameter")
        flag = declared.get(spec.nonest_flag) if spec.nonest_flag else None
        if spec.nonest_flag is not None and (flag is None or flag.type is not ParamType.BOOL):
            found.append(f"parameter {spec.name!r}: nonest_flag must name a bool parameter")
        if spec.nonest_flag is not None and spec.nested_in is None:
            found.append(f"parameter {spec.name!r}: nonest_flag without nested_in")
    for option in meta.house_options:
        if not any(m in scan.references for m in HOUSE_USES[option]):
            wanted = " or ".join(f"`{m}'" for m in HOUSE_USES[option])
            found.append(f"house option {option!r} is declared but the body never uses {wanted}")
    known = set(declared) | scan.defined | scan.program_locals
    if meta.house_options:
        known |= HOUSE_MACROS
    for name in sorted(scan.references - known):
        found.append(f"macro `{name}' is neither a declared parameter nor defined in the body")
    return found


def _command_problems(template: Template, scan: BodyScan) -> list[str]:
    deps = template.meta.dependencies
    provided = {c.lower(): p.name for p in deps.packages for c in p.provides}
    found: list[str] = []
    used: set[str] = set()
    for cmd in scan.commands:
        word = cmd.word.lower()
        if word in HOUSE_PROGRAMS or word in scan.programs or word.startswith(("`", "$", "#")):
            continue
        used.add(word)
        if word in provided:
            continue
        if word in COMMUNITY:
            found.append(f"line {cmd.line}: `{cmd.word}` is a community command; declare the "
                         "package that provides it in dependencies.packages")
        elif word not in OFFICIAL:
            found.append(f"line {cmd.line}: unknown command `{cmd.word}` (an official command "
                         "missing from ss_core/library/commands.py, or declare its package)")
    required_by_others = {r for p in deps.packages for r in p.requires}
    for package in deps.packages:
        if package.name not in required_by_others and not used & {
                c.lower() for c in package.provides}:
            found.append(f"package {package.name!r} is declared but none of its commands "
                         f"{list(package.provides)} is used (a helper package belongs in the "
                         "`requires` of the package that needs it)")
    for name in deps.builtin_commands:
        if name.lower() in COMMUNITY:
            found.append(f"builtin_commands lists community command {name!r}; declare a package")
    return found


def _output_problems(template: Template, scan: BodyScan) -> list[str]:
    pubtable = any(cmd.word.lower() == "ss_pubtable" for cmd in scan.commands)
    found = [
        f"output {out.file!r} is not written by any export/save/putexcel/file open/graph "
        "export command of the body"
        for out in template.meta.outputs
        if not any(_writes(cmd, out.file) for cmd in scan.commands)
        and not (pubtable and out.file in PUBLICATION_OUTPUTS)
    ]
    declared = {out.file for out in template.meta.outputs}
    if pubtable and not set(PUBLICATION_OUTPUTS) <= declared:
        missing = ", ".join(sorted(set(PUBLICATION_OUTPUTS) - declared))
        found.append(f"the body calls ss_pubtable but does not declare {missing}")
    return found


def _byte_problems(raw: bytes) -> list[str]:
    found = []
    if raw.startswith(b"\xef\xbb\xbf"):
        found.append("byte order mark at the start of the file; save as UTF-8 without BOM")
    if b"\r" in raw:
        found.append("CR characters; use LF line endings")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        found.append(f"not UTF-8: {exc}")
    return found


def _render_problems(template: Template) -> list[str]:
    found = []
    for label, schema, values in sample_bindings(template.meta):
        try:
            render(template, values, schema, plan_id="library-check")
        except SSError as exc:
            found.append(f"render with {label} parameters failed: {exc} {exc.context}")
    return found


def template_problems(template: Template, raw: bytes | None = None) -> list[Problem]:
    """Every house-contract problem of one loaded template (``raw``: do-file bytes)."""
    rel = f"{template.path}/{template.meta.do_file}"
    found = _byte_problems(raw) if raw is not None else []
    if "{{" in template.source:
        found.append("jinja expression `{{ }}`: values come from the preamble locals only")
    scan = scan_body(template.source)
    found += _parameter_problems(template, scan)
    found += _command_problems(template, scan)
    found += _output_problems(template, scan)
    found += _lint(scan, template.meta.dependencies.stata_min_version)
    found += data_text_problems(template, scan.commands)
    if "{{" not in template.source:
        found += _render_problems(template)
    return [Problem(rel, text) for text in found]


def library_problems(root: Path) -> dict[str, list[Problem]]:
    """Problems per template folder name (loader problems included), for every template."""
    templates, load_found = load_templates(root)
    by_id: dict[str, list[Problem]] = {
        p.name: [] for p in sorted((root / "templates").iterdir()) if p.is_dir()
    }
    for problem in load_found:
        parts = problem.file.split("/")
        key = parts[1] if len(parts) > 1 and parts[1] in by_id else problem.file
        by_id.setdefault(key, []).append(problem)
    for tpl in templates:
        raw = (root / tpl.path / tpl.meta.do_file).read_bytes()
        by_id.setdefault(tpl.id, []).extend(template_problems(tpl, raw))
    return by_id
