"""Medians, gaps and the Markdown report of ``python -m benchmarks.compare``.

Every figure that could not be taken for a target is reported as a gap with its reason (no
process id given, a journey that did not end in ``succeeded``), never left out silently.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.compare import Target

ENDPOINTS = ("job status", "artifact index")


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(rounds: list[dict[str, Any]], clients: list[int]) -> dict[str, Any]:
    summary: dict[str, Any] = {key: _median([r[key] for r in rounds])
                               for key in ("journey_s", "rss_mib", "status_bytes",
                                           "index_bytes", "artifacts")}
    summary["journey_end"] = sorted({r["journey_end"] for r in rounds})
    sizes = list(rounds[0]["upload_s"]) if rounds else []
    summary["upload_s"] = {mb: _median([r["upload_s"].get(mb) for r in rounds])
                           for mb in sizes}
    for endpoint in ENDPOINTS:
        summary[endpoint] = [
            {"clients": c, **{key: _median([r[endpoint][i].get(key) for r in rounds])
                              for key in ("rps", "p50", "p99", "cpu_ms_per_request")},
             "errors": sum(r[endpoint][i]["errors"] for r in rounds)}
            for i, c in enumerate(clients)]
    return summary


def gaps(target: Target, rounds: list[dict[str, Any]]) -> list[str]:
    """What was not measured for this target, and why."""
    found = []
    if target.pid is None:
        found.append("no process id (--pid): server CPU per GET and RSS not measured")
    ended = [r["journey_end"] for r in rounds if r["journey_end"] != "succeeded"]
    if ended:
        found.append(
            f"the journey ended {'/'.join(sorted(set(ended)))} (not succeeded) in "
            f"{len(ended)} of {len(rounds)} rounds: journey time not compared; job status "
            f"and artifact index were measured on that ended job")
    return found


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "-" if value is None or not base else f"**{value / base:.2f}**"


def _get_tables(result: dict[str, Any], names: list[str]) -> list[str]:
    s, first = result["summary"], names[0]
    lines: list[str] = []
    for endpoint in ENDPOINTS:
        lines += ["", f"## {endpoint} GET", "",
                  "| target | clients | req/s | ratio | p50 ms | p99 ms | ratio p99 | "
                  "server CPU ms/req | ratio CPU | errors |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for n in names:
            for level, base in zip(s[n][endpoint], s[first][endpoint], strict=True):
                lines.append(
                    f"| {n} | {level['clients']} | {_fmt(level['rps'], 0)} | "
                    f"{_ratio(level['rps'], base['rps'])} | {_fmt(level['p50'], 2)} | "
                    f"{_fmt(level['p99'], 2)} | {_ratio(level['p99'], base['p99'])} | "
                    f"{_fmt(level['cpu_ms_per_request'], 3)} | "
                    f"{_ratio(level['cpu_ms_per_request'], base['cpu_ms_per_request'])} | "
                    f"{level['errors']} |")
    kinds = [f"- {n}, {endpoint}, {level['clients']} clients, round {i + 1}: "
             + "; ".join(level["error_kinds"])
             for n in names for i, r in enumerate(result["rounds"][n]) for endpoint in ENDPOINTS
             for level in r[endpoint] if level.get("error_kinds")]
    if kinds:
        lines += ["", "Errors reported by the client:", "", *kinds]
    lines += ["", "What the measured GETs answered (medians): bytes of the job status and "
              "artifact index answers, artifacts listed, how the journey ended.", "",
              "| target | status bytes | index bytes | artifacts | journey ended |",
              "|---|---|---|---|---|"]
    lines += [f"| {n} | {_fmt(s[n]['status_bytes'], 0)} | {_fmt(s[n]['index_bytes'], 0)} | "
              f"{_fmt(s[n]['artifacts'], 0)} | {', '.join(s[n]['journey_end'])} |"
              for n in names]
    return lines


def _other_tables(result: dict[str, Any], names: list[str]) -> list[str]:
    s, idle, first = result["summary"], result["idle"], names[0]
    sizes = list(s[first]["upload_s"])
    lines = ["", "## Upload, journey", "",
             "| target | " + " | ".join(f"upload {mb} MB s | ratio" for mb in sizes)
             + " | journey s | ratio |", "|---|" + "---|---|" * (len(sizes) + 1)]
    for n in names:
        cells = [f"{_fmt(s[n]['upload_s'].get(mb), 3)} | "
                 f"{_ratio(s[n]['upload_s'].get(mb), s[first]['upload_s'].get(mb))}"
                 for mb in sizes]
        cells.append(f"{_fmt(s[n]['journey_s'], 3)} | "
                     f"{_ratio(s[n]['journey_s'], s[first]['journey_s'])}")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines += ["", "## Memory", "",
              "Idle: read before this run sent any request, after the settle time. Service: "
              "the API's process tree plus the processes given with `--also-pid` (a separate "
              "worker) and theirs.", "",
              "| target | idle API process MiB | ratio | idle service MiB | ratio | "
              "service after the journeys MiB | ratio |", "|---|---|---|---|---|---|---|"]
    for n in names:
        lines.append(
            f"| {n} | {_fmt(idle[n]['api_mib'])} | "
            f"{_ratio(idle[n]['api_mib'], idle[first]['api_mib'])} | "
            f"{_fmt(idle[n]['service_mib'])} | "
            f"{_ratio(idle[n]['service_mib'], idle[first]['service_mib'])} | "
            f"{_fmt(s[n]['rss_mib'])} | {_ratio(s[n]['rss_mib'], s[first]['rss_mib'])} |")
    return lines


def render(result: dict[str, Any]) -> str:
    names = list(result["targets"])
    lines = ["# Side by side", "",
             f"Generated by `{result['command']}`. Targets measured in turns, "
             f"{result['rounds_count']} rounds; medians of the rounds. Ratios are each target / "
             f"`{names[0]}`.", "", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in result["machine"].items()]
    lines += ["", "| target | base URL |", "|---|---|"]
    lines += [f"| {n} | {result['targets'][n]} |" for n in names]
    lines += _get_tables(result, names) + _other_tables(result, names)
    lines += ["", "## Gaps", ""]
    listed = [f"- {n}: {gap}" for n in names for gap in result["gaps"][n]]
    lines += listed or ["None: every figure was taken for every target."]
    loads = [lvl["load_1min"] for n in names for r in result["rounds"][n]
             for e in ENDPOINTS for lvl in r[e]]
    lines += ["", f"Load average (1 min) during the GET runs: {min(loads):.1f} to "
              f"{max(loads):.1f} on {result['cpus']} CPUs; uploads of "
              f"{', '.join(f'{mb:g}' for mb in result['upload_mb']) or 'none'} MB; "
              f"{result['seconds']} s per GET level; client: {result['client']}.", ""]
    return "\n".join(lines)
