"""POST /v1/task-codes/redeem: the only way to create a job.

Failed redemptions are rate limited per client address and per code prefix
(``SS_REDEEM_RATE_PER_MINUTE``, see ``ss_http.rate_limit``): a client that guesses codes gets
``429 RATE_LIMITED``; a valid code is never refused because others failed from its address.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, post
from litestar.params import Body

from ss_core.errors import SSError
from ss_core.usecases.access import redeem
from ss_http.access import services_of
from ss_http.rate_limit import RedeemLimits
from ss_http.shapes import iso
from ss_http.wire import RedeemAnswer


class RedeemBody(msgspec.Struct, frozen=True):
    task_code: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    requirement: Annotated[str, msgspec.Meta(min_length=1, max_length=20000)]


class TaskCodeController(Controller):
    path = "/v1/task-codes"
    tags = ["task codes"]

    @post("/redeem", status_code=200, summary="Redeem a task code for a job and its token")
    async def redeem(
        self, request: Request[Any, Any, Any], data: Annotated[RedeemBody, Body()]
    ) -> RedeemAnswer:
        limits: RedeemLimits = request.app.state.redeem_limiter
        client = request.client.host if request.client else "unknown"
        address_exhausted = limits.before(client, data.task_code)
        try:
            result = await redeem(services_of(request), data.task_code, data.requirement)
        except SSError as exc:
            if exc.error_code.startswith(("TASK_CODE_", "INPUT_")):
                limits.failed(client, data.task_code)
                if address_exhausted:
                    limits.by_address.check(client)  # raises RATE_LIMITED
            raise
        return RedeemAnswer(job_id=result.job_id, token=result.token,
                            expires_at=iso(result.expires_at) or "",
                            is_idempotent=result.is_idempotent)
