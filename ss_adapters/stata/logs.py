"""Read Stata logs safely: bounded in memory, decoded without trusting the platform encoding.

Logs are UTF-8 from Stata 14 on; logs written on Chinese Windows set-ups can be GBK. A chunk
is decoded as UTF-8 unless that produces clearly more replacement characters than GB18030
(a superset of GBK). Huge logs are read as head + tail only; the raw file stays the artifact.
"""

from __future__ import annotations

from pathlib import Path

_REPLACEMENT = "\ufffd"


def decode_log(raw: bytes) -> str:
    """Text of a log chunk: UTF-8, or GB18030 when UTF-8 clearly does not fit."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    as_utf8 = raw.decode("utf-8", errors="replace")
    as_gb = raw.decode("gb18030", errors="replace")
    if as_gb.count(_REPLACEMENT) + 2 < as_utf8.count(_REPLACEMENT):
        return as_gb
    return as_utf8


def read_bounded(path: Path, limit: int) -> tuple[str, int]:
    """(text, size): the whole file when ``size <= limit``, else head + marker + tail.

    The head is a quarter of ``limit``; the tail (where Stata reports the outcome) the rest.
    A missing file reads as empty text with size 0.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "", 0
    with path.open("rb") as handle:
        if size <= limit:
            return decode_log(handle.read()), size
        head_len = limit // 4
        head = handle.read(head_len)
        handle.seek(size - (limit - head_len))
        tail = handle.read()
    head_text = decode_log(head).rsplit("\n", 1)[0]
    tail_text = decode_log(tail).split("\n", 1)[-1]
    omitted = size - len(head) - len(tail)
    return f"{head_text}\n... [{omitted} bytes of log omitted] ...\n{tail_text}", size


def read_small(path: Path, limit: int = 65_536) -> str | None:
    """A small side file's text, or None when it does not exist."""
    try:
        with path.open("rb") as handle:
            return decode_log(handle.read(limit))
    except FileNotFoundError:
        return None
