"""What only the local directory store can promise: paths stay under the root, no temp files."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_core.errors import SSError


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
    leftovers = [p.name for p in (tmp_path / "objects").rglob("*") if p.name.startswith(".ss-")]
    assert leftovers == []
