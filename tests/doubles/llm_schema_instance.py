"""Generic answers for the LLM server double: find the JSON Schema in a request and build a
simple instance of it (first enum value, required properties only, minimal arrays)."""

from __future__ import annotations

import json
import re
from typing import Any

_FENCED_JSON = re.compile(r"```json\s*\n(.*?)```", re.DOTALL)


def schema_of_request(body: Any) -> dict | None:
    """The schema a structured request carries, for either wire format, or None."""
    if not isinstance(body, dict):
        return None
    response_format = body.get("response_format")
    if isinstance(response_format, dict):
        inner = response_format.get("json_schema")
        if isinstance(inner, dict) and isinstance(inner.get("schema"), dict):
            return inner["schema"]
        if isinstance(response_format.get("schema"), dict):
            return response_format["schema"]
    tools = body.get("tools")
    if isinstance(tools, list) and tools and isinstance(tools[0], dict):
        schema = tools[0].get("input_schema")
        if isinstance(schema, dict):
            return schema
    texts = [body.get("system")] + [m.get("content") for m in body.get("messages") or []
                                    if isinstance(m, dict)]
    for text in texts:
        if isinstance(text, str):
            for match in _FENCED_JSON.finditer(text):
                try:
                    return json.loads(match.group(1))
                except ValueError:
                    continue
    return None


def instance_for(schema: Any, root: Any = None, depth: int = 0) -> Any:
    """A value valid against common schemas (enum/const, anyOf/oneOf/allOf, local $ref,
    objects with required properties, arrays with minItems/uniqueItems, bounds)."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > 32:
        return None
    if "$ref" in schema:
        return instance_for(_resolve(root, schema["$ref"]), root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return instance_for(schema[key][0], root, depth + 1)
    if schema.get("allOf"):
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = _resolve(root, part["$ref"]) if "$ref" in part else part
            merged = _merge(merged, part)
        return instance_for(merged, root, depth + 1)
    kind = _kind(schema)
    if kind == "object":
        properties = schema.get("properties") or {}
        return {name: instance_for(properties.get(name, {}), root, depth + 1)
                for name in schema.get("required") or []}
    if kind == "array":
        return _array(schema, root, depth)
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind)
    if kind == "boolean":
        return False
    return None


def _kind(schema: dict) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind:
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _array(schema: dict, root: Any, depth: int) -> list:
    items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    while "$ref" in items:
        items = _resolve(root, items["$ref"])
    count = max(int(schema.get("minItems", 0)), 1)
    count = min(count, int(schema.get("maxItems", count)))
    if items.get("enum"):
        values = list(items["enum"])
        if schema.get("uniqueItems"):
            return values[:count]
        return [values[0]] * count
    first = instance_for(items, root, depth + 1)
    if schema.get("uniqueItems") and count > 1 and isinstance(first, str):
        return [f"{first}{index}" for index in range(count)]
    return [first] * count


def _string(schema: dict) -> str:
    value = "text"
    minimum, maximum = int(schema.get("minLength", 0)), schema.get("maxLength")
    if len(value) < minimum:
        value = value + "x" * (minimum - len(value))
    if maximum is not None:
        value = value[: int(maximum)]
    return value


def _number(schema: dict, kind: str) -> int | float:
    value: float = 0
    if "minimum" in schema:
        value = max(value, schema["minimum"]) if "maximum" not in schema else schema["minimum"]
    if "exclusiveMinimum" in schema:
        value = schema["exclusiveMinimum"] + 1
    if "maximum" in schema and value > schema["maximum"]:
        value = schema["maximum"]
    return int(value) if kind == "integer" else float(value)


def _resolve(root: Any, ref: str) -> Any:
    if not ref.startswith("#"):
        return {}
    node = root
    for part in ref.lstrip("#/").split("/"):
        if not part:
            continue
        node = node.get(part.replace("~1", "/").replace("~0", "~"), {})
    return node


def _merge(left: dict, right: dict) -> dict:
    merged = dict(left)
    for key, value in right.items():
        if key == "properties":
            merged["properties"] = {**left.get("properties", {}), **value}
        elif key == "required":
            merged["required"] = sorted(set(left.get("required", [])) | set(value))
        else:
            merged.setdefault(key, value)
    return merged
