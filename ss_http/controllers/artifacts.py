"""The artifact index and downloads (indexed artifacts only)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from ss_core.domain.artifact import Artifact, display_name, latest_per_name
from ss_core.usecases.archive import list_artifacts, open_artifact
from ss_http.access import JobId, Req, provide_job_id, services_of
from ss_http.shapes import artifact_item
from ss_http.wire import ArtifactIndex, answer


def artifact_stream(artifact: Artifact, chunks: AsyncIterator[bytes]) -> Stream:
    """One artifact as an attachment download (shared by the job and the admin routes)."""
    name = display_name(artifact.rel_path)
    return Stream(chunks, media_type=artifact.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "X-SS-Artifact-Sha256": artifact.sha256,
        "Content-Length": str(artifact.size_bytes),
    })


class ArtifactController(Controller):
    path = "/v1/jobs/{job_id:str}/artifacts"
    tags = ["artifacts"]
    dependencies = {"job": Provide(provide_job_id)}

    @get("", summary="Index of the job's artifacts (one per file name unless history=true)")
    async def index(self, request: Req, job: JobId,
                    history: FromQuery[bool] = False) -> ArtifactIndex:
        """By default each file name appears once, the newest file of that name (a retried
        run's outputs supersede the failed attempt's); ``history=true`` lists every file."""
        items = await list_artifacts(services_of(request), job)
        shown = items if history else latest_per_name(list(items))
        return answer(ArtifactIndex, {"job_id": job, "artifacts": [artifact_item(a)
                                                                   for a in shown]})

    @get("/{rel_path:path}", summary="Download one indexed artifact")
    async def download(self, request: Req, job: JobId, rel_path: FromPath[str]) -> Stream:
        artifact, chunks = await open_artifact(services_of(request), job, rel_path.lstrip("/"))
        return artifact_stream(artifact, chunks)
