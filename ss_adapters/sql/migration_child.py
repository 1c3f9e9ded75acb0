"""Pending migrations applied by a short-lived child process.

A serving process (API or worker) that finds its database behind, on the first start over a
fresh data directory or after a release with a new revision, has the upgrade run by
``python -m ss_adapters.sql.alembic_upgrade``, so Alembic and its templating never load into the
long-lived process (about 10 MiB it would keep for its lifetime). The child takes the same
``BEGIN IMMEDIATE`` / transactional path as an in-process upgrade, its logs share this process's
stderr, and its product errors come back as the same ``SSError``; any other failure of the
child stops start-up, as an in-process failure would.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from sqlalchemy.ext.asyncio import AsyncEngine

from ss_core.errors import ErrorReport, SSError

CHILD_MODULE = "ss_adapters.sql.alembic_upgrade"
PRODUCT_ERROR_EXIT = 3


class MigrationChildFailed(RuntimeError):
    """The migration child ended without a product error (a broken script, a crash)."""


async def upgrade_in_child(engine: AsyncEngine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", CHILD_MODULE, env={**os.environ, "SS_DATABASE_URL": url},
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE)
    out, _ = await child.communicate()
    if child.returncode == 0:
        return
    if child.returncode == PRODUCT_ERROR_EXIT:
        report = ErrorReport.from_json(json.loads(out.decode("utf-8").strip().splitlines()[-1]))
        raise SSError(report.message, code=report.error_code, retryable=report.retryable,
                      fix=report.fix, **report.details)
    raise MigrationChildFailed(
        f"the schema migration process exited with status {child.returncode} "
        "(its log lines above say why)")
