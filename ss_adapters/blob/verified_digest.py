"""The sha256 of a local object, trusted from its stat data while the file provably did not change.

Hashing a 1 GB input on every claim costs seconds. Like a version-control index, the local
store records, each time it hashes an object, the file's stat fingerprint (device, inode, size,
mtime and ctime in nanoseconds) next to the digest, and answers later from that record while the
fingerprint is unchanged. Every write to the file, a rename over it, a ``chmod`` or a
``touch`` moves its ctime, and no unprivileged process can set a ctime.

One race remains, the one version-control indexes call "racy": a file changed again within the
same timestamp tick as the change the record saw would keep its fingerprint. A record is
therefore written only when the file system's clock, read before hashing (the mtime of the
record's own new temporary file), is already past the file's last change: any later change then
gets a later ctime. Otherwise no record is written, and the next check hashes again.

Records live under ``<root>/.ss-verified/`` (never an object key SS writes), one JSON file per
key, named by the key's sha256 and written atomically; a missing, unreadable or foreign record
only means hashing again. See docs/decisions.md ("Inputs are not re-hashed on every claim").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

import msgspec

RECORD_DIR = ".ss-verified"
_READ_CHUNK = 1 << 20


class Fingerprint(msgspec.Struct, frozen=True):
    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int


class _Record(msgspec.Struct, frozen=True):
    key: str
    sha256: str
    fingerprint: Fingerprint


def fingerprint(st: os.stat_result) -> Fingerprint:
    return Fingerprint(device=st.st_dev, inode=st.st_ino, size=st.st_size,
                       mtime_ns=st.st_mtime_ns, ctime_ns=st.st_ctime_ns)


def record_path(root: Path, key: str) -> Path:
    name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return root / RECORD_DIR / name[:2] / name


def _recorded(root: Path, key: str) -> _Record | None:
    try:
        record = msgspec.json.decode(record_path(root, key).read_bytes(), type=_Record)
    except (OSError, msgspec.DecodeError):
        return None
    return record if record.key == key else None


def _hash(path: Path) -> tuple[str, os.stat_result]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        before = os.fstat(handle.fileno())
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest(), before


def verified_sha256(root: Path, key: str, path: Path) -> str:
    """The sha256 of ``path`` (the file of ``key``): from the record when the file's stat
    fingerprint is the recorded one, otherwise by reading the file (and recording the result
    when it is safe to trust later). ``OSError`` from the object file propagates."""
    record = _recorded(root, key)
    if record is not None and record.fingerprint == fingerprint(os.stat(path)):
        return record.sha256
    target = record_path(root, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".ss-tmp-", dir=target.parent)
    except OSError:  # records are an optimisation: without one, hash every time
        return _hash(path)[0]
    temp = Path(temp_name)
    try:
        clock_ns = os.fstat(fd).st_mtime_ns  # the file system's clock before reading
        digest, before = _hash(path)
        seen = fingerprint(before)
        if seen == fingerprint(os.stat(path)) and clock_ns > max(seen.mtime_ns, seen.ctime_ns):
            with contextlib.suppress(OSError):  # not recorded: the next check hashes again
                os.write(fd, msgspec.json.encode(_Record(key=key, sha256=digest,
                                                         fingerprint=seen)))
                os.close(fd)
                fd = -1
                os.replace(temp, target)
        return digest
    finally:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def forget(root: Path, key: str) -> None:
    """Drop the record of ``key`` (its object was deleted)."""
    with contextlib.suppress(OSError):
        record_path(root, key).unlink(missing_ok=True)
