"""docs/api.md: the hand-written meaning of the /v1 contract around a reference part rendered
from the OpenAPI document the service serves.

The reference part (between the two markers) lists every route with its parameters, request
body fields (type, required, whether ``null`` is accepted) and answer fields, then the error
code table (``ss_http.public_codes``). It is rendered from ``ss_http.app.openapi_document()``,
so it improves by itself as routes gain typed answers; ``ssctl docs generate`` rewrites it and
a test fails when docs/api.md and the served schema disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ss_core.errors import ERROR_CODES
from ss_http.public_codes import PUBLIC_CODES, public_fields

BEGIN = "<!-- BEGIN GENERATED: served OpenAPI (ssctl docs generate) -->"
END = "<!-- END GENERATED -->"
METHODS = ("get", "post", "put", "patch", "delete")
MAX_DEPTH = 4


def _resolve(doc: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        resolved: Mapping[str, Any] = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        return resolved
    return schema


def _variants(doc: Mapping[str, Any], schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    schema = _resolve(doc, schema)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            out: list[Mapping[str, Any]] = []
            for item in schema[key]:
                out += _variants(doc, item)
            return out
    kind = schema.get("type")
    if isinstance(kind, list):
        return [{**schema, "type": k} for k in kind]
    return [schema]


def accepts_null(doc: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether ``null`` is a valid value (an untyped schema accepts anything)."""
    return any(v.get("type") == "null" or not (v.keys() & {"type", "properties", "enum"})
               for v in _variants(doc, schema))


def type_name(doc: Mapping[str, Any], schema: Mapping[str, Any]) -> str:
    """A short readable type: ``string``, ``integer[1..200]``, ``array of string``..."""
    names = []
    for variant in _variants(doc, schema):
        kind = variant.get("type")
        if kind == "null":
            continue
        if "enum" in variant:
            names.append(" | ".join(f"`{e}`" for e in variant["enum"] if e is not None))
        elif kind == "array":
            items = type_name(doc, variant.get("items", {}))
            names.append("array of " + (f"({items})" if " | " in items else items))
        elif kind == "object" or "properties" in variant:
            title = variant.get("title")
            extra = variant.get("additionalProperties")
            if title:
                names.append(f"object ({title})")
            elif isinstance(extra, dict) and extra:
                names.append("object of " + type_name(doc, extra))
            else:
                names.append("object")
        elif kind in ("integer", "number") and ("minimum" in variant or "maximum" in variant):
            low, high = variant.get("minimum"), variant.get("maximum")
            bounds = f"{'' if low is None else int(low)}..{'' if high is None else int(high)}"
            names.append(f"{kind}[{bounds}]")
        else:
            names.append(str(kind or "any"))
    return " | ".join(dict.fromkeys(names)) or "null"


def _fields(doc: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = "",
            depth: int = 0) -> Iterator[tuple[str, str, bool, bool]]:
    """(dotted name, type, required, accepts null) for every property, nested objects too."""
    objects = [v for v in _variants(doc, schema) if "properties" in v]
    for obj in objects[:1]:
        required = set(obj.get("required", []))
        for name, prop in obj["properties"].items():
            yield (prefix + name, type_name(doc, prop), name in required,
                   accepts_null(doc, prop))
            if depth < MAX_DEPTH:
                inner = [v for v in _variants(doc, prop) if v.get("type") == "array"]
                target = inner[0].get("items", {}) if inner else prop
                yield from _fields(doc, target, prefix + name + ("[]." if inner else "."),
                                   depth + 1)


def _table(rows: list[tuple[str, str, bool, bool]]) -> list[str]:
    lines = ["| field | type | required | null accepted |", "|---|---|---|---|"]
    for name, kind, required, nullable in rows:
        cell = kind.replace("|", "\\|")  # a union's bar would end the table cell
        lines.append(f"| `{name}` | {cell} | {'yes' if required else 'no'} | "
                     f"{'yes' if nullable else 'no'} |")
    return lines


def _body_schema(operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
    content = (operation.get("requestBody") or {}).get("content") or {}
    media = content.get("application/json")
    return media.get("schema") if media else None


def _operation(doc: Mapping[str, Any], method: str, path: str,
               op: Mapping[str, Any]) -> list[str]:
    lines = [f"### `{method.upper()} {path}`", "", op.get("summary", "").strip() or "-", ""]
    params = [p for p in op.get("parameters", []) if p.get("in") != "header"]
    if params:
        lines += ["| parameter | in | type | required | default |", "|---|---|---|---|---|"]
        for p in params:
            default = p.get("schema", {}).get("default")
            lines.append(f"| `{p['name']}` | {p['in']} | {type_name(doc, p.get('schema', {}))} "
                         f"| {'yes' if p.get('required') else 'no'} | "
                         f"{'' if default is None else f'`{json.dumps(default)}`'} |")
        lines.append("")
    body = _body_schema(op)
    if body is not None:
        rows = list(_fields(doc, body))
        whole = "the body may be omitted or `null`" if accepts_null(doc, body) else (
            "a JSON object body is required")
        lines += [f"Request body (JSON; {whole}):", ""]
        lines += _table(rows) if rows else ["(any JSON object)"]
        lines.append("")
    elif "multipart/form-data" in ((op.get("requestBody") or {}).get("content") or {}):
        lines += ["Request body: multipart form data.", ""]
    for status, answer in sorted(op.get("responses", {}).items()):
        if not status.startswith("2"):
            continue
        media = (answer.get("content") or {})
        schema = (media.get("application/json") or {}).get("schema")
        if schema is None:
            kinds = ", ".join(sorted(media)) or "no body"
            lines += [f"Answer {status}: {kinds}.", ""]
            continue
        rows = list(_fields(doc, schema))
        if rows:
            lines += [f"Answer {status} (JSON):", "", *_table(rows), ""]
        elif not schema:
            lines += [f"Answer {status}: the file's bytes.", ""]
        else:
            lines += [f"Answer {status}: JSON {type_name(doc, schema)} (fields not yet typed in "
                      "the served schema; see the sections above).", ""]
    return lines


def error_body(doc: Mapping[str, Any]) -> list[str]:
    schema = doc.get("components", {}).get("schemas", {}).get("ErrorBody")
    if schema is None:
        return []
    return ["### Error answers", "", "Every 4XX/5XX answer (`ErrorBody`); further keys give the "
            "context:", "", *_table(list(_fields(doc, schema))), ""]


def error_table() -> list[str]:
    lines = ["### Error codes", "",
             "Every error answer is `{error_code, message, retryable, request_id, public_code, "
             "...context}`; `legacy_error_code` is present when an earlier version of this "
             "API named the same failure differently.", "",
             "| error_code | HTTP | public_code | legacy_error_code | meaning |",
             "|---|---|---|---|---|"]
    for code in sorted(ERROR_CODES):
        spec = ERROR_CODES[code]
        extra = public_fields(code, spec.status)
        legacy = extra.get("legacy_error_code")
        lines.append(f"| `{code}` | {spec.status} | {extra['public_code']} | "
                     f"{f'`{legacy}`' if legacy else ''} | {spec.meaning} |")
    unregistered = sorted(set(PUBLIC_CODES) - set(ERROR_CODES))
    if unregistered:
        lines += ["", "Also mapped: " + ", ".join(f"`{c}`" for c in unregistered) + "."]
    return lines


def reference(doc: Mapping[str, Any]) -> str:
    """The generated part of docs/api.md for this OpenAPI document."""
    lines = [BEGIN, "", "## Reference (rendered from the served OpenAPI document)", "",
             f"OpenAPI {doc.get('openapi', '')}, {doc['info']['title']} "
             f"{doc['info']['version']}; served at `/openapi/openapi.json`.", ""]
    for path in sorted(doc["paths"]):
        if not (path.startswith("/v1/") or path.startswith("/api/admin")):
            continue
        for method in METHODS:
            if method in doc["paths"][path]:
                lines += _operation(doc, method, path, doc["paths"][path][method])
    lines += error_body(doc)
    lines += error_table()
    lines += ["", END]
    return "\n".join(lines) + "\n"


def render(current: str, doc: Mapping[str, Any]) -> str:
    """``current`` (docs/api.md) with its generated part replaced (appended if absent)."""
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    after = "\n" + tail.lstrip("\n") if tail.strip() else ""
    return head.rstrip("\n") + "\n\n" + reference(doc) + after
