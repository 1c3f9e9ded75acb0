"""Task codes (the only way to create a job) and job tokens. Both are stored hashed."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

import msgspec


def secret_hash(secret: str) -> str:
    """The stored form of a task code or token (sha256 hex; secrets are high-entropy)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hashes_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))


class TaskCode(msgspec.Struct, frozen=True, kw_only=True):
    task_code_id: str
    code_hash: str
    tenant: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    redeemed_at: datetime | None = None
    job_id: str | None = None
    label: str = ""

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class JobToken(msgspec.Struct, frozen=True, kw_only=True):
    token_hash: str
    job_id: str
    expires_at: datetime
    created_at: datetime
    revoked_at: datetime | None = None
