"""The per-run directory: create it fresh, stage inputs into it, collect what Stata produced.

Inputs are read-only in the run directory; from the local object store they are hard links
to the stored files (no bytes copied), so the run reads the staged ``.dta`` in place.

Only the run directory is Stata's working directory; the runner's own files (wrapper, side
files, the private ``.ss/`` folder holding HOME/TMPDIR and process output) and the staged
inputs are never collected as outputs. Symbolic links are never followed or collected.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator, Collection
from pathlib import Path

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.stata.wrapper import RUNNER_DIR
from ss_core.errors import StataError, ValidationFailed
from ss_core.ports.object_store import ObjectKeyInvalid, ObjectStore, StoredObject
from ss_core.ports.stata_runner import ProducedFile, StagedInput

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
_FILENAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_CHUNK = 1 << 20

CONTENT_TYPES = {
    ".csv": "text/csv", ".log": "text/plain", ".txt": "text/plain", ".smcl": "text/plain",
    ".do": "text/plain", ".png": "image/png", ".svg": "image/svg+xml", ".pdf": "application/pdf",
    ".eps": "application/postscript", ".dta": "application/x-stata-dta",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel", ".tex": "text/x-tex", ".rtf": "application/rtf",
    ".json": "application/json", ".html": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def fresh_dir(root: Path, name: str) -> Path:
    """``root/name`` emptied and recreated, with its private ``.ss/home`` and ``.ss/tmp``."""
    if not _RUN_ID.match(name) or ".." in name:
        raise ValidationFailed(f"run directory name {name!r} is not a safe name",
                               run_dir=name)
    path = root / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(mode=0o700)
    for sub in ("home", "tmp"):
        (path / RUNNER_DIR / sub).mkdir(mode=0o700, parents=True)
    return path


def remove_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def check_filename(name: str) -> str:
    if not _FILENAME.match(name) or ".." in name:
        raise StataError(f"staged input name {name!r} is not a plain ASCII file name",
                         code="INPUT_FILENAME_INVALID", filename=name)
    return name


async def stage_inputs(store: ObjectStore, directory: Path, inputs: Collection[StagedInput]
                       ) -> None:
    """Put each input's object at its file name in ``directory``, read-only: from the local
    store a hard link to the stored file (a copy across file systems), from any other store a
    streamed download."""
    for item in inputs:
        target = directory / check_filename(item.filename)
        if isinstance(store, LocalDirectoryStore):
            await asyncio.to_thread(store.materialise, item.object_key, target)
            continue
        handle = await asyncio.to_thread(target.open, "wb")
        try:
            async for chunk in store.iter_bytes(item.object_key, _CHUNK):
                await asyncio.to_thread(handle.write, chunk)
        finally:
            await asyncio.to_thread(handle.close)
        await asyncio.to_thread(target.chmod, 0o444)


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, _CHUNK):
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)


async def store_file(store: ObjectStore, path: Path, key: str, kind: str | None = None
                     ) -> StoredObject:
    return await store.put_stream(key, _chunks(path), kind or content_type(path.name))


def _candidates(directory: Path, excluded: frozenset[str]) -> list[tuple[str, Path]]:
    found = []
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        if rel.split("/")[0] == RUNNER_DIR or rel in excluded:
            continue
        if path.is_symlink() or not path.is_file():
            continue
        found.append((rel, path))
    return found


async def collect_outputs(
    store: ObjectStore,
    directory: Path,
    *,
    prefix: str,
    excluded: frozenset[str],
    declared: Collection[str],
) -> tuple[ProducedFile, ...]:
    """Store every produced file under ``prefix``; inputs and runner files are excluded."""
    produced = []
    for rel, path in await asyncio.to_thread(_candidates, directory, excluded):
        try:
            stored = await store_file(store, path, prefix + rel)
        except ObjectKeyInvalid:
            continue  # a produced file whose name cannot be a key is not archived
        produced.append(ProducedFile(name=rel, object_key=stored.key,
                                     size_bytes=stored.size_bytes, sha256=stored.sha256,
                                     declared=rel in declared))
    return tuple(produced)
