"""Upload inputs, preview them, choose the Excel sheet.

Files are streamed to the object store under content-addressed keys
(``jobs/<job>/inputs/<sha256>.<format>``; the user's file name is kept only as display text).
An object, once a manifest names it, never changes: a failed or partial upload can only add
objects under other keys. The manifest is written last, so an interrupted upload leaves the
job as it was: no half dataset is ever listed.
"""

from __future__ import annotations

import asyncio
import hashlib
import unicodedata
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from ss_core.domain.artifact import Artifact, ArtifactKind
from ss_core.domain.dataset import (
    DatasetFormat,
    DatasetPreview,
    DatasetRef,
    DatasetRole,
    InputsManifest,
    InspectOptions,
    NameNormalization,
)
from ss_core.domain.plan import canonical_json
from ss_core.errors import (
    InputError,
    PayloadTooLarge,
    SSError,
    StateConflict,
    ValidationFailed,
)
from ss_core.ports.object_store import ObjectNotFound
from ss_core.usecases.archive import archive_bytes
from ss_core.usecases.inspection import (
    InspectionPending,
    PendingUpload,
    pending_key,
    read_pending,
    settled,
    superseded,
)
from ss_core.usecases.services import Services

EXTENSIONS = {".csv": DatasetFormat.CSV, ".xlsx": DatasetFormat.XLSX,
              ".xls": DatasetFormat.XLS, ".dta": DatasetFormat.DTA}
CONTENT_TYPES = {
    DatasetFormat.CSV: "text/csv",
    DatasetFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DatasetFormat.XLS: "application/vnd.ms-excel",
    DatasetFormat.DTA: "application/x-stata-dta",
}
MAX_NAME_CHARS = 200
PREVIEW_ROWS = 200  # rows kept with the cached preview (the most the endpoint serves)


class UploadSource(msgspec.Struct, frozen=True, kw_only=True):
    """One uploaded file; ``chunks`` can be read more than once. ``sha256``/``size_bytes``
    when the caller hashed the bytes while receiving them (else they are computed here);
    ``spooled``, with them, when the caller wrote the bytes to a local file it gives up: the
    store takes that file over (moved into place where it can) instead of copying it."""

    filename: str
    role: str | None
    chunks: Callable[[], AsyncIterator[bytes]]
    sha256: str | None = None
    size_bytes: int | None = None
    spooled: Path | None = None


async def _content_of(src: UploadSource) -> tuple[str, int]:
    if src.sha256 is not None and src.size_bytes is not None:
        return src.sha256, src.size_bytes
    digest, size = hashlib.sha256(), 0
    async for chunk in src.chunks():
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def clean_filename(raw: str) -> str:
    """The display name of an upload: base name only, no control characters, bounded."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        raise InputError("the file name is empty", code="INPUT_FILENAME_INVALID")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: MAX_NAME_CHARS - len(ext) - 1]}.{ext}" if dot else name[:MAX_NAME_CHARS]
    return name


def format_of(name: str) -> DatasetFormat:
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot >= 0 else ""
    if ext not in EXTENSIONS:
        raise InputError(f"{name!r}: only .csv, .xlsx, .xls and .dta files are accepted",
                         code="INPUT_UNSUPPORTED_FORMAT", filename=name,
                         accepted=sorted(EXTENSIONS))
    return EXTENSIONS[ext]


def _roles(sources: Sequence[UploadSource]) -> list[DatasetRole]:
    roles: list[DatasetRole] = []
    for i, src in enumerate(sources):
        if src.role:
            try:
                roles.append(DatasetRole(src.role))
            except ValueError:
                raise ValidationFailed(f"unknown role {src.role!r}", field="role",
                                       allowed=[r.value for r in DatasetRole]) from None
        else:
            roles.append(DatasetRole.PRIMARY if i == 0 else DatasetRole.AUXILIARY)
    primaries = roles.count(DatasetRole.PRIMARY)
    if primaries != 1:
        raise ValidationFailed(f"exactly one primary_dataset is required, got {primaries}",
                               field="role")
    return roles


def fingerprint(datasets: Sequence[DatasetRef]) -> str:
    body = [[d.role.value, d.sha256, d.format.value, d.sheet_name] for d in datasets]
    return "sha256:" + hashlib.sha256(canonical_json(body)).hexdigest()


def manifest_for(
    datasets: tuple[DatasetRef, ...], preview: DatasetPreview
) -> InputsManifest:
    schema = preview.schema
    fp = fingerprint(datasets)
    names = hashlib.sha256(canonical_json([[d.dataset_key, d.original_name]
                                           for d in datasets])).hexdigest()[:8]
    return InputsManifest(
        datasets=datasets, fingerprint=fp, primary_schema=schema,
        manifest_rel_path=f"inputs/manifest-{fp[7:19]}-{names}.json",
        normalizations=tuple(NameNormalization(c.original_name, c.name) for c in schema.columns
                             if c.original_name != c.name),
        sheet_names=preview.sheet_names, selected_sheet=preview.selected_sheet,
    )


async def _put(
    services: Services, src: UploadSource, object_key: str, content_type: str, sha256: str
) -> None:
    if src.spooled is not None and src.sha256 is not None:
        await services.store.put_file(object_key, src.spooled, content_type, sha256=sha256)
        return
    stored = await services.store.put_stream(object_key, src.chunks(), content_type,
                                             max_bytes=services.policies.max_upload_bytes)
    if stored.sha256 != sha256:
        await services.store.delete(object_key)
        raise InputError("the file changed while it was being stored; upload it again",
                         code="INPUT_PARSE_FAILED", reason="content changed during upload")


async def _store_one(
    services: Services, job_id: str, src: UploadSource, role: DatasetRole, index: int
) -> DatasetRef:
    name = clean_filename(src.filename)
    fmt = format_of(name)
    key = f"ds{index + 1}"
    sha256, size = await _content_of(src)
    limit = services.policies.max_upload_bytes
    if size > limit:
        raise PayloadTooLarge(f"a file is larger than the upload limit of {limit} bytes",
                              max_bytes=limit)
    object_key = f"jobs/{job_id}/inputs/{sha256}.{fmt.value}"
    if not await services.store.exists(object_key):  # same key, same bytes: written once
        await _put(services, src, object_key, CONTENT_TYPES[fmt], sha256)
    return DatasetRef(dataset_key=key, role=role, original_name=name, format=fmt,
                      object_key=object_key, size_bytes=size, sha256=sha256,
                      content_type=CONTENT_TYPES[fmt])


async def upload_inputs(
    services: Services, job_id: str, sources: Sequence[UploadSource]
) -> InputsManifest | InspectionPending:
    """Store the uploaded files, inspect the primary dataset and record the manifest.

    The inspection runs as its own task (``ss_core.usecases.inspection``). An upload whose
    primary is at most ``policies.inline_inspection_bytes`` waits for it and answers the
    manifest (or the inspection's error); a larger one answers ``InspectionPending`` at once.
    The answer's shape depends on the file's size only, never on the machine's load."""
    if not sources:
        raise ValidationFailed("at least one file is required", field="file")
    if len(sources) > services.policies.max_files_per_upload:
        raise ValidationFailed("too many files in one upload", field="file",
                               max_files=services.policies.max_files_per_upload)
    job = await services.jobs.get(job_id)
    job.require_inputs_open()  # refuse before storing anything
    roles = _roles(sources)
    refs = tuple([await _store_one(services, job_id, s, r, i)
                  for i, (s, r) in enumerate(zip(sources, roles, strict=True))])
    upload = PendingUpload(upload_id=services.ids.new_id("upl"), datasets=refs,
                           started_at=services.clock.now())
    await services.store.put_bytes(pending_key(job_id), msgspec.json.encode(upload),
                                   "application/json")
    task = _inspection(services, job_id, upload)
    inline = services.policies.inline_inspection_bytes
    primary = next(r for r in refs if r.role is DatasetRole.PRIMARY)
    if inline is not None and primary.size_bytes > inline:
        return InspectionPending(job_id=job_id, upload=upload)
    await settled(task, None)
    return task.result()


def _inspection(services: Services, job_id: str, upload: PendingUpload) -> asyncio.Task[
    InputsManifest
]:
    return services.inspections.ensure(
        job_id, upload.upload_id, lambda: _inspect_and_commit(services, job_id, upload))


async def _inspect_and_commit(
    services: Services, job_id: str, upload: PendingUpload
) -> InputsManifest:
    """Inspect the upload's primary and commit its manifest, if it is still the latest
    upload; a failure is recorded with the upload (and raised)."""
    try:
        primary = next(r for r in upload.datasets if r.role is DatasetRole.PRIMARY)
        preview = await services.inspector.inspect(primary.object_key, primary.format,
                                                   InspectOptions(preview_rows=PREVIEW_ROWS))
        refs = tuple(msgspec.structs.replace(r, sheet_name=preview.selected_sheet)
                     if r is primary else r for r in upload.datasets)
        manifest = manifest_for(refs, preview)
        await _cache_preview(services, job_id, manifest.primary, preview)
        latest = await read_pending(services.store.get_bytes, job_id)
        if latest is not None and latest.upload_id == upload.upload_id:
            await _commit(services, job_id, manifest)
            await services.store.delete(pending_key(job_id))
            return manifest
        job = await services.jobs.get(job_id)
        if job.inputs == manifest:  # committed by another process (or before a restart)
            return manifest
        raise superseded(job_id)
    except SSError as exc:
        latest = await read_pending(services.store.get_bytes, job_id)
        if latest is not None and latest.upload_id == upload.upload_id:
            await services.store.put_bytes(
                pending_key(job_id),
                msgspec.json.encode(msgspec.structs.replace(upload, error=exc.report())),
                "application/json")
        raise


async def settle_inputs(
    services: Services, job_id: str, *, until_done: bool = False
) -> InspectionPending | None:
    """Wait (up to ``policies.inputs_wait_seconds``, or ``until_done``) for the latest
    upload's inspection: None once the job's inputs are its manifest, the pending
    answer while it goes on; its recorded failure is raised. An upload whose task is not
    running here (a restart, another process) is inspected again."""
    upload = await read_pending(services.store.get_bytes, job_id)
    if upload is None:
        return None
    if upload.error is not None:
        raise SSError.from_report(upload.error)  # the recorded failure, for every reader
    task = _inspection(services, job_id, upload)
    if not await settled(task, None if until_done else services.policies.inputs_wait_seconds):
        return InspectionPending(job_id=job_id, upload=upload)
    task.result()
    return None


async def _commit(services: Services, job_id: str, manifest: InputsManifest) -> None:
    job = await services.jobs.get(job_id)
    now = services.clock.now()
    await archive_bytes(services, job_id, ArtifactKind.INPUTS_MANIFEST, manifest.manifest_rel_path,
                        canonical_json(msgspec.to_builtins(manifest)))
    for ref in manifest.datasets:
        await services.artifacts.add(_input_artifact(services, job_id, ref, now))
    updated = job.inputs_uploaded(manifest, at=now)
    await services.jobs.save(updated, expected_version=job.version)
    await services.audit.record(job_id=job_id, event="inputs.uploaded", at=now,
                                data={"fingerprint": manifest.fingerprint,
                                      "datasets": len(manifest.datasets)})


def _input_artifact(services: Services, job_id: str, ref: DatasetRef, now: Any) -> Artifact:
    return Artifact(
        artifact_id=services.ids.new_id("art"), job_id=job_id, kind=ArtifactKind.INPUT,
        rel_path=f"inputs/{ref.sha256[:12]}/{ref.dataset_key}.{ref.format.value}",
        object_key=ref.object_key, size_bytes=ref.size_bytes, sha256=ref.sha256,
        content_type=ref.content_type, created_at=now,
        meta={"original_name": ref.original_name, "role": ref.role.value},
    )


async def preview_inputs(services: Services, job_id: str, rows: int = 20) -> tuple[
    InputsManifest, DatasetPreview
] | InspectionPending:
    """The manifest and a bounded preview of the primary dataset (pending while the latest
    upload is being inspected)."""
    pending = await settle_inputs(services, job_id)
    if pending is not None:
        return pending
    job = await services.jobs.get(job_id)
    if job.inputs is None:
        raise StateConflict("no dataset has been uploaded for this job yet",
                            code="INPUTS_MISSING", job_id=job_id)
    primary = job.inputs.primary
    wanted = max(1, min(rows, PREVIEW_ROWS))
    key = preview_key(job_id, primary)
    try:
        cached = msgspec.json.decode(await services.store.get_bytes(key), type=DatasetPreview)
    except (ObjectNotFound, msgspec.DecodeError):  # absent (older job) or unreadable: recompute
        cached = await services.inspector.inspect(
            primary.object_key, primary.format,
            InspectOptions(sheet_name=primary.sheet_name, preview_rows=PREVIEW_ROWS))
        await _cache_preview(services, job_id, primary, cached)
    return job.inputs, msgspec.structs.replace(cached, sample_rows=cached.sample_rows[:wanted])


def preview_key(job_id: str, ref: DatasetRef) -> str:
    """Where the preview of one dataset (content + sheet) is kept: computed once, at upload."""
    sheet = hashlib.sha256((ref.sheet_name or "").encode("utf-8")).hexdigest()[:12]
    return f"jobs/{job_id}/previews/{ref.sha256[:24]}-{sheet}.json"


async def _cache_preview(
    services: Services, job_id: str, ref: DatasetRef, preview: DatasetPreview
) -> None:
    await services.store.put_bytes(preview_key(job_id, ref), msgspec.json.encode(preview),
                                   "application/json")


async def select_sheet(
    services: Services, job_id: str, sheet_name: str, rows: int = 20
) -> tuple[InputsManifest, DatasetPreview] | InspectionPending:
    """Choose the Excel sheet of the primary dataset; the manifest and draft are renewed.

    Choosing the sheet that is already selected changes nothing: it answers the current
    preview without renewing the draft, in any job status (a client re-applies its
    remembered sheet whenever it refreshes its preview)."""
    pending = await settle_inputs(services, job_id)
    if pending is not None:
        return pending
    job = await services.jobs.get(job_id)
    if job.inputs is None:
        raise StateConflict("upload a dataset before choosing a sheet", code="INPUTS_MISSING",
                            job_id=job_id)
    primary = job.inputs.primary
    if primary.format not in (DatasetFormat.XLSX, DatasetFormat.XLS):
        raise ValidationFailed("the primary dataset is not an Excel workbook",
                               field="sheet_name")
    if primary.sheet_name is not None and primary.sheet_name == sheet_name:
        return await preview_inputs(services, job_id, rows)
    preview = await services.inspector.inspect(
        primary.object_key, primary.format,
        InspectOptions(sheet_name=sheet_name, preview_rows=PREVIEW_ROWS))
    refs = tuple(msgspec.structs.replace(r, sheet_name=preview.selected_sheet)
                 if r is primary else r for r in job.inputs.datasets)
    manifest = manifest_for(refs, preview)
    await _cache_preview(services, job_id, manifest.primary, preview)
    await _commit(services, job_id, manifest)
    wanted = max(1, min(rows, PREVIEW_ROWS))
    return manifest, msgspec.structs.replace(preview, sample_rows=preview.sample_rows[:wanted])
