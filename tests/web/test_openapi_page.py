"""/openapi renders offline: headless Chromium with every non-local request blocked shows the
operations from packaged Swagger UI assets (screenshots: reports/openapi.png and
reports/openapi-upload.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.stack import Server, free_port, stack_env
from tests.web.browser import ROOT, launch, new_page

pytestmark = pytest.mark.slow
SHOT = ROOT / "reports" / "openapi.png"
UPLOAD_SHOT = ROOT / "reports" / "openapi-upload.png"


def test_openapi_page_renders_with_no_network(tmp_path: Path) -> None:
    server = Server(stack_env(tmp_path, None), free_port(), tmp_path / "server.log").start()
    outside: list[str] = []
    try:
        for browser in launch():
            page = new_page(browser, server.base_url)

            def only_local(route, request) -> None:
                if request.url.startswith(server.base_url):
                    route.continue_()
                else:
                    outside.append(request.url)
                    route.abort()

            page.route("**/*", only_local)
            page.goto("/openapi")
            page.wait_for_selector(".opblock", timeout=30_000)
            assert page.locator(".opblock").count() >= 20
            assert "SS API" in page.locator(".title").first.inner_text()
            SHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOT), full_page=False)
            page.locator(".opblock-summary-path", has_text="/inputs/upload").first.click()
            page.wait_for_selector(".opblock.is-open .opblock-section-request-body")
            assert "multipart/form-data" in page.locator(".opblock.is-open").inner_html()
            page.screenshot(path=str(UPLOAD_SHOT), full_page=False)
            assert page.js_errors == []  # type: ignore[attr-defined]
    finally:
        server.stop()
    assert outside == []
    assert SHOT.stat().st_size > 10_000
