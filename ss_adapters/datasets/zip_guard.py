"""Refuse a workbook whose ZIP container would expand beyond sane limits (a zip bomb).

The central directory is read before any member is decompressed; the declared sizes are
binding because Python's zip reader stops at a member's declared size.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import msgspec

from ss_adapters.datasets.input_errors import parse_failed


class ZipLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_members: int = 10_000
    max_total_uncompressed: int = 1 << 30
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 8 << 20  # ratios below this uncompressed size are not checked


def check_zip(path: Path, limits: ZipLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise parse_failed(
            "the workbook is damaged or truncated (its ZIP container is unreadable)"
        ) from exc
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
        if member.file_size < limits.ratio_floor_bytes:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise parse_failed(
                f"the workbook part {member.filename!r} is compressed {ratio:.0f}:1, "
                "which looks like a zip bomb",
                member=member.filename,
                ratio=round(ratio),
            )
