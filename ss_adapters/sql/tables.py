"""The SS schema as SQLAlchemy Core tables (the migrations in ``versions/`` create exactly this;
a test compares the two)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ss_adapters.sql.columns import JsonDocument, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(80)

jobs = Table(
    "jobs", metadata,
    Column("job_id", ID, primary_key=True),
    Column("status", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("tenant", String(120), nullable=False),
    Column("task_code_id", ID, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("document", Text, nullable=False),
    Index(None, "status", "created_at"),
    Index(None, "created_at"),
    Index(None, "tenant"),
)

task_codes = Table(
    "task_codes", metadata,
    Column("task_code_id", ID, primary_key=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("tenant", String(120), nullable=False),
    Column("label", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("redeemed_at", UtcDateTime, nullable=True),
    Column("job_id", ID, ForeignKey("jobs.job_id"), nullable=True, unique=True),
    Index(None, "created_at"),
)

job_tokens = Table(
    "job_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("job_id", ID, ForeignKey("jobs.job_id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Index(None, "job_id"),
)

runs = Table(
    "runs", metadata,
    Column("run_id", ID, primary_key=True),
    Column("job_id", ID, ForeignKey("jobs.job_id"), nullable=False),
    Column("plan_id", ID, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status", String(32), nullable=False),
    Column("enqueued_at", UtcDateTime, nullable=False),
    Column("claim_count", Integer, nullable=False),
    Column("max_claims", Integer, nullable=False),
    Column("worker_id", String(200), nullable=True),
    Column("lease_expires_at", UtcDateTime, nullable=True),
    Column("started_at", UtcDateTime, nullable=True),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("error_code", String(64), nullable=True),
    Column("error", JsonDocument, nullable=True),
    Column("meta", JsonDocument, nullable=False),
    Index(None, "status", "enqueued_at", "run_id"),
    Index(None, "job_id"),
)

artifacts = Table(
    "artifacts", metadata,
    Column("artifact_id", ID, primary_key=True),
    Column("job_id", ID, ForeignKey("jobs.job_id"), nullable=False),
    Column("rel_path", String(1000), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("object_key", String(1200), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content_type", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("run_id", ID, nullable=True),
    Column("meta", JsonDocument, nullable=False),
    UniqueConstraint("job_id", "rel_path"),
)

audit_events = Table(
    "audit_events", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("job_id", ID, nullable=True),
    Column("event", String(120), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("data", JsonDocument, nullable=False),
    Index(None, "job_id", "id"),
)

worker_heartbeats = Table(
    "worker_heartbeats", metadata,
    Column("worker_id", String(200), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Index(None, "last_seen_at"),
)
