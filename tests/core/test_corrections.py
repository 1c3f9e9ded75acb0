"""``variable_corrections``: draft fields and roles, placeholders, and column renames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ss_core.corrections import PLACEHOLDERS, as_role_updates
from ss_core.domain.artifact import Artifact, ArtifactKind, display_name, latest_per_name
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.errors import ValidationFailed

NAMES = ("y", "x1", "x2", "x3", "id", "year", "firm")
SCHEMA = DatasetSchema(row_count=10, columns=tuple(
    Column(name=n, original_name=n, type=ColumnType.INTEGER) for n in NAMES))


@st.composite
def drafts(draw: st.DrawFn) -> dict:
    cols = st.sampled_from(NAMES)
    roles: dict = {}
    for name in ("outcome", "treatment", "cluster", "unit_id", "time"):
        if draw(st.booleans()):
            roles[name] = draw(cols)
    if draw(st.booleans()):
        roles["controls"] = draw(st.lists(cols, min_size=1, max_size=4, unique=True))
    return roles


def used(roles: dict) -> set[str]:
    return {v for v in roles.values() if isinstance(v, str)} | {
        c for v in roles.values() if isinstance(v, list) for c in v}


@given(drafts(), st.data())
def test_renames_replace_a_column_in_every_role_it_fills(roles, data):
    filled = sorted(used(roles))
    if not filled:
        return
    old = data.draw(st.sampled_from(filled))
    new = data.draw(st.sampled_from(NAMES))
    updates = as_role_updates(roles, {old: new}, SCHEMA)
    merged = {**roles, **updates}
    assert old not in used(merged) or old == new
    for name, value in roles.items():
        if value == old:
            assert merged[name] == new
        elif isinstance(value, list) and old in value:
            assert new in merged[name] and len(merged[name]) == len(set(merged[name]))


@given(drafts())
def test_renames_are_simultaneous(roles):
    if not {"y", "x1"} <= used(roles):
        roles = {**roles, "outcome": "y", "treatment": "x1"}
    merged = {**roles, **as_role_updates(roles, {"y": "x1", "x1": "y"}, SCHEMA)}
    for name, value in roles.items():
        if value in ("y", "x1"):
            assert merged[name] == {"y": "x1", "x1": "y"}[value]


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDERS))
def test_placeholders_set_their_role(placeholder):
    updates = as_role_updates({"outcome": "y"}, {placeholder: "firm"}, SCHEMA)
    assert updates == {PLACEHOLDERS[placeholder]: "firm"}


def test_draft_fields_and_roles_win_over_renames_and_keep_their_meaning():
    roles = {"outcome": "y", "cluster": "firm", "controls": ["firm"]}
    updates = as_role_updates(roles, {"firm": "x1", "cluster_var": "id"}, SCHEMA)
    assert updates == {"cluster": "id", "controls": ["x1"]}
    assert as_role_updates(roles, {"outcome": "x2"}, SCHEMA) == {"outcome": "x2"}


def test_keys_that_mean_nothing_are_refused_with_their_names():
    with pytest.raises(ValidationFailed) as caught:
        as_role_updates({"outcome": "y"}, {"nope": "x1", "x3": "x1"}, SCHEMA)
    fields = {p["field"] for p in caught.value.context["problems"]}
    assert fields == {"nope", "x3"}  # x3 is a column, but it fills no role


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def artifact(path: str, minute: int) -> Artifact:
    return Artifact(artifact_id=f"a{minute}{path}", job_id="j", kind=ArtifactKind.STATA_LOG,
                    rel_path=path, object_key=path, size_bytes=1, sha256="0" * 64,
                    content_type="text/plain", created_at=T0 + timedelta(minutes=minute))


@given(st.lists(st.tuples(st.sampled_from(["runs/a/", "runs/b/", "plan/", ""]),
                          st.sampled_from(["x.log", "y.csv", "plan.json"]),
                          st.integers(0, 5)), max_size=12))
def test_one_artifact_per_display_name_the_newest(items):
    arts = [artifact(d + n, m) for d, n, m in items]
    kept = latest_per_name(arts)
    names = [display_name(a.rel_path) for a in kept]
    assert len(names) == len(set(names)) and set(names) == {display_name(a.rel_path)
                                                            for a in arts}
    for a in kept:
        assert all(b.created_at <= a.created_at for b in arts
                   if display_name(b.rel_path) == display_name(a.rel_path))
