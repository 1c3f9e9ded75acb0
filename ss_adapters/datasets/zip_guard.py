"""Refuse a workbook whose ZIP container would expand beyond sane limits (a zip bomb).

The central directory is read before any member is decompressed; the declared sizes are
binding because Python's zip reader stops at a member's declared size. Bounds: the number of
parts, the total and per-part uncompressed bytes, the compression ratio of each large part
and of the archive as a whole, and the number of shared strings. openpyxl keeps every shared
string in a Python list even in read-only mode (tens of bytes compressed become ~100 bytes of
memory and ~10 us of CPU each), so ``xl/sharedStrings.xml`` is counted by a streaming scan
that stops at the bound, before openpyxl sees it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import msgspec

from ss_adapters.datasets.input_errors import parse_failed

SHARED_STRINGS = re.compile(r"(^|/)sharedStrings\d*\.xml$", re.IGNORECASE)
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?si[\s/>]")
_OVERLAP = 24  # longer than any match, so one cut across a block boundary is counted once
_SCAN_CHUNK = 1 << 20


class ZipLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_members: int = 10_000
    max_total_uncompressed: int = 1 << 30
    max_member_uncompressed: int = 512 << 20
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 8 << 20  # ratios below this uncompressed size are not checked
    max_shared_strings: int = 1_000_000


def _check_ratio(name: str, uncompressed: int, compressed: int, limits: ZipLimits) -> None:
    if uncompressed < limits.ratio_floor_bytes:
        return
    ratio = uncompressed / max(compressed, 1)
    if ratio > limits.max_ratio:
        raise parse_failed(
            f"the workbook part {name!r} is compressed {ratio:.0f}:1, which looks like a zip bomb",
            member=name, ratio=round(ratio))


def count_shared_strings(archive: zipfile.ZipFile, member: zipfile.ZipInfo, stop: int) -> int:
    """How many ``<si>`` entries the part holds; stops counting once past ``stop``."""
    count, tail = 0, b""
    with archive.open(member) as stream:
        while count <= stop:
            block = stream.read(_SCAN_CHUNK)
            window = tail + block
            if not block:
                return count + len(_SI.findall(window))
            cut = max(len(window) - _OVERLAP, 0)
            count += sum(1 for m in _SI.finditer(window) if m.start() < cut)
            tail = window[cut:]
    return count


def check_zip(path: Path, limits: ZipLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_members(members, limits)
            for member in members:
                if SHARED_STRINGS.search(member.filename):
                    found = count_shared_strings(archive, member, limits.max_shared_strings)
                    if found > limits.max_shared_strings:
                        raise parse_failed(
                            f"the workbook has more than {limits.max_shared_strings} distinct "
                            "text cells; export the sheet as CSV instead",
                            max_shared_strings=limits.max_shared_strings)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise parse_failed(
            "the workbook is damaged or truncated (its ZIP container is unreadable)"
        ) from exc


def _check_members(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.max_members:
        raise parse_failed(
            f"the workbook has {len(members)} parts, more than the {limits.max_members} allowed",
            members=len(members),
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_total_uncompressed:
        raise parse_failed(
            "the workbook would expand to more than "
            f"{limits.max_total_uncompressed // (1 << 20)} MiB when opened",
            uncompressed_bytes=total,
        )
    for member in members:
        if member.file_size > limits.max_member_uncompressed:
            raise parse_failed(
                f"the workbook part {member.filename!r} would expand to more than "
                f"{limits.max_member_uncompressed // (1 << 20)} MiB when opened",
                member=member.filename, uncompressed_bytes=member.file_size)
        _check_ratio(member.filename, member.file_size, member.compress_size, limits)
    _check_ratio("(whole archive)", total, sum(m.compress_size for m in members), limits)
