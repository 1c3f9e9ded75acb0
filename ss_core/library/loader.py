"""Load and validate the template library from a directory the caller names.

Every problem is collected (schema violations, semantic errors, stale index entries), each
with the file it was found in, and reported at once as ``TEMPLATE_LIBRARY_INVALID``.

The index (``ssctl templates index``) is written only for a library that loaded without a
problem, and it records the hash of every meta and of the meta schema it was checked against.
A meta whose bytes and schema are those the index records was therefore checked against that
schema already: loading with the index skips its JSON Schema check (169 metas: 0.44 s of CPU
at every start, and the validator library stays unloaded). Any other meta is checked; the index
is then stale, which is itself a problem. Typing (``msgspec``) and the semantic rules run on
every meta at every load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ss_core.domain.roles import ROLES, RoleKind
from ss_core.errors import TemplateError
from ss_core.library.catalog import Library
from ss_core.library.house_options import injected
from ss_core.library.meta import ParamSpec, ParamType, Template, TemplateMeta

if TYPE_CHECKING:
    import jsonschema

SCHEMA_DIR = "schemas"
META_SCHEMA = "template_meta.schema.json"
INDEX_SCHEMA = "index.schema.json"
INDEX_FILE = "index.json"
TEMPLATES_DIR = "templates"
LIBRARY_VERSION = "1"


class Problem(msgspec.Struct, frozen=True):
    file: str
    problem: str


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def template_content_sha256(meta_text: str, do_text: str) -> str:
    """Content hash of a template: meta and do-file together (what a plan pins)."""
    return hashlib.sha256(
        sha256_text(meta_text).encode("ascii") + b":" + sha256_text(do_text).encode("ascii")
    ).hexdigest()


def _read_json(path: Path, rel: str, problems: list[Problem]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(rel, f"cannot read JSON: {exc}"))
        return None


def _schema_problems(validator: jsonschema.Validator, doc: Any, rel: str) -> list[Problem]:
    found = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        found.append(Problem(rel, f"{where}: {err.message}"))
    return found


def _role_fits(spec: ParamSpec) -> bool:
    if spec.role is None:
        return True
    kind = ROLES[spec.role].kind
    if spec.type is ParamType.VAR:
        return kind is RoleKind.VARIABLE
    if spec.type is ParamType.VARLIST:
        return kind in (RoleKind.VARIABLES, RoleKind.VARIABLE)
    if spec.type in (ParamType.NUMBER, ParamType.INTEGER):
        return kind is RoleKind.NUMBER
    return False


def _default_problem(spec: ParamSpec) -> str | None:
    value = spec.default
    if value is None:
        return None
    if spec.type is ParamType.CHOICE and value not in spec.choices:
        return f"default {value!r} is not one of {list(spec.choices)}"
    if spec.type in (ParamType.NUMBER, ParamType.INTEGER):
        if spec.minimum is not None and value < spec.minimum:
            return f"default {value} is below minimum {spec.minimum}"
        if spec.maximum is not None and value > spec.maximum:
            return f"default {value} is above maximum {spec.maximum}"
    if spec.type is ParamType.TEXT and spec.max_length and len(value) > spec.max_length:
        return "default text is longer than max_length"
    return None


def semantic_problems(meta: TemplateMeta, rel: str) -> list[Problem]:
    """Rules the JSON Schema cannot say: unique names, role kinds, defaults, references."""
    found: list[Problem] = []
    names = [p.name for p in meta.parameters]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        found.append(Problem(rel, f"parameter {dup!r} is declared twice"))
    for spec in meta.parameters:
        if not _role_fits(spec):
            found.append(Problem(rel, f"parameter {spec.name!r}: role {spec.role!r} does not "
                                      f"fit type {spec.type.value!r}"))
        problem = _default_problem(spec)
        if problem:
            found.append(Problem(rel, f"parameter {spec.name!r}: {problem}"))
        for other in spec.distinct_from:
            if other not in names:
                found.append(Problem(rel, f"parameter {spec.name!r}: distinct_from names "
                                          f"unknown parameter {other!r}"))
        if spec.is_variable and spec.default is not None:
            found.append(Problem(rel, f"parameter {spec.name!r}: variable parameters take no "
                                      "default (they bind from the data)"))
        if (spec.type is ParamType.VARLIST and spec.min_count is not None
                and spec.max_count is not None and spec.min_count > spec.max_count):
            found.append(Problem(rel, f"parameter {spec.name!r}: min_count > max_count"))
    if meta.weight_kinds and "weights" not in meta.house_options:
        found.append(Problem(rel, "weight_kinds without the house option 'weights'"))
    files = [o.file for o in meta.outputs]
    for dup in sorted({f for f in files if files.count(f) > 1}):
        found.append(Problem(rel, f"output {dup!r} is declared twice"))
    return found


def _validator(root: Path, name: str) -> jsonschema.Validator:
    import jsonschema

    schema = json.loads((root / SCHEMA_DIR / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.Validator = cls(schema)
    return validator


def with_house_options(meta: TemplateMeta) -> tuple[TemplateMeta, list[str]]:
    """The meta with the typed parameters of its declared house option groups appended."""
    if not meta.house_options:
        return meta, []
    own = {p.name for p in meta.parameters}
    extra = injected(meta.house_options, meta.weight_kinds)
    clashes = [f"parameter {p.name!r} is added by a house option; do not declare it"
               for p in extra if p.name in own]
    added = tuple(p for p in extra if p.name not in own)
    return msgspec.structs.replace(meta, parameters=(*meta.parameters, *added)), clashes


class _MetaChecker:
    """The meta schema's validator, built when a meta first needs it."""

    def __init__(self, root: Path, checked: Mapping[str, str]) -> None:
        self.root = root
        self.checked = checked  # folder name -> sha256 of a meta already checked
        self._validator: jsonschema.Validator | None = None

    def problems(self, folder: str, meta_text: str, doc: Any, rel: str) -> list[Problem]:
        if self.checked.get(folder) == sha256_text(meta_text):
            return []
        if self._validator is None:
            self._validator = _validator(self.root, META_SCHEMA)
        return _schema_problems(self._validator, doc, rel)


def _load_template(
    root: Path, folder: Path, checker: _MetaChecker, problems: list[Problem]
) -> Template | None:
    rel = f"{TEMPLATES_DIR}/{folder.name}/meta.json"
    try:
        meta_text = (folder / "meta.json").read_text(encoding="utf-8")
        doc = json.loads(meta_text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(rel, f"cannot read JSON: {exc}"))
        return None
    schema_found = checker.problems(folder.name, meta_text, doc, rel)
    if schema_found:
        problems.extend(schema_found)
        return None
    meta = msgspec.convert(doc, TemplateMeta)
    meta, clashes = with_house_options(meta)
    problems.extend(Problem(rel, clash) for clash in clashes)
    problems.extend(semantic_problems(meta, rel))
    if meta.id != folder.name:
        problems.append(Problem(rel, f"id {meta.id!r} differs from its folder {folder.name!r}"))
    do_path = folder / meta.do_file
    try:
        source = do_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(f"{TEMPLATES_DIR}/{folder.name}/{meta.do_file}", str(exc)))
        return None
    return Template(
        meta=meta,
        source=source,
        content_sha256=template_content_sha256(meta_text, source),
        path=f"{TEMPLATES_DIR}/{folder.name}",
    )


def build_index(root: Path, templates: Iterable[Template]) -> dict[str, Any]:
    """The index document for ``templates`` (what ``ssctl templates index`` writes)."""
    entries = []
    for tpl in sorted(templates, key=lambda t: t.id):
        folder = root / tpl.path
        entries.append({
            "id": tpl.id,
            "version": tpl.meta.version,
            "family": tpl.meta.family,
            "title": {"en": tpl.meta.title.en, "zh": tpl.meta.title.zh},
            "path": tpl.path,
            "meta_sha256": sha256_text((folder / "meta.json").read_text(encoding="utf-8")),
            "do_sha256": sha256_text(tpl.source),
        })
    return {"library_version": LIBRARY_VERSION, "generated_from": "templates/*/meta.json",
            "meta_schema_sha256": meta_schema_sha256(root), "templates": entries}


def meta_schema_sha256(root: Path) -> str:
    return sha256_text((root / SCHEMA_DIR / META_SCHEMA).read_text(encoding="utf-8"))


def _checked_metas(root: Path, index_doc: Any) -> dict[str, str]:
    """The metas the index says were checked against today's meta schema: folder -> sha256
    (none when the index is not one the library wrote, or the schema changed since)."""
    try:
        if index_doc.get("meta_schema_sha256") != meta_schema_sha256(root):
            return {}
        return {str(e["path"]).rsplit("/", 1)[-1]: str(e["meta_sha256"])
                for e in index_doc["templates"]}
    except (AttributeError, KeyError, TypeError, OSError, UnicodeDecodeError):
        return {}


def index_problems(expected: Mapping[str, Any], actual: Any) -> list[Problem]:
    if actual != expected:
        return [Problem(INDEX_FILE, "index is stale: run `ssctl templates index` and commit it")]
    return []


def load_templates(
    root: Path, checked: Mapping[str, str] | None = None
) -> tuple[list[Template], list[Problem]]:
    """Every template under ``root/templates`` plus the problems found (no index check).
    ``checked`` (folder -> meta sha256) names metas already checked against the schema."""
    problems: list[Problem] = []
    checker = _MetaChecker(root, checked or {})
    templates: list[Template] = []
    folders = sorted(p for p in (root / TEMPLATES_DIR).iterdir() if p.is_dir())
    for folder in folders:
        tpl = _load_template(root, folder, checker, problems)
        if tpl is not None:
            templates.append(tpl)
    return templates, problems


def load_library(root: Path, *, check_index: bool = True) -> Library:
    """Load and validate the library at ``root``; raise with every problem found."""
    if not check_index:
        templates, problems = load_templates(root)
    else:
        index_problems_found: list[Problem] = []
        index_doc = _read_json(root / INDEX_FILE, INDEX_FILE, index_problems_found)
        templates, problems = load_templates(root, _checked_metas(root, index_doc))
        problems.extend(index_problems_found)
        if index_doc is not None:
            stale = index_problems(build_index(root, templates), index_doc)
            if stale:  # a fresh index is exactly what build_index writes
                problems.extend(_schema_problems(_validator(root, INDEX_SCHEMA), index_doc,
                                                 INDEX_FILE))
            problems.extend(stale)
    if problems:
        raise TemplateError(
            f"template library at {root.name!r} has {len(problems)} problem(s)",
            code="TEMPLATE_LIBRARY_INVALID",
            problems=[{"file": p.file, "problem": p.problem} for p in problems],
        )
    return Library(tuple(templates))
