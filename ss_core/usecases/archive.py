"""Archiving: every file the chain produces is stored and indexed as an artifact."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ss_core.domain.artifact import Artifact, ArtifactKind, content_type_for
from ss_core.errors import StorageError
from ss_core.usecases.services import Services


def object_key_for(job_id: str, rel_path: str) -> str:
    return f"jobs/{job_id}/artifacts/{rel_path}"


async def archive_bytes(
    services: Services,
    job_id: str,
    kind: ArtifactKind,
    rel_path: str,
    data: bytes,
    *,
    run_id: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Artifact:
    """Store ``data`` and index it under ``rel_path`` (idempotent for identical bytes)."""
    content_type = content_type_for(rel_path)
    stored = await services.store.put_bytes(object_key_for(job_id, rel_path), data, content_type)
    return await services.artifacts.add(Artifact(
        artifact_id=services.ids.new_id("art"), job_id=job_id, kind=kind, rel_path=rel_path,
        object_key=stored.key, size_bytes=stored.size_bytes, sha256=stored.sha256,
        content_type=content_type, created_at=services.clock.now(), run_id=run_id,
        meta=meta or {},
    ))


async def index_stored(
    services: Services,
    job_id: str,
    kind: ArtifactKind,
    rel_path: str,
    *,
    object_key: str,
    size_bytes: int,
    sha256: str,
    run_id: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Artifact:
    """Index an object that is already stored (e.g. written by the Stata runner)."""
    return await services.artifacts.add(Artifact(
        artifact_id=services.ids.new_id("art"), job_id=job_id, kind=kind, rel_path=rel_path,
        object_key=object_key, size_bytes=size_bytes, sha256=sha256,
        content_type=content_type_for(rel_path), created_at=services.clock.now(),
        run_id=run_id, meta=meta or {},
    ))


async def list_artifacts(services: Services, job_id: str) -> list[Artifact]:
    """The job's artifact index, oldest first (``JOB_NOT_FOUND`` when the job is absent)."""
    return list(await services.artifacts.index(job_id))


async def open_artifact(
    services: Services, job_id: str, rel_path: str
) -> tuple[Artifact, AsyncIterator[bytes]]:
    """An indexed artifact and a stream of its bytes (``ARTIFACT_NOT_FOUND`` otherwise)."""
    artifact = await services.artifacts.get(job_id, rel_path)
    if not await services.store.exists(artifact.object_key):
        raise StorageError("the artifact is indexed but its bytes are not in the object store",
                           rel_path=rel_path)
    return artifact, services.store.iter_bytes(artifact.object_key)
