"""Render a template into do-file text: prologue + preamble + body + epilogue.

Between the preamble and the body come the generated data-shape conversions (dates to
periods, text ids encoded, numbers stored as text read as numbers), decided from the
schema's upload-time facts. The body is a jinja2 template rendered in a sandbox with
StrictUndefined. Its context holds no user or LLM text at all: ``has.<param>`` (is the
parameter bound) and ``opt.<param>`` (the value of a choice or bool parameter, from a closed
set). Values reach Stata only through the
generated preamble of ``local`` definitions. Rendering is deterministic: same inputs, same
bytes.

jinja2 is imported when the first body is rendered (a process that never renders, such as an
API process answering status requests, does not load it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from ss_core import data_shapes
from ss_core.domain.dataset import DatasetSchema
from ss_core.errors import RenderError
from ss_core.library.meta import ParamType, Template
from ss_core.rendering.conversions import conversion_lines
from ss_core.rendering.house import Header, epilogue, prologue, settings
from ss_core.rendering.house_options import option_lines
from ss_core.rendering.preamble import preamble_lines
from ss_core.rendering.safety import assert_safe

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


class RenderedDoFile(msgspec.Struct, frozen=True):
    text: str
    sha256: str

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def _environment() -> SandboxedEnvironment:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def body_context(template: Template, values: Mapping[str, Any]) -> dict[str, Any]:
    """What the body template may see: presence flags and closed-set option values."""
    has = {p.name: values.get(p.name) not in (None, "", ()) for p in template.meta.parameters}
    opt = {
        p.name: values.get(p.name)
        for p in template.meta.parameters
        if p.type in (ParamType.CHOICE, ParamType.BOOL)
    }
    return {"has": has, "opt": opt}


def render_body(template: Template, values: Mapping[str, Any]) -> str:
    if "{{" in template.source:
        raise RenderError(
            f"template {template.id} uses an expression block; values must come from the "
            "preamble", template_id=template.id)
    import jinja2

    try:
        compiled = _environment().from_string(template.source)
        return compiled.render(body_context(template, values))
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {template.id} failed to render: {exc}",
                          template_id=template.id) from None


def render(
    template: Template,
    values: Mapping[str, Any],
    schema: DatasetSchema,
    *,
    plan_id: str,
) -> RenderedDoFile:
    """Render and safety-scan the do-file for ``template`` with bound ``values``."""
    header = Header(
        template_id=template.id,
        template_version=template.meta.version,
        content_sha256=template.content_sha256,
        plan_id=plan_id,
        stata_min_version=template.meta.dependencies.stata_min_version,
    )
    lines = [
        *prologue(header),
        *preamble_lines(template.meta.parameters, values, schema),
        *conversion_lines(data_shapes.plan(template.meta.parameters, values, schema,
                                           data_shape=template.meta.data_shape), schema),
        *settings({p.name for p in template.meta.parameters}),
        *option_lines(template.meta, values),
        "* ---- template body ----",
        *render_body(template, values).splitlines(),
        *epilogue(),
    ]
    text = "\n".join(line.rstrip() for line in lines) + "\n"
    assert_safe(text)
    return RenderedDoFile(text, hashlib.sha256(text.encode("utf-8")).hexdigest())
