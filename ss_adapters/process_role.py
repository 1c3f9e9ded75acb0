"""What one SS process does: serve the /v1 API, run workers, or both.

``ssctl serve`` is ``ALL`` (``API`` with ``--no-worker``), ``ssctl worker`` is ``WORKER``.
The role decides whether Stata must be usable here (runs execute where workers run) and which
readiness checks apply; naming it once keeps those decisions from comparing strings.
"""

from __future__ import annotations

import enum


class ProcessRole(enum.StrEnum):
    ALL = "all"
    API = "api"
    WORKER = "worker"

    @property
    def runs_stata(self) -> bool:
        """Runs execute in this process (workers here), so Stata must be usable."""
        return self is not ProcessRole.API

    @property
    def serves_api(self) -> bool:
        """This process answers /v1 requests (and so drafts with the LLM)."""
        return self is not ProcessRole.WORKER

    @classmethod
    def parse(cls, value: str) -> ProcessRole:
        """The role named ``value``; ``ValueError`` naming the roles otherwise."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown role {value!r}; one of "
                             + ", ".join(r.value for r in cls)) from None
