"""The page routes: served by the app, outside /v1 and the OpenAPI schema, assets packaged,
language negotiation, and a message for every input error code in both languages."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path

import pytest

from ss_core.errors import ERROR_CODES
from ss_http.web.pages import STATIC_DIR, WEB_DIR, catalogue, choose_language

ROOT = Path(__file__).resolve().parents[2]


async def test_workspace_and_console_render_with_packaged_assets(client) -> None:
    for path, marker in (("/", 'id="redeem-form"'), ("/console", 'id="issue-form"')):
        r = await client.get(path, headers={"Accept-Language": "en"})
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert marker in r.text
        assert "Content-Security-Policy" in r.headers and "script-src 'self'" in r.headers[
            "Content-Security-Policy"]
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', r.text)
        assert {a.split("?")[0] for a in assets} >= {"/static/ss.css", "/static/ss.js",
                                                     "/static/logo.svg"}
        for asset in assets:
            got = await client.get(asset)
            assert got.status_code == 200, asset
            assert got.content == (STATIC_DIR / asset.split("?")[0].removeprefix(
                "/static/")).read_bytes()
        assert not re.search(r'(?:src|href)="(?:https?:)?//', r.text), "no external assets"


async def test_pages_are_not_business_endpoints(client) -> None:
    schema = (await client.get("/openapi/openapi.json")).json()
    assert "/" not in schema["paths"] and "/console" not in schema["paths"]
    assert not any(p.startswith("/static") for p in schema["paths"])
    assert (await client.get("/static/nope.js")).status_code == 404
    assert (await client.get("/static/../pages.py")).status_code == 404


@pytest.mark.parametrize(("query", "header", "expected"), [
    (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    (None, "en-US,en;q=0.9", "en"),
    (None, "fr-FR, zh;q=0.5, en;q=0.7", "en"),
    (None, "fr-FR, zh;q=0.8, en;q=0.7", "zh"),
    (None, None, "en"),
    ("zh", "en", "zh"),
    ("xx", "zh", "zh"),
    (None, "zh;q=0, en;q=bad", "en"),
])
def test_language_negotiation(query, header, expected) -> None:
    assert choose_language(query, header) == expected


async def test_shell_is_rendered_in_the_request_language(client) -> None:
    zh = (await client.get("/", headers={"Accept-Language": "zh-CN"})).text
    en = (await client.get("/?lang=en", headers={"Accept-Language": "zh-CN"})).text
    assert 'lang="zh-CN"' in zh and catalogue()["zh"]["redeem.title"] in zh
    assert 'lang="en"' in en and catalogue()["en"]["redeem.title"] in en


def test_catalogue_is_complete_in_both_languages() -> None:
    messages = catalogue()
    assert set(messages) == {"en", "zh"}
    assert set(messages["en"]) == set(messages["zh"])
    assert all(v.strip() for lang in messages.values() for v in lang.values())
    input_codes = {c for c in ERROR_CODES if c.startswith("INPUT") or c == "PAYLOAD_TOO_LARGE"}
    missing = input_codes - {k.removeprefix("error.") for k in messages["en"]}
    assert not missing, (f"add error.<CODE> for {sorted(missing)} in both languages to "
                         "ss_http/web/messages.json (the page explains every input error)")
    unknown = {k.removeprefix("error.") for k in messages["en"] if k.startswith("error.")}
    assert unknown - set(ERROR_CODES) <= {"generic", "network"}


def test_every_message_key_used_by_the_page_exists() -> None:
    keys = set(catalogue()["en"])
    used: set[str] = set()
    for path in [*STATIC_DIR.glob("*.js"), *(WEB_DIR / "templates").glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("([a-z0-9_]+\.[A-Za-z0-9_.]+)"', text))
        used |= set(re.findall(r"t\['([a-z0-9_]+\.[A-Za-z0-9_.]+)'\]", text))
        used |= set(re.findall(r'data-i18n="([a-z0-9_]+\.[A-Za-z0-9_.]+)"', text))
    assert used and used <= keys, used - keys


def test_every_page_file_ships_in_the_wheel() -> None:
    """setuptools matches package-data patterns relative to the package folder: every file
    under ss_http/web must match one (subfolders need their own patterns)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["ss_http.web"]
    files = [p.relative_to(WEB_DIR).as_posix() for p in WEB_DIR.rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert {"templates/workspace.html", "static/workspace.js", "messages.json"} <= set(files)
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert missing == []
    assert json.loads((WEB_DIR / "messages.json").read_text(encoding="utf-8"))


async def test_admin_system_lists_every_check_with_its_details(client) -> None:
    from tests.http.conftest import ADMIN

    r = await client.get("/api/admin/system", headers={"Authorization": f"Bearer {ADMIN}"})
    assert r.status_code == 200
    body = r.json()
    assert [c["name"] for c in body["checks"]] == ["always"]
    assert body["checks"][0]["ok"] is True and "details" in body["checks"][0]


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", "http://127.0.0.1:8000/"), ("0.0.0.0", "http://127.0.0.1:8000/"),
    ("::1", "http://[::1]:8000/"), ("ss.example", "http://ss.example:8000/")])
def test_serve_announces_the_page_address(host, expected) -> None:
    from ss_http.serving import page_addresses

    text = page_addresses(host, 8000)
    assert f"Workspace (researchers): {expected}\n" in text
    assert f"Operator console:        {expected}console" in text


def test_an_unconfigured_service_is_explained_to_the_researcher_not_in_operator_terms() -> None:
    """Out of the box the draft answers LLM_NOT_CONFIGURED; the researcher must read that SS
    is not set up (and whom to tell), not the operator's setting names."""
    messages = catalogue()
    for code in ("LLM_NOT_CONFIGURED", "STATA_NOT_CONFIGURED"):
        assert code in ERROR_CODES
        for lang in ("en", "zh"):
            text = messages[lang].get(f"error.{code}", "")
            assert text and "SS_" not in text, (lang, code)


def test_serve_says_plainly_when_it_is_not_ready() -> None:
    from ss_http.serving import page_addresses

    assert page_addresses("127.0.0.1", 8000).startswith("SS is ready.\n")
    text = page_addresses("127.0.0.1", 8000, ("llm", "stata", "admin_secret"))
    assert "SS is ready" not in text
    assert text.startswith("SS is running but NOT ready: llm, stata, admin_secret.")
    assert "ssctl check" in text and "http://127.0.0.1:8000/health/ready" in text
    assert "Workspace (researchers): http://127.0.0.1:8000/\n" in text


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_contrast() -> None:
    css = (STATIC_DIR / "ss.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("ink", "bg"), ("ink", "card"), ("muted", "card"), ("muted", "bg"),
             ("brand-ink", "brand"), ("brand", "card"), ("bad", "bad-bg"), ("ok", "ok-bg"),
             ("warn", "warn-bg"), ("muted", "bad-bg")]
    weak = {f"{fg} on {bg}": round(contrast(colours[fg], colours[bg]), 2)
            for fg, bg in pairs if contrast(colours[fg], colours[bg]) < 4.5}
    assert weak == {}


def test_role_labels_name_real_roles() -> None:
    """Role labels are presentation only (a missing one falls back to the service's
    description); a label for a role that does not exist is a typo."""
    from ss_core.domain.roles import ROLES

    labelled = {k.removeprefix("role.") for k in catalogue()["en"] if k.startswith("role.")}
    assert labelled and labelled <= set(ROLES)
