"""What a file's first bytes say it is, whatever its name claims."""

from __future__ import annotations

from ss_core.domain.dataset import DatasetFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
TEXT_OR_UNKNOWN = "text (such as CSV) or unknown binary data"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")

_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3", "an SQLite database"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def is_dta(head: bytes) -> bool:
    """Stata 13+ starts with ``<stata_dta>``; formats 104-115 start with the release byte."""
    if head.startswith(b"<stata_dta>"):
        return True
    return len(head) >= 2 and 104 <= head[0] <= 115 and head[1] in (1, 2)


def describe(head: bytes) -> tuple[str, DatasetFormat | None]:
    """A human description of the content and the dataset format it matches, if any."""
    if head.startswith(ZIP_MAGIC):
        if b"[Content_Types].xml" in head or b"xl/" in head:
            return "an Excel workbook (.xlsx)", DatasetFormat.XLSX
        return "a ZIP archive", None
    if head.startswith(OLE_MAGIC):
        if _ENCRYPTION_MARK in head:
            return "a password-protected (encrypted) Excel workbook", None
        return "an Excel 97-2003 workbook (.xls) or another Office file", DatasetFormat.XLS
    if is_dta(head):
        return "a Stata dataset (.dta)", DatasetFormat.DTA
    for signature, description in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return description, None
    return TEXT_OR_UNKNOWN, None
