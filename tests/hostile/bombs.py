"""Builders of hostile dataset files (memory and CPU bombs) and a peak-memory probe.

``peak_rss_growth`` runs a callable in a forked child and reports how far the child's peak
resident memory rose above what it inherited, so a test can bound the memory an attack costs.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
import zipfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import pandas as pd
import pyreadstat


def dta_bomb(path: Path, variables: int, declared_rows: int = 10**9) -> Path:
    """A one-observation .dta of ``variables`` string variables whose header declares
    ``declared_rows`` observations (the 8-byte ``<N>`` field of format 118 patched)."""
    frame = pd.DataFrame({f"s{i}": ["x"] for i in range(variables)})
    pyreadstat.write_dta(frame, str(path), version=14)
    data = bytearray(path.read_bytes())
    at = data.index(b"<N>") + 3
    data[at:at + 8] = declared_rows.to_bytes(8, "little")
    path.write_bytes(bytes(data))
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet name="Sheet1" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>y</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>label</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>'
        "</sheetData></worksheet>"),
}


def xlsx_shared_strings_bomb(path: Path, strings: int) -> Path:
    """A valid workbook whose ``sharedStrings.xml`` holds ``strings`` tiny entries (a random
    letter every 20th, so the compression ratio stays near 150:1, under the zip guard)."""
    letters = random.Random(1)
    body = "".join(
        f"<si><t>{letters.choice('abcdefghij') if i % 20 == 0 else 'a'}</t></si>"
        for i in range(strings))
    shared = (f'<sst xmlns="{_MAIN}" count="{strings}" uniqueCount="{strings}">{body}</sst>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in _PARTS.items():
            out.writestr(name, text)
        out.writestr("xl/sharedStrings.xml", shared)
    return path


def _child(work: Callable[[], object], pipe: Connection) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        outcome: object = work()
    except Exception as exc:  # the outcome under test may be a refusal
        outcome = exc
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pipe.send((repr(outcome), getattr(outcome, "error_code", None), (after - before) * 1024,
               elapsed))


def peak_rss_growth(work: Callable[[], object],
                    timeout: float = 300) -> tuple[str, str | None, int, float]:
    """(repr of outcome, its error_code, peak RSS growth in bytes, seconds) of ``work()``."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    child = context.Process(target=_child, args=(work, theirs))
    child.start()
    try:
        if not ours.poll(timeout):
            raise TimeoutError(f"the work did not finish in {timeout} s")
        result: tuple[str, str | None, int, float] = ours.recv()
        return result
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()
