"""Task codes and job tokens: redeeming a code is the only way to create a job."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from ss_core.domain.job import Job
from ss_core.domain.task_code import JobToken, TaskCode, secret_hash
from ss_core.errors import AuthError, TaskCodeError, ValidationFailed
from ss_core.usecases.services import Services


class Redeemed(msgspec.Struct, frozen=True, kw_only=True):
    job_id: str
    token: str
    expires_at: datetime
    is_idempotent: bool


class IssuedCode(msgspec.Struct, frozen=True, kw_only=True):
    task_code_id: str
    task_code: str
    expires_at: datetime
    tenant: str


def _check_requirement(services: Services, requirement: str) -> str:
    text = requirement.strip() if isinstance(requirement, str) else ""
    if not text:
        raise ValidationFailed("requirement must describe the analysis in words",
                               field="requirement")
    limit = services.policies.max_requirement_chars
    if len(text) > limit:
        raise ValidationFailed(f"requirement is longer than {limit} characters",
                               field="requirement", max_chars=limit)
    if "\x00" in text:
        raise ValidationFailed("requirement contains a NUL character", field="requirement")
    return text


def _usable(code: TaskCode | None, now: datetime) -> TaskCode:
    if code is None:
        raise TaskCodeError("this task code is not valid", code="TASK_CODE_INVALID")
    if code.revoked_at is not None:
        raise TaskCodeError("this task code was revoked", code="TASK_CODE_REVOKED")
    if code.is_expired(now):
        raise TaskCodeError("this task code has expired", code="TASK_CODE_EXPIRED",
                            expired_at=code.expires_at.isoformat())
    return code


async def redeem(services: Services, task_code: str, requirement: str) -> Redeemed:
    """Create the job for ``task_code`` (or return the one it already created)."""
    text = _check_requirement(services, requirement)
    if not isinstance(task_code, str) or not task_code.strip():
        raise ValidationFailed("task_code is required", field="task_code")
    now = services.clock.now()
    code = _usable(await services.task_codes.get_by_hash(secret_hash(task_code.strip())), now)
    token = services.ids.new_secret()
    expires = now + timedelta(hours=services.policies.token_ttl_hours)
    job = Job.created(code.job_id or services.ids.new_id("job"), requirement=text,
                      task_code_id=code.task_code_id, tenant=code.tenant, at=now)
    record = JobToken(token_hash=secret_hash(token), job_id=job.job_id, expires_at=expires,
                      created_at=now)
    stored, created = await services.task_codes.redeem(code, job, record, now)
    if not created:
        assert stored.job_id is not None
        record = msgspec.structs.replace(record, job_id=stored.job_id)
        await services.tokens.add(record)
    job_id = stored.job_id or job.job_id
    await services.audit.record(job_id=job_id, event="task_code.redeemed", at=now,
                                data={"task_code_id": code.task_code_id, "created": created})
    return Redeemed(job_id=job_id, token=token, expires_at=expires, is_idempotent=not created)


async def authorize(services: Services, token: str, job_id: str) -> JobToken:
    """The token record if ``token`` grants access to ``job_id``; else a 403 error."""
    record = await services.tokens.get_by_hash(secret_hash(token))
    now = services.clock.now()
    if record is None or record.revoked_at is not None or now >= record.expires_at:
        raise AuthError("the token is invalid, expired or revoked", code="AUTH_TOKEN_INVALID")
    if record.job_id != job_id:
        raise AuthError("the token does not grant access to this job",
                        code="AUTH_TOKEN_FORBIDDEN")
    return record


async def issue_task_codes(
    services: Services, *, count: int, expires_in_days: float, tenant: str = "default",
    label: str = "",
) -> list[IssuedCode]:
    """Issue ``count`` new task codes (returned in clear once; stored hashed)."""
    if not 1 <= count <= 1000:
        raise ValidationFailed("count must be between 1 and 1000", field="count")
    if not 0 < expires_in_days <= 3650:
        raise ValidationFailed("expires_in_days must be in (0, 3650]", field="expires_in_days")
    now = services.clock.now()
    expires = now + timedelta(days=expires_in_days)
    issued, records = [], []
    for _ in range(count):
        secret = "tc_" + services.ids.new_secret(18)
        code_id = services.ids.new_id("tcid")
        records.append(TaskCode(task_code_id=code_id, code_hash=secret_hash(secret),
                                tenant=tenant, created_at=now, expires_at=expires, label=label))
        issued.append(IssuedCode(task_code_id=code_id, task_code=secret, expires_at=expires,
                                 tenant=tenant))
    await services.task_codes.add_many(records)
    await services.audit.record(job_id=None, event="task_codes.issued", at=now,
                                data={"count": count, "tenant": tenant})
    return issued
