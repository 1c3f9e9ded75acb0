"""Browser harness for the page tests: Debian's headless Chromium driven by Playwright (no
browser download), screenshots of every step under reports/ui/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "reports" / "ui"
CHROMIUM = Path("/usr/bin/chromium")
# The machine is shared and CI runs everything on two cores: wait for the page generously.
expect.set_options(timeout=20_000)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def launch() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError("Debian's chromium is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Shots:
    """Numbered full-page screenshots for one scenario: reports/ui/<scenario>-NN-<step>.png."""

    def __init__(self, scenario: str) -> None:
        self.scenario, self.count = scenario, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob(f"{scenario}-*.png"):
            old.unlink()

    def __call__(self, page: Page, step: str) -> Path:
        self.count += 1
        path = SHOTS / f"{self.scenario}-{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def new_page(browser: Browser, base_url: str, lang: str = "en") -> Page:
    context = browser.new_context(base_url=base_url, locale="zh-CN" if lang == "zh" else "en-US",
                                  viewport={"width": 1366, "height": 860},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def console(message: ConsoleMessage) -> None:
        # CSP violations and script errors; an HTTP error status the page reports itself
        # (e.g. a refused upload) is not a page error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    page.on("console", console)
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


UNLABELLED = """els => els.filter(e => e.type !== 'hidden' && !e.hidden
    && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
    && !e.getAttribute('aria-labelledby')).map(e => e.outerHTML.slice(0, 120))"""


def unlabelled_controls(page: Page) -> list[str]:
    """Form controls a screen reader could not name (no label, aria-label or labelledby)."""
    found: list[str] = page.locator("input, select, textarea, progress").evaluate_all(UNLABELLED)
    nameless_buttons: list[str] = page.locator("button").evaluate_all(
        "els => els.filter(e => !e.textContent.trim() && !e.getAttribute('aria-label'))"
        ".map(e => e.outerHTML.slice(0, 120))")
    return found + nameless_buttons
