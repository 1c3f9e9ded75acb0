"""The self-contained ``report.html``: inline CSS, figures as data URIs, no network.

Rendered with jinja2 (autoescaped, sandboxed, strict): every value is text, so nothing in a
table cell, a column name or the interpretation can become markup or script. jinja2 is
imported when the first page is compiled.
"""

from __future__ import annotations

import base64
import functools
from importlib import resources
from typing import TYPE_CHECKING

from ss_core.reporting.interpretation import Omitted, Published
from ss_core.reporting.language import WORDS
from ss_core.reporting.model import Report
from ss_core.reporting.tables import as_number, shown

if TYPE_CHECKING:
    from jinja2 import Template


def _template_source() -> str:
    return (resources.files("ss_core.reporting") / "report.html.jinja").read_text("utf-8")


@functools.cache
def _page() -> Template:
    """The page template, compiled once per process (compiling takes ~40 ms; rendering a
    report a few)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True)
    env.filters["shown"] = shown
    env.filters["numeric"] = lambda cell: as_number(cell) is not None
    return env.from_string(_template_source())


def render_html(report: Report) -> bytes:
    page = _page()
    figures = [{"caption": f.caption, "name": f.name,
                "uri": f"data:{f.content_type};base64," + base64.b64encode(f.data).decode()}
               for f in report.figures]
    outcome = report.interpretation
    return page.render(
        r=report, w=WORDS[report.language], figures=figures,
        published=outcome if isinstance(outcome, Published) else None,
        omitted=outcome if isinstance(outcome, Omitted) else None,
    ).encode("utf-8")
