"""Typed template metas: parameters, dependencies and declared outputs.

The JSON Schema in ``assets/stata_do_library/schemas/template_meta.schema.json`` is the
contract for the files; these structs are the same contract as Python values (decoded with
msgspec after the schema has accepted the file).
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec

from ss_core.domain.dataset import ColumnType


class Bilingual(msgspec.Struct, frozen=True):
    en: str
    zh: str


class Keywords(msgspec.Struct, frozen=True):
    en: tuple[str, ...]
    zh: tuple[str, ...]


class ParamType(enum.StrEnum):
    VAR = "var"
    VARLIST = "varlist"
    NUMBER = "number"
    INTEGER = "integer"
    CHOICE = "choice"
    BOOL = "bool"
    TEXT = "text"


class ParamSpec(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One typed template parameter and the draft role it binds from (if any)."""

    name: str
    type: ParamType
    description: Bilingual
    required: bool
    role: str | None = None
    default: Any = None
    var_types: tuple[ColumnType, ...] = ()
    min_count: int | None = None
    max_count: int | None = None
    distinct_from: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    nested_in: str | None = None
    nonest_flag: str | None = None
    # when this parameter is bound, these must be bound too (house options: a sample
    # restriction's column needs its value)
    requires: tuple[str, ...] = ()

    @property
    def is_variable(self) -> bool:
        return self.type in (ParamType.VAR, ParamType.VARLIST)


class Package(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A community package (SSC or net) and the commands it provides."""

    name: str
    source: str
    provides: tuple[str, ...]
    url: str | None = None
    requires: tuple[str, ...] = ()


class Dependencies(msgspec.Struct, frozen=True, kw_only=True):
    stata_min_version: float
    builtin_commands: tuple[str, ...]
    packages: tuple[Package, ...]


class OutputSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A file the template promises to write into its run directory."""

    file: str
    kind: str
    format: str
    required: bool
    description: str


class TemplateMeta(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    id: str
    version: str
    family: str
    title: Bilingual
    description: Bilingual
    keywords: Keywords
    parameters: tuple[ParamSpec, ...]
    dependencies: Dependencies
    outputs: tuple[OutputSpec, ...]
    do_file: str
    analysis_types: tuple[str, ...] = ()
    data_shape: str = "any"
    timeout_class: str = "standard"
    house_options: tuple[str, ...] = ()
    weight_kinds: tuple[str, ...] = ()  # with house option "weights": kinds the command takes

    def param(self, name: str) -> ParamSpec | None:
        for spec in self.parameters:
            if spec.name == name:
                return spec
        return None

    @property
    def required_roles(self) -> frozenset[str]:
        """Roles the draft must fill for every required parameter without a default."""
        return frozenset(
            p.role for p in self.parameters if p.required and p.role and p.default is None
        )


class Template(msgspec.Struct, frozen=True, kw_only=True):
    """A loaded template: its meta, its do-file source and their content hash."""

    meta: TemplateMeta
    source: str
    content_sha256: str
    path: str

    @property
    def id(self) -> str:
        return self.meta.id
