"""Initial schema: jobs, task codes, job tokens, runs (the queue), artifacts, audit events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ss_adapters.sql.columns import JsonDocument, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(80)


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def _job_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["job_id"], ["jobs.job_id"], name=f"fk_{table}_job_id_jobs")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("job_id", ID, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant", sa.String(120), nullable=False),
        sa.Column("task_code_id", ID, nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_status_created_at", "jobs", ["status", "created_at"])
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_index("ix_jobs_tenant", "jobs", ["tenant"])

    op.create_table(
        "task_codes",
        sa.Column("task_code_id", ID, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("tenant", sa.String(120), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        _when("revoked_at", nullable=True),
        _when("redeemed_at", nullable=True),
        sa.Column("job_id", ID, nullable=True),
        _job_fk("task_codes"),
        sa.PrimaryKeyConstraint("task_code_id", name="pk_task_codes"),
        sa.UniqueConstraint("code_hash", name="uq_task_codes_code_hash"),
        sa.UniqueConstraint("job_id", name="uq_task_codes_job_id"),
    )
    op.create_index("ix_task_codes_created_at", "task_codes", ["created_at"])

    op.create_table(
        "job_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("job_id", ID, nullable=False),
        _when("created_at"),
        _when("expires_at"),
        _when("revoked_at", nullable=True),
        _job_fk("job_tokens"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_job_tokens"),
    )
    op.create_index("ix_job_tokens_job_id", "job_tokens", ["job_id"])

    op.create_table(
        "runs",
        sa.Column("run_id", ID, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        _when("enqueued_at"),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("max_claims", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(200), nullable=True),
        _when("lease_expires_at", nullable=True),
        _when("started_at", nullable=True),
        _when("ended_at", nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error", JsonDocument(), nullable=True),
        sa.Column("meta", JsonDocument(), nullable=False),
        _job_fk("runs"),
        sa.PrimaryKeyConstraint("run_id", name="pk_runs"),
    )
    op.create_index(
        "ix_runs_status_enqueued_at_run_id", "runs", ["status", "enqueued_at", "run_id"]
    )
    op.create_index("ix_runs_job_id", "runs", ["job_id"])

    op.create_table(
        "artifacts",
        sa.Column("artifact_id", ID, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("rel_path", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("object_key", sa.String(1200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        _when("created_at"),
        sa.Column("run_id", ID, nullable=True),
        sa.Column("meta", JsonDocument(), nullable=False),
        _job_fk("artifacts"),
        sa.PrimaryKeyConstraint("artifact_id", name="pk_artifacts"),
        sa.UniqueConstraint("job_id", "rel_path", name="uq_artifacts_job_id_rel_path"),
    )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("job_id", ID, nullable=True),
        sa.Column("event", sa.String(120), nullable=False),
        _when("at"),
        sa.Column("data", JsonDocument(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_job_id_id", "audit_events", ["job_id", "id"])


def downgrade() -> None:
    for table in ("audit_events", "artifacts", "runs", "job_tokens", "task_codes", "jobs"):
        op.drop_table(table)
