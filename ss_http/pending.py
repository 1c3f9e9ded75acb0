"""``202`` answers for work that is still going on (a draft being made, an upload being
inspected): the same body everywhere, with ``Retry-After`` and the moment to retry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from litestar import Response

from ss_core.usecases.services import Services
from ss_http.shapes import iso
from ss_http.wire import answer

T = TypeVar("T")


def pending(kind: type[T], services: Services, job_id: str, message: str,
            retry_after_seconds: int, **extra: Any) -> Response[T]:
    """``202`` with ``{job_id, status: "pending", message, retry_after_seconds, retry_until,
    **extra}`` as ``kind``."""
    retry_until = services.clock.now() + timedelta(seconds=retry_after_seconds)
    return Response(answer(kind, {"job_id": job_id, "status": "pending", "message": message,
                                  "retry_after_seconds": retry_after_seconds,
                                  "retry_until": iso(retry_until), **extra}),
                    status_code=202, headers={"Retry-After": str(retry_after_seconds)})
