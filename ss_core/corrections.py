"""What ``variable_corrections`` (freeze and confirm) means: role updates from three kinds of key.

- A draft field (``outcome_var``) or role name (``outcome``) sets that role, exactly as a
  draft patch would.
- A placeholder sets a structural role: ``__ID_VAR__`` and ``__PANELVAR__`` the panel unit id,
  ``__TIME_VAR__`` the time variable, ``__CLUSTER_VAR__`` the cluster variable.
- A column name is a rename: the column is replaced by the value in every role it fills
  (``null`` or ``""`` removes it from those roles). Renames are simultaneous, so
  ``{"a": "b", "b": "a"}`` swaps two columns.

Draft fields and role names win over a column of the same name; renames are applied first and
explicit field, role and placeholder keys after them. A key that is none of these, or a column
that fills no role, is refused with the reason: a correction never silently does nothing.
The values are checked as columns by ``drafting.apply_updates`` like any other role update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ss_core.domain.dataset import DatasetSchema
from ss_core.domain.roles import ROLES, RoleKind
from ss_core.errors import ValidationFailed

PLACEHOLDERS: dict[str, str] = {
    "__ID_VAR__": "unit_id",
    "__PANELVAR__": "unit_id",
    "__TIME_VAR__": "time",
    "__CLUSTER_VAR__": "cluster",
}

# The placeholder a freeze error names for a structural role (the first of its synonyms).
PLACEHOLDER_OF_ROLE: dict[str, str] = {"unit_id": "__ID_VAR__", "time": "__TIME_VAR__",
                                       "cluster": "__CLUSTER_VAR__"}

_FIELDS = {role.draft_field for role in ROLES.values()}


def _renamed(value: Any, renames: Mapping[str, Any]) -> Any:
    if isinstance(value, list | tuple):
        out: list[Any] = []
        for item in value:
            new = renames.get(item, item) if isinstance(item, str) else item
            if new not in (None, "") and new not in out:
                out.append(new)
        return out
    if isinstance(value, str) and value in renames:
        new = renames[value]
        return None if new == "" else new
    return value


def as_role_updates(
    roles: Mapping[str, Any], corrections: Mapping[str, Any], schema: DatasetSchema
) -> dict[str, Any]:
    """Role updates (role name -> value) for ``drafting.apply_updates``; refuses bad keys."""
    renames: dict[str, Any] = {}
    explicit: dict[str, Any] = {}
    problems: list[dict[str, str]] = []
    for key, value in corrections.items():
        if key in ROLES or key in _FIELDS:
            explicit[key] = value
        elif key in PLACEHOLDERS:
            explicit[PLACEHOLDERS[key]] = value
        elif (column := schema.resolve(key)) is None:
            problems.append({"field": key, "reason": "neither a draft field, a role, a "
                             "placeholder (" + ", ".join(PLACEHOLDERS) + ") nor a column"})
        elif value is not None and not isinstance(value, str):
            problems.append({"field": key, "reason": "a column is renamed to one column name"})
        else:
            renames[column.name] = value
    updates: dict[str, Any] = {}
    for name, value in roles.items():
        role = ROLES.get(name)
        if role is None or role.kind is RoleKind.NUMBER:
            continue
        new = _renamed(value, renames)
        if new != (list(value) if isinstance(value, list | tuple) else value):
            updates[name] = new
    filled = {v for n, v in roles.items() if isinstance(v, str)} | {
        item for v in roles.values() if isinstance(v, list | tuple) for item in v}
    problems += [{"field": col, "reason": "this column fills no role in the draft; name a "
                  "draft field to set a role"} for col in renames if col not in filled]
    if problems:
        raise ValidationFailed("some variable corrections could not be applied",
                               field="variable_corrections", problems=problems,
                               placeholders=sorted(PLACEHOLDERS),
                               allowed_fields=sorted(_FIELDS))
    for key, value in explicit.items():
        role_name = key if key in ROLES else next(n for n, r in ROLES.items()
                                                  if r.draft_field == key)
        updates[role_name] = value
    return updates
