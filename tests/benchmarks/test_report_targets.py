"""The GET targets of `benchmarks/RESULTS.md` are judged on wrk's figures when the run has
them, and on the Python load client's otherwise (with the capacity the server's CPU allows)."""

from __future__ import annotations

from typing import Any

from benchmarks.report import _get_targets


def level(clients: int, rps: float, p99: float, errors: int = 0) -> dict[str, Any]:
    return {"clients": clients, "n": int(rps * 5), "rps": rps, "p50": p99 / 2, "p99": p99,
            "errors": errors, "cpu_ms_per_request": 0.3, "load_1min": 0.5}


def backend(wrk: dict[str, Any] | None) -> dict[str, Any]:
    python_client = {name: [{**level(64, 400, 300), "errors": {}}]
                     for name in ("job status", "artifacts index")}
    data: dict[str, Any] = {"http": {"endpoints": python_client}, "server_cpu": []}
    if wrk is not None:
        data["wrk"] = wrk
    return data


def test_wrk_figures_judge_the_get_targets() -> None:
    rows = (_get_targets("embedded", backend({
        "job status": [level(1, 2800, 1.0), level(64, 3200, 21.0)],
        "artifacts index": [level(64, 1900, 30.0)]})))
    assert [r[2] for r in rows] == ["3,200 req/s, p99 21.0 ms (wrk)",
                                    "1,900 req/s, p99 30.0 ms (wrk)"]
    assert ["met" in r[3] for r in rows] == [True, False]


def test_errors_under_wrk_miss_the_target() -> None:
    rows = (_get_targets("embedded", backend({
        "job status": [level(64, 3200, 21.0, errors=3)], "artifacts index": []})))
    assert "missed" in rows[0][3] and "3 errors" in rows[0][4]
    assert "(wrk)" not in rows[1][2]  # no wrk level at 64 clients: the Python client's


def test_without_wrk_the_python_client_figures_are_used() -> None:
    rows = (_get_targets("embedded", backend(None)))
    assert [r[2] for r in rows] == ["400 req/s, p99 300.0 ms"] * 2
