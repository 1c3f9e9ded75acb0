"""``LocalDirectoryStore``: objects as files under one root directory (the embedded default).

Writes go to a temporary file in the target's directory, are fsynced, then renamed over the
target (``os.replace``) and the directory is fsynced: a reader sees the old file or the whole
new one. Every path is resolved (symlinks included) and must stay under the root. Blocking
file calls run in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from ss_adapters.blob.errors import not_found, too_large
from ss_adapters.blob.keys import single_chunk, validate_key
from ss_adapters.blob.verified_digest import forget, verified_sha256
from ss_core.ports.object_store import (
    ObjectKeyInvalid,
    StorageUnavailable,
    StoredObject,
)

_WRITE_BUFFER = 1 << 20
_TEMP_PREFIX = ".ss-tmp-"
# os.link failures after which a copy is made: another file system, or one (or a policy such
# as protected_hardlinks) that refuses hard links, or the file's link count is at its limit.
_NO_LINK = frozenset({errno.EXDEV, errno.EPERM, errno.EACCES, errno.EMLINK, errno.ENOTSUP,
                      errno.EOPNOTSUPP})


@contextlib.contextmanager
def _os_failures(key: str, *, reading: bool = False) -> Iterator[None]:
    try:
        yield
    except FileNotFoundError as exc:
        raise not_found(key) from exc
    except IsADirectoryError as exc:
        if reading:
            raise not_found(key) from exc
        raise ObjectKeyInvalid(
            f"Object key {key!r} is the prefix of existing objects.",
            key=key,
            reason="other objects are stored under this key as a prefix",
        ) from exc
    except (NotADirectoryError, FileExistsError) as exc:
        if reading:
            raise not_found(key) from exc
        raise ObjectKeyInvalid(
            f"Object key {key!r} passes through an existing object.",
            key=key,
            reason="a leading part of the key is itself an object",
        ) from exc
    except OSError as exc:
        raise StorageUnavailable(
            "The local object directory failed an I/O operation.",
            key=key,
            reason=exc.strerror or type(exc).__name__,
            errno=errno.errorcode.get(exc.errno or 0, ""),
        ) from exc


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _PendingWrite:
    """A temporary file beside the target; ``commit`` renames it into place."""

    def __init__(self, target: Path) -> None:
        self.target = target
        fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        self.temp = Path(name)
        self.handle: BinaryIO = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.temp, self.target)
        _fsync_dir(self.target.parent)

    def discard(self) -> None:
        self.handle.close()
        self.temp.unlink(missing_ok=True)


class LocalDirectoryStore:
    """An ``ObjectStore`` over a directory; see the module doc for its guarantees."""

    def __init__(self, root: Path | str) -> None:
        root_path = Path(root)
        with contextlib.suppress(OSError):  # an unusable root is reported by probe()
            root_path.mkdir(parents=True, exist_ok=True)
        self._root = root_path.resolve()

    @property
    def root(self) -> Path:
        return self._root

    def _resolve(self, key: str) -> Path:
        validate_key(key)
        path = self._root.joinpath(*key.split("/")).resolve()
        if path == self._root or not path.is_relative_to(self._root):
            raise ObjectKeyInvalid(
                f"Object key {key!r} resolves outside the store.",
                key=key,
                reason="the key (or a symlink on its path) leaves the store's root",
            )
        return path

    def _open_pending(self, key: str) -> _PendingWrite:
        target = self._resolve(key)
        with _os_failures(key):
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(self._root):
                raise ObjectKeyInvalid(
                    f"Object key {key!r} resolves outside the store.", key=key
                )
            return _PendingWrite(target)

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> StoredObject:
        return await self.put_stream(key, single_chunk(data), content_type)

    async def put_file(
        self, key: str, path: Path, content_type: str, *, sha256: str
    ) -> StoredObject:
        size = await asyncio.to_thread(self._adopt, key, Path(path))
        return StoredObject(key=key, size_bytes=size, sha256=sha256, content_type=content_type)

    def _adopt(self, key: str, path: Path) -> int:
        """Move ``path`` over the key's file (same filesystem: one rename, the data fsynced
        first), else copy it through a pending write; the source is gone either way."""
        target = self._resolve(key)
        with _os_failures(key):
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(self._root):
                raise ObjectKeyInvalid(f"Object key {key!r} resolves outside the store.",
                                       key=key)
            with path.open("rb") as source:
                size = os.fstat(source.fileno()).st_size
                os.fsync(source.fileno())
                try:
                    os.replace(path, target)
                except OSError as exc:
                    if exc.errno != errno.EXDEV:
                        raise
                    pending = _PendingWrite(target)
                    try:
                        shutil.copyfileobj(source, pending.handle, _WRITE_BUFFER)
                        pending.commit()
                    except BaseException:
                        pending.discard()
                        raise
                    path.unlink()
                    return size
            _fsync_dir(target.parent)
        return size

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        *,
        max_bytes: int | None = None,
    ) -> StoredObject:
        pending = await asyncio.to_thread(self._open_pending, key)
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray()
        committed = False
        try:
            async for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise too_large(key, max_bytes)
                buffer += chunk
                if len(buffer) >= _WRITE_BUFFER:
                    await asyncio.to_thread(self._write, key, pending, bytes(buffer), digest)
                    buffer.clear()
            await asyncio.to_thread(self._finish, key, pending, bytes(buffer), digest)
            committed = True
        finally:
            if not committed:
                await asyncio.to_thread(pending.discard)
        return StoredObject(
            key=key, size_bytes=size, sha256=digest.hexdigest(), content_type=content_type
        )

    # Hashed in the worker thread with the write (hashlib releases the GIL): a large stream,
    # such as a dataset staged in the background, does not hold the event loop.
    @staticmethod
    def _write(key: str, pending: _PendingWrite, data: bytes, digest: hashlib._Hash) -> None:
        digest.update(data)
        with _os_failures(key):
            pending.write(data)

    @staticmethod
    def _finish(key: str, pending: _PendingWrite, data: bytes, digest: hashlib._Hash) -> None:
        LocalDirectoryStore._write(key, pending, data, digest)
        with _os_failures(key):
            pending.commit()

    def file_path(self, key: str) -> Path:
        """The file holding ``key``, to be read in place (``OBJECT_NOT_FOUND`` when absent).
        An object is replaced only by a whole new file renamed over it, so a reader that has
        opened this path keeps reading one complete object."""
        path = self._resolve(key)
        if not path.is_file():
            raise not_found(key)
        return path

    def _read_all(self, key: str) -> bytes:
        path = self._resolve(key)
        with _os_failures(key, reading=True):
            return path.read_bytes()

    async def get_bytes(self, key: str) -> bytes:
        return await asyncio.to_thread(self._read_all, key)

    def _open_reader(self, key: str) -> BinaryIO:
        path = self._resolve(key)
        with _os_failures(key, reading=True):
            if path.is_dir():
                raise not_found(key)
            return path.open("rb")

    async def iter_bytes(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self._open_reader, key)
        try:
            while True:
                with _os_failures(key, reading=True):
                    chunk = await asyncio.to_thread(handle.read, chunk_size)
                if not chunk:
                    return
                yield chunk
        finally:
            handle.close()

    def _is_file(self, key: str) -> bool:
        return self._resolve(key).is_file()

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._is_file, key)

    def _unlink(self, key: str) -> None:
        path = self._resolve(key)
        with _os_failures(key):
            if not path.is_dir():
                path.unlink(missing_ok=True)
                forget(self._root, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._unlink, key)

    async def probe(self) -> None:
        if not await asyncio.to_thread(self._root.is_dir):
            raise StorageUnavailable("The local object store root is not a usable directory.",
                                     reason="missing, not a directory, or not creatable",
                                     fix="point SS_OBJECT_STORE at a writable directory")
        key = f".ss-probe/{uuid.uuid4().hex}"
        payload = b"ss object store probe"
        try:
            await self.put_bytes(key, payload, "text/plain")
            if await self.get_bytes(key) != payload:
                raise StorageUnavailable(
                    "The local object directory returned different bytes than written.",
                    root=str(self._root),
                )
        finally:
            with contextlib.suppress(StorageUnavailable):
                await self.delete(key)

    def _content_sha256(self, key: str) -> str:
        path = self._resolve(key)
        with _os_failures(key, reading=True):
            if path.is_dir():
                raise not_found(key)
            return verified_sha256(self._root, key, path)

    async def content_sha256(self, key: str) -> str:
        """The object's sha256 now: from the record of its last hashing while the file's stat
        fingerprint is unchanged, otherwise read and hashed (see ``verified_digest``)."""
        return await asyncio.to_thread(self._content_sha256, key)

    def materialise(self, key: str, target: Path) -> Literal["linked", "copied"]:
        """Put the object at ``target`` (a new file) for a reader, read-only: a hard link to
        the stored file when the file system allows it, otherwise a copy of its bytes. The
        link shares the stored file, which is therefore made read-only too (objects are only
        ever replaced by renaming a new file over them, which that does not hinder)."""
        source = self.file_path(key)
        with _os_failures(key, reading=True):
            try:
                os.link(source, target)
                how: Literal["linked", "copied"] = "linked"
            except OSError as exc:
                if exc.errno not in _NO_LINK:
                    raise
                shutil.copyfile(source, target)
                how = "copied"
            mode = os.stat(target).st_mode
            writable = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
            if mode & writable:
                os.chmod(target, stat.S_IMODE(mode) & ~writable)
            return how
