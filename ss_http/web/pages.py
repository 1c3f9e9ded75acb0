"""Page routes (outside /v1, excluded from the OpenAPI schema) and the packaged static assets.

The shell is rendered in the visitor's language (``?lang=`` wins, else ``Accept-Language``);
the whole message catalogue is embedded so the page can switch language without reloading.
Asset URLs carry a content hash so a new release is never served from a stale cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, Router, get
from litestar.static_files import create_static_files_router

from ss_core.domain.job import JobStatus

if TYPE_CHECKING:
    import jinja2

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "en"

# The page talks only to its own origin; data (column names, LLM text) is never markup.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; "
        "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """The message catalogue: ``{language: {key: text}}`` (messages.json)."""
    data: dict[str, dict[str, str]] = json.loads(
        (WEB_DIR / "messages.json").read_text(encoding="utf-8"))
    return data


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # on the first page served, not at start-up

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals["asset"] = asset_url
    return env


@cache
def asset_url(name: str) -> str:
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


def choose_language(query: str | None, accept_language: str | None) -> str:
    """``?lang=`` if it names a supported language, else the best ``Accept-Language`` match."""
    if query in LANGUAGES:
        return query
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return sorted(ranked)[0][2] if ranked else DEFAULT_LANGUAGE


def render(template: str, request: Request[Any, Any, Any]) -> Response[str]:
    lang = choose_language(request.query_params.get("lang"),
                           request.headers.get("accept-language"))
    messages = catalogue()
    html = _environment().get_template(template).render(
        lang=lang, t=messages[lang], catalogue=messages, languages=LANGUAGES,
        job_statuses=[s.value for s in JobStatus])
    return Response(html, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


@get("/", include_in_schema=False, name="web-workspace")
async def workspace(request: Request[Any, Any, Any]) -> Response[str]:
    return render("workspace.html", request)


@get("/console", include_in_schema=False, name="web-console")
async def console(request: Request[Any, Any, Any]) -> Response[str]:
    return render("console.html", request)


def web_router() -> Router:
    static = create_static_files_router(
        path="/static", directories=[STATIC_DIR], include_in_schema=False, name="web-static",
        cache_control=None, send_as_attachment=False)
    return Router(path="/", route_handlers=[workspace, console, static],
                  include_in_schema=False)
