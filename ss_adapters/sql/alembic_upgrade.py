"""Alembic, for the moments it is needed: applying pending migrations and reading the head of
the scripts under ``migrations/``. Imported only when a database is behind (a fresh data
directory, a release with a new revision) or by ``ssctl migrate``: an up-to-date database is
checked with plain SQL (``ss_adapters.sql.schema``) and a serving process never loads Alembic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def scripts_head() -> str:
    """The newest revision among the migration scripts."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration revisions under {MIGRATIONS_DIR}")
    return head


def upgrade_to_head(sync_connection: Any) -> None:
    """Apply every pending migration on ``sync_connection`` (inside its transaction)."""
    config = alembic_config()
    config.attributes["connection"] = sync_connection
    command.upgrade(config, "head")


def main() -> int:
    """``python -m ss_adapters.sql.alembic_upgrade``: migrate the database named by
    ``SS_DATABASE_URL`` (what ``ss_adapters.sql.migration_child`` starts). Logs go to stderr;
    a product error is printed to stdout as its flat JSON body and the exit status is 3."""
    import asyncio
    import json
    import os

    from ss_adapters.observability.logging_setup import configure_from_env
    from ss_adapters.sql.schema import migrate
    from ss_core.errors import SSError

    configure_from_env(os.environ)
    try:
        asyncio.run(migrate(os.environ["SS_DATABASE_URL"]))
    except SSError as exc:
        print(json.dumps(exc.to_body()), flush=True)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
