"""The full two-stage selection eval against a configured real LLM.

    python -m benchmarks.selection [--limit N] [--ids r001,r002] [--json PATH]

Needs the ``SS_LLM_*`` environment of the service (provider, model, base URL, key). For every
request of ``tests/selection/requests.json`` it runs exactly what the draft does: the drafting
call (roles from the dataset's real columns), retrieval + role-fit ranking, the LLM's choice
among the candidates, and the dry-run freeze of the chosen template. It reports how often the
chosen template is acceptable, how often an acceptable one was a candidate, how often the
draft would be ready to freeze, per language and family, and every miss.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ss_adapters.llm.factory import build_llm
from ss_adapters.llm.settings import LLMSettings
from ss_adapters.settings import DEFAULT_LIBRARY
from ss_core import drafting
from ss_core.dry_run import assess
from ss_core.errors import SSError
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.library.retrieval import Retriever
from ss_core.ports.llm import LLM
from ss_core.selection import select_template
from ss_core.usecases.services import Policies
from tests.selection.eval_data import EvalRequest, EvalSet, load_eval


async def one(llm: LLM, library: Library, retriever: Retriever, data: EvalSet,
              item: EvalRequest) -> dict[str, Any]:
    schema = data.schema(item.dataset)
    types = {a for t in library for a in t.meta.analysis_types}
    started = time.perf_counter()
    try:
        answer = await llm.complete_json(drafting.request_for(item.request, schema, types))
        roles, _, advisory = drafting.checked_roles(answer.data.get("roles", {}), schema)
        selection, _ = await select_template(
            library, retriever, llm, requirement=item.request,
            query=drafting.selection_query(item.request, answer.data), roles=roles,
            limit=Policies().selection_candidates, schema=schema)
    except SSError as exc:
        return {"id": item.id, "error": exc.error_code, "ok": False, "included": False,
                "ready": False, "seconds": time.perf_counter() - started}
    verdict = assess(library.get(selection.template_id), roles, schema,
                     confidence=selection.confidence, advisory=advisory)
    candidates = [c.template_id for c in selection.candidates]
    return {"id": item.id, "chosen": selection.template_id, "candidates": candidates,
            "ok": selection.template_id in item.expected,
            "included": bool(set(candidates) & set(item.expected)),
            "ready": verdict.readiness == "ready_to_freeze", "decision": verdict.decision,
            "roles": roles, "seconds": round(time.perf_counter() - started, 2)}


def _share(rows: list[dict[str, Any]], key: str) -> str:
    hits = sum(bool(r[key]) for r in rows)
    return f"{hits}/{len(rows)} ({100 * hits / max(len(rows), 1):.1f} %)"


def report(data: EvalSet, library: Library, rows: list[dict[str, Any]]) -> str:
    by_id = {r.id: r for r in data.requests}
    lines = ["# Selection eval (two stages, real LLM)", "",
             f"- chosen template acceptable: {_share(rows, 'ok')}",
             f"- acceptable template among the candidates: {_share(rows, 'included')}",
             f"- draft ready to freeze: {_share(rows, 'ready')}", ""]
    for lang in ("en", "zh"):
        subset = [r for r in rows if by_id[r["id"]].lang == lang]
        lines.append(f"- {lang}: acceptable {_share(subset, 'ok')}")
    families: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for row in rows:
        family = library.get(by_id[row["id"]].expected[0]).meta.family
        families[family] += 1
        hits[family] += bool(row["ok"])
    lines += ["", "| family | acceptable |", "|---|---|"]
    lines += [f"| {f} | {hits[f]}/{n} |" for f, n in sorted(families.items())]
    lines += ["", "## Misses", ""]
    for row in rows:
        if not row["ok"]:
            item = by_id[row["id"]]
            chose = row.get("chosen") or row.get("error")
            lines.append(f"- {item.id} `{item.request}`: chose {chose}, "
                         f"expected {'/'.join(item.expected)}")
    return "\n".join(lines) + "\n"


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]] | None:
    try:
        settings = LLMSettings.from_env(os.environ)
    except SSError as exc:
        print(json.dumps(exc.to_body(), ensure_ascii=False), file=sys.stderr)
        return None
    data = load_eval()
    items = list(data.requests)
    if args.ids:
        wanted = set(args.ids.split(","))
        items = [i for i in items if i.id in wanted]
    items = items[: args.limit] if args.limit else items
    library = load_library(DEFAULT_LIBRARY)
    retriever = Retriever(library)
    llm = build_llm(settings)
    try:
        rows = [await one(llm, library, retriever, data, item) for item in items]
    finally:
        await llm.aclose()
    print(report(data, library, rows))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--ids", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    rows = asyncio.run(main_async(args))
    if rows is None:
        return 2
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
