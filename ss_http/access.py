"""Dependencies shared by controllers: the services bundle and bearer-token job access."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath

from ss_core.domain.task_code import hashes_equal, secret_hash
from ss_core.errors import AuthError
from ss_core.usecases.access import authorize
from ss_core.usecases.services import Services

Req = Request[Any, Any, Any]
JobId = NamedDependency[str]
AdminOk = NamedDependency[bool]


def services_of(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


def bearer_token(request: Request[Any, Any, Any]) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise AuthError("Authorization: Bearer <token> is required",
                        code="AUTH_BEARER_TOKEN_MISSING")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token or len(token) > 512:
        raise AuthError("the Authorization header must be 'Bearer <token>'",
                        code="AUTH_BEARER_TOKEN_INVALID")
    return token


async def provide_job_id(request: Request[Any, Any, Any], job_id: FromPath[str]) -> str:
    """The path's job id, once the bearer token is proven to grant access to it."""
    await authorize(services_of(request), bearer_token(request), job_id)
    return job_id


def require_admin(request: Request[Any, Any, Any]) -> None:
    expected = request.app.state.admin_token_hash
    token = bearer_token(request)
    if not expected or not hashes_equal(secret_hash(token), expected):
        raise AuthError("the admin token is invalid or no admin token is configured "
                        "(SS_ADMIN_TOKEN)", code="AUTH_ADMIN_TOKEN_INVALID")
