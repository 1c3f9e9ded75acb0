"""How a CSV file is written: its encoding, delimiter and whether it has a header.

Decided from the first megabyte: a BOM wins; otherwise the first strict decode among UTF-8,
GBK and GB18030 (charset-normalizer only when all fail). Binary content (NUL bytes, control
characters, a known binary signature) is refused with what the file looks like. The
delimiter is the candidate among ``,`` tab ``;`` ``|`` that splits the first records into
the most consistent number (> 1) of fields.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import charset_normalizer
import msgspec

from ss_adapters.datasets.content_sniffing import TEXT_OR_UNKNOWN, describe
from ss_adapters.datasets.header_detection import looks_like_header
from ss_adapters.datasets.input_errors import empty, parse_failed

SAMPLE_BYTES = 1 << 20
SNIFF_RECORDS = 50
DELIMITERS = (",", "\t", ";", "|")
_CONTROL_SHARE_LIMIT = 0.05  # random bytes have ~11%; text with a stray one passes
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")  # all but tab, CR, LF


class CsvDialect(msgspec.Struct, frozen=True, kw_only=True):
    encoding: str
    delimiter: str
    has_header: bool
    names: tuple[str, ...]
    skip_records: int = 0  # leading blank records, plus the header record


def _complete_lines(head: bytes, complete: bool) -> bytes:
    if complete:
        return head
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > 0 else head


def _ends_a_line(head: bytes) -> bool:
    """Whether the first non-blank record ends inside ``head`` (else names would be cut)."""
    start = len(head) - len(head.lstrip(b" \t\r\n\xef\xbb\xbf\xff\xfe"))
    return head.find(b"\n", start) >= 0 or head.find(b"\r", start) >= 0


def detect_encoding(sample: bytes, complete: bool = True) -> str:
    """The encoding of ``sample``; an incomplete sample may end inside a character."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if complete or exc.start < len(sample) - 4:
                continue
        return encoding
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise parse_failed("the text encoding could not be recognised; save the file as UTF-8")
    return str(best.encoding)


def _refuse_binary(head: bytes, text: str | None) -> None:
    what, fmt = describe(head)
    if fmt is not None or what != TEXT_OR_UNKNOWN:
        raise parse_failed(
            f"the file is named .csv but looks like {what}"
            + (f"; upload it with the .{fmt.value} extension" if fmt is not None else ""),
            looks_like=what,
        )
    if text is None:
        raise parse_failed("the file contains NUL bytes: it is binary data, not CSV text",
                           looks_like="binary data")
    if text and control_count(text) / len(text) > _CONTROL_SHARE_LIMIT:
        raise parse_failed("the file contains control characters: it is binary data, not CSV "
                           "text", looks_like="binary data")


def control_count(text: str) -> int:
    """How many control characters (other than tab, CR and LF; DEL included) ``text`` has.
    A regular expression, not a per-character loop: it runs on every megabyte sample."""
    return len(_CONTROL.findall(text))


def sniff_delimiter(text: str) -> str:
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        records = _records(text, delimiter)
        counts = [len(r) for r in records if r]
        if not counts:
            continue
        modal, hits = Counter(counts).most_common(1)[0]
        if modal < 2:
            continue
        score = (hits / len(counts), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) >= SNIFF_RECORDS:
                break
    except csv.Error:
        return records  # an unterminated quote at the sample's end: judge what was read
    return records


def _check_widths(records: list[list[str]], width: int, first_number: int) -> None:
    """The parser would drop or misplace fields beyond the header: refuse such a row here."""
    for number, record in enumerate(records, start=first_number):
        if len(record) > width:
            raise parse_failed(
                f"record {number} has {len(record)} fields but the header has {width}; "
                "check the delimiter and that every row has one value per column",
                record=number,
            )


def detect_dialect(path: Path) -> CsvDialect:
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES + 1)
    complete = len(head) <= SAMPLE_BYTES
    head = head[:SAMPLE_BYTES]
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise empty("the file is empty")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        _refuse_binary(head, None)
    if not complete and not _ends_a_line(head):
        raise parse_failed(
            f"the first row is longer than {SAMPLE_BYTES // (1 << 20)} MiB; SS reads headers "
            "up to that size: keep only the columns the analysis needs",
            max_header_bytes=SAMPLE_BYTES)
    sample = _complete_lines(head, complete)
    encoding = detect_encoding(sample, complete or sample != head)
    text = sample.decode(encoding, errors="replace")
    _refuse_binary(head, text)
    delimiter = sniff_delimiter(text)
    records = _records(text, delimiter)
    position = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if position is None:
        raise empty("the file has only blank lines")
    first = records[position]
    has_header = looks_like_header(first)
    names = tuple(c.strip() for c in first) if has_header else ()
    if has_header:
        checked = records if complete else records[:-1]
        _check_widths(checked[position + 1 :], len(names), position + 2)
    return CsvDialect(
        encoding=encoding,
        delimiter=delimiter,
        has_header=has_header,
        names=names,
        skip_records=position + (1 if has_header else 0),
    )
