"""Alembic migration scripts for the SS schema (run through ``ss_adapters.sql.schema``)."""
