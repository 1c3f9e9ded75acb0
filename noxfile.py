"""Developer and CI sessions. `nox -s tests` is the README's test command."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "none"  # reuse the active environment (CI installs it)
nox.options.sessions = ["lint", "typecheck", "tests"]


@nox.session
def lint(session: nox.Session) -> None:
    session.run("ruff", "check", "ss_core", "ss_adapters", "ss_http", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.run("mypy", "ss_core")


@nox.session
def tests(session: nox.Session) -> None:
    """Lint, type-check, then the whole suite (pytest exit 5, no tests collected, fails)."""
    lint(session)
    typecheck(session)
    session.run("pytest", "-q", "-p", "no:cacheprovider", *session.posargs)
