"""Journey steps shared by the compatibility tests, each the way the web client does it."""

from __future__ import annotations

import time
from typing import Any

from tests.http.compat.client_shapes import (
    ArtifactsIndexResponse,
    GetJobResponse,
    InputsPreviewResponse,
    check,
)
from tests.http.compat.conftest import Stack
from tests.http.compat.web_client import WebClient, filename_from_rel_path


def start(web: WebClient, stack: Stack, requirement: str) -> None:
    r = web.redeem(stack.task_code(), requirement)
    assert r.ok, r.body


def column_named(preview: dict[str, Any], original: str) -> str:
    return next(c["name"] for c in preview["columns"] if c.get("original_name") == original)


def previewed(web: WebClient, rows: int = 20, columns: int = 10) -> dict[str, Any]:
    r = web.preview_inputs(rows, columns)
    assert r.ok, r.body
    check(r.body, InputsPreviewResponse)
    return dict(r.body)


def until_done(web: WebClient, timeout: float = 60) -> dict[str, Any]:
    """Status.tsx:123-146, 169-175: refresh the job, then the artifact index, until the job
    reaches a final status."""
    deadline = time.monotonic() + timeout
    while True:
        r = web.get_job()
        assert r.ok, r.body
        check(r.body, GetJobResponse)
        if r.body["status"] in ("succeeded", "failed"):
            return dict(r.body)
        assert time.monotonic() < deadline, f"job stayed {r.body['status']}"
        time.sleep(0.2)


def downloads(web: WebClient) -> dict[str, bytes]:
    """Status.tsx:63-104 and 148-167: list the artifacts, download each by its ``rel_path``
    and save it under the name shown (the last path segment)."""
    r = web.list_artifacts()
    assert r.ok, r.body
    index = check(r.body, ArtifactsIndexResponse)
    saved: dict[str, bytes] = {}
    for item in index.artifacts:
        name = filename_from_rel_path(item.rel_path)
        shown = [a.rel_path for a in index.artifacts]
        assert name not in saved, f"two artifacts are shown as {name!r}: {shown}"
        got = web.download(item.rel_path)
        assert got.ok, (item.rel_path, got.body)
        assert "filename" in got.headers.get("Content-Disposition", "")
        saved[name] = got.body
    return saved
