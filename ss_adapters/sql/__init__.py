"""SS storage on SQL databases: SQLite (embedded default) and PostgreSQL (scale-out)."""
