"""What only the local directory store can promise: paths stay under the root, no temp files."""

from __future__ import annotations

import errno
import hashlib
import os
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ss_adapters.blob import local_store, verified_digest
from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_core.errors import SSError
from tests.adapters.hashing_threads import ThreadsOfHashing


async def chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_objects_are_files_under_the_root(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("jobs/j1/a.csv", b"1,2\n", "text/csv")
    assert (tmp_path / "objects" / "jobs" / "j1" / "a.csv").read_bytes() == b"1,2\n"


async def test_rejected_stream_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    with pytest.raises(SSError):
        await store.put_stream("d/x.bin", chunks(b"a" * 3_000_000, 65536), "x/y", max_bytes=2**20)
    leftovers = [p for p in (tmp_path / "objects").rglob("*") if p.is_file()]
    assert leftovers == []


async def test_successful_writes_leave_no_temporary_file(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_stream("d/x.bin", chunks(b"a" * 3_000_000, 65536), "x/y")
    files = sorted(p.name for p in (tmp_path / "objects").rglob("*") if p.is_file())
    assert files == ["x.bin"]


async def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "objects"
    store = LocalDirectoryStore(root)
    os.symlink(outside, root / "link")
    for attempt in (
        store.put_bytes("link/stolen.txt", b"x", "text/plain"),
        store.get_bytes("link/secret.txt"),
    ):
        with pytest.raises(SSError) as excinfo:
            await attempt
        assert excinfo.value.error_code == "OBJECT_KEY_INVALID"
    assert list(outside.iterdir()) == []


async def test_symlink_inside_the_root_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "objects"
    store = LocalDirectoryStore(root)
    (root / "real").mkdir()
    os.symlink(root / "real", root / "alias")
    await store.put_bytes("alias/x.txt", b"hello", "text/plain")
    assert (root / "real" / "x.txt").read_bytes() == b"hello"


async def test_key_through_an_existing_object_is_invalid(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("a", b"file", "text/plain")
    with pytest.raises(SSError) as excinfo:
        await store.put_bytes("a/b", b"x", "text/plain")
    assert excinfo.value.error_code == "OBJECT_KEY_INVALID"
    with pytest.raises(SSError) as excinfo:
        await store.get_bytes("a/b")
    assert excinfo.value.error_code == "OBJECT_NOT_FOUND"
    assert not await store.exists("a/b")


async def test_unwritable_root_fails_probe_as_storage_unavailable(tmp_path: Path) -> None:
    root = tmp_path / "objects"
    store = LocalDirectoryStore(root)
    (root / ".ss-probe").write_text("a file where the probe directory should be")
    with pytest.raises(SSError) as excinfo:
        await store.probe()
    assert excinfo.value.error_code in ("STORAGE_UNAVAILABLE", "OBJECT_KEY_INVALID")


async def test_a_key_that_is_the_prefix_of_stored_objects_is_refused(tmp_path):
    from ss_adapters.blob.local_store import LocalDirectoryStore
    from ss_core.errors import SSError

    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("a/b", b"1", "text/plain")
    try:
        await store.put_bytes("a", b"2", "text/plain")
    except SSError as exc:
        assert exc.error_code == "OBJECT_KEY_INVALID"
    else:
        raise AssertionError("writing over a prefix directory must be refused")
    assert await store.get_bytes("a/b") == b"1"


async def test_probe_leaves_nothing_behind_and_fails_on_an_unusable_root(tmp_path):
    from ss_adapters.blob.local_store import LocalDirectoryStore
    from ss_core.errors import SSError

    root = tmp_path / "objects"
    await LocalDirectoryStore(root).probe()
    assert [p for p in root.rglob("*") if p.is_file()] == []
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    try:
        await LocalDirectoryStore(blocker).probe()
    except SSError as exc:
        assert exc.error_code == "STORAGE_UNAVAILABLE"
    else:
        raise AssertionError("a root that is a file must fail the probe")


async def test_a_file_on_the_same_filesystem_is_moved_not_copied(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    spool = tmp_path / "spool.part"
    spool.write_bytes(b"a,b\n1,2\n")
    inode = spool.stat().st_ino
    await store.put_file("jobs/j/inputs/x.csv", spool, "text/csv", sha256="0" * 64)
    target = tmp_path / "objects" / "jobs" / "j" / "inputs" / "x.csv"
    assert target.stat().st_ino == inode  # one rename: the bytes were not written again
    assert not spool.exists()


async def test_a_file_on_another_filesystem_is_copied_then_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    store = LocalDirectoryStore(tmp_path / "objects")
    spool = tmp_path / "spool.part"
    spool.write_bytes(b"a,b\n" * 100_000)
    real_replace = os.replace

    def cross_device(src, dst):
        if Path(src) == spool:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", cross_device)
    stored = await store.put_file("jobs/j/inputs/x.csv", spool, "text/csv", sha256="0" * 64)
    assert stored.size_bytes == 400_000
    assert await store.get_bytes("jobs/j/inputs/x.csv") == b"a,b\n" * 100_000
    assert not spool.exists()
    leftovers = [p.name for p in (tmp_path / "objects").rglob("*") if p.name.startswith(".ss-tmp")]
    assert leftovers == []
async def test_materialise_links_the_stored_file_read_only(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("jobs/j1/staged/primary.dta", b"dta bytes", "application/x-stata-dta")
    target = tmp_path / "run" / "primary.dta"
    target.parent.mkdir()
    assert store.materialise("jobs/j1/staged/primary.dta", target) == "linked"
    stored = store.file_path("jobs/j1/staged/primary.dta")
    assert target.stat().st_ino == stored.stat().st_ino  # the same file: no bytes copied
    assert target.stat().st_mode & 0o222 == 0
    assert target.read_bytes() == b"dta bytes"
    target.unlink()  # a run directory removed later leaves the stored object whole
    assert await store.get_bytes("jobs/j1/staged/primary.dta") == b"dta bytes"
    await store.put_bytes("jobs/j1/staged/primary.dta", b"replaced", "x/y")  # still replaceable
    assert await store.get_bytes("jobs/j1/staged/primary.dta") == b"replaced"


async def test_materialise_copies_across_file_systems(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    data = os.urandom(3_000_000)
    await store.put_bytes("jobs/j1/staged/primary.dta", data, "application/x-stata-dta")

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    target = tmp_path / "primary.dta"
    assert store.materialise("jobs/j1/staged/primary.dta", target) == "copied"
    stored = store.file_path("jobs/j1/staged/primary.dta")
    assert target.stat().st_ino != stored.stat().st_ino
    assert target.read_bytes() == data
    assert target.stat().st_mode & 0o222 == 0
    assert stored.stat().st_mode & 0o200  # a copy leaves the stored file as it was


async def test_materialise_of_a_missing_object_is_not_found(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    with pytest.raises(SSError) as caught:
        store.materialise("jobs/j1/staged/none.dta", tmp_path / "x.dta")
    assert caught.value.error_code == "OBJECT_NOT_FOUND"


def _past_the_clock(path: Path) -> None:
    """Wait until the file system's clock has moved past ``path``'s last change."""
    last = max(path.stat().st_mtime_ns, path.stat().st_ctime_ns)
    probe = path.parent / ".clock-probe"
    while True:
        probe.write_bytes(b"")
        if probe.stat().st_mtime_ns > last:
            probe.unlink()
            return
        time.sleep(0.005)


async def test_an_unchanged_file_is_not_hashed_again(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    data = b"id,wage\n1,10.5\n"
    await store.put_bytes("jobs/j1/inputs/a.csv", data, "text/csv")
    _past_the_clock(store.file_path("jobs/j1/inputs/a.csv"))
    assert await store.content_sha256("jobs/j1/inputs/a.csv") == hashlib.sha256(data).hexdigest()

    def no_read(path: Path) -> None:
        raise AssertionError("hashed again")

    monkeypatch.setattr(verified_digest, "_hash", no_read)
    assert await store.content_sha256("jobs/j1/inputs/a.csv") == hashlib.sha256(data).hexdigest()


async def test_a_same_size_change_with_its_mtime_put_back_is_hashed(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("jobs/j1/inputs/a.csv", b"id,wage\n1,10.5\n", "text/csv")
    path = store.file_path("jobs/j1/inputs/a.csv")
    _past_the_clock(path)
    await store.content_sha256("jobs/j1/inputs/a.csv")  # recorded
    before = path.stat()
    _past_the_clock(path)
    with path.open("r+b") as handle:  # same inode, same size, mtime restored: only ctime moves
        handle.write(b"id,wage\n1,99.9\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_ino == before.st_ino
    found = await store.content_sha256("jobs/j1/inputs/a.csv")
    assert found == hashlib.sha256(b"id,wage\n1,99.9\n").hexdigest()


async def test_a_racy_hash_is_not_recorded(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("jobs/j1/inputs/a.csv", b"1\n", "text/csv")
    path = store.file_path("jobs/j1/inputs/a.csv")
    future = time.time_ns() + 3600 * 10**9  # the file looks changed after the check began
    os.utime(path, ns=(future, future))
    calls = []
    real = verified_digest._hash

    def counting(p: Path) -> tuple[str, os.stat_result]:
        calls.append(p)
        return real(p)

    monkeypatch.setattr(verified_digest, "_hash", counting)
    for _ in range(2):
        assert await store.content_sha256("jobs/j1/inputs/a.csv") == hashlib.sha256(
            b"1\n").hexdigest()
    assert len(calls) == 2
    assert not verified_digest.record_path(store.root, "jobs/j1/inputs/a.csv").exists()


async def test_a_deleted_object_loses_its_record(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    await store.put_bytes("jobs/j1/inputs/a.csv", b"1\n", "text/csv")
    _past_the_clock(store.file_path("jobs/j1/inputs/a.csv"))
    await store.content_sha256("jobs/j1/inputs/a.csv")
    record = verified_digest.record_path(store.root, "jobs/j1/inputs/a.csv")
    assert record.exists()
    await store.delete("jobs/j1/inputs/a.csv")
    assert not record.exists()
    with pytest.raises(SSError) as caught:
        await store.content_sha256("jobs/j1/inputs/a.csv")
    assert caught.value.error_code == "OBJECT_NOT_FOUND"


async def test_a_stream_is_hashed_off_the_event_loop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashing = ThreadsOfHashing()
    monkeypatch.setattr(local_store, "hashlib", hashing.module())
    data = os.urandom(3_000_000)
    stored = await LocalDirectoryStore(tmp_path).put_stream("d/x.bin", chunks(data, 65536), "x/y")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert hashing.threads and threading.current_thread() not in hashing.threads
