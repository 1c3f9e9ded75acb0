"""``ssctl templates render``: bind a template against a dataset file and print the do-file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import msgspec

from ss_core.binding import bind
from ss_core.domain.dataset import DatasetSchema
from ss_core.domain.roles import ROLES, RoleKind
from ss_core.errors import PlanError, ValidationFailed
from ss_core.library.loader import load_library
from ss_core.library.meta import Template
from ss_core.rendering.renderer import RenderedDoFile, render


def pairs(items: Sequence[str], what: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationFailed(f"--{what} {item!r} is not NAME=VALUE", value=item)
        found[key.strip()] = value.strip()
    return found


def role_values(raw: dict[str, Any]) -> dict[str, Any]:
    """Split comma lists for list roles; unknown roles are kept (binding ignores them)."""
    roles: dict[str, Any] = {}
    for name, value in raw.items():
        role = ROLES.get(name)
        if role is not None and role.kind is RoleKind.VARIABLES and isinstance(value, str):
            roles[name] = [v for v in value.replace(" ", ",").split(",") if v]
        else:
            roles[name] = value
    return roles


def bind_and_render(
    template: Template, schema: DatasetSchema, roles: dict[str, Any],
    params: dict[str, Any], plan_id: str,
) -> RenderedDoFile:
    """Bind like a plan freeze would (overrides, then roles, then defaults) and render."""
    contract = bind(template.meta.parameters, roles, params, schema)
    if not contract.complete:
        raise PlanError(
            f"template {template.id} cannot be bound to this dataset",
            missing=[msgspec.to_builtins(m) for m in contract.missing_required],
            invalid=[msgspec.to_builtins(i) for i in contract.invalid],
        )
    return render(template, contract.bound, schema, plan_id=plan_id)


def run(args: argparse.Namespace) -> int:
    from ss_http.cli.dataset_schema import schema_of  # pandas: only for this command

    template = load_library(args.library, check_index=False).get(args.template_id)
    schema = schema_of(args.dataset)
    rendered = bind_and_render(template, schema, role_values(pairs(args.role, "role")),
                               pairs(args.param, "param"), args.plan_id)
    print(rendered.text, end="")
    return 0
