#!/usr/bin/env python3
"""A minimal Stata batch double for the template smoke suite (tests only).

Honours the batch contract the smoke suite relies on: invoked as ``<cmd> -b -q do main.do``
in the run directory, it writes ``main.log`` echoing each command line as Stata does
(``. cmd``), creates every file named by ``export delimited using``, ``export excel using``,
``graph export``, ``putexcel set``, ``file open`` or ``save``, writes ``ss_results.csv`` with
the rows given for the template id (read from the do-file header) in the JSON file named by
``SMOKE_STATA_RESULTS`` (``{"<template id>": [{"step": ..., "term": ..., "estimate": ...}]}``),
displays ``SS_TEMPLATE_DONE`` and ends with ``end of do-file``.

Failures: a do-file line ``* SMOKE_STATA_RC <n>`` or the env var ``SMOKE_STATA_RC=<n>`` makes
it stop at the first body command with ``r(<n>);`` (then ``end of do-file`` and ``r(<n>);``
again, as batch Stata does). ``SMOKE_STATA_SLEEP=<s>`` sleeps first (timeouts).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import time
from pathlib import Path

COLUMNS = ["step", "term", "estimate", "std_error", "statistic", "p_value", "ci_lower",
           "ci_upper", "n_obs", "r2"]
WRITES = re.compile(
    r'(?:export\s+delimited\s+using|export\s+excel\s+using|graph\s+export|putexcel\s+set'
    r'|file\s+open\s+\S+\s+using|\bsave)\s+"([^"]+)"')


def main(argv: list[str]) -> int:
    if argv[:3] != ["-b", "-q", "do"] or len(argv) != 4:
        print(f"usage: stata -b -q do FILE.do (got {argv})", file=sys.stderr)
        return 2
    do_path = Path(argv[3])
    text = do_path.read_text(encoding="utf-8")
    time.sleep(float(os.environ.get("SMOKE_STATA_SLEEP", "0")))
    header = re.search(r"^\* template (\S+) ", text, re.MULTILINE)
    template_id = header.group(1) if header else ""
    directive = re.search(r"^\*\s*SMOKE_STATA_RC\s+(\d+)", text, re.MULTILINE)
    rc = int(directive.group(1)) if directive else int(os.environ.get("SMOKE_STATA_RC", "0"))
    log = ["  ___  stata double  ___", ""]
    in_body = False
    for line in text.splitlines():
        if line.startswith("* ---- template body"):
            in_body = True
        stripped = line.strip()
        if not stripped or stripped.startswith("*"):
            continue
        log.append(f". {stripped}")
        if in_body and rc:
            log += ["variable not found", f"r({rc});", "", "end of do-file", f"r({rc});"]
            break
        for name in WRITES.findall(line):
            if name not in ("primary.dta", "ss_results.csv", "analysis.log"):
                Path(name).write_bytes(b"written by the smoke double\n")
        shown = re.match(r'display as text "(SS_[A-Z_]+.*)"$', stripped)
        if shown:
            log.append(shown.group(1))
    else:
        rows_file = os.environ.get("SMOKE_STATA_RESULTS")
        rows = json.loads(Path(rows_file).read_text())[template_id] if rows_file else []
        with open("ss_results.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, ".") for c in COLUMNS})
        Path("analysis.log").write_text("\n".join(log) + "\n", encoding="utf-8")
        log += ["", ". ", "end of do-file"]
    Path(do_path.stem + ".log").write_text("\n".join(log) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
