"""The production gate: one list of requirements behind ``ssctl check`` and /health/ready.

Each requirement is an async check that raises an ``SSError`` (code + reason) when it does
not hold. The gate runs them all, every time, and reports every violation; it is ready only
when all hold. Checks are bounded by a timeout so a hung dependency reports, not hangs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import msgspec

from ss_core.errors import SSError

CheckFn = Callable[[], Awaitable[dict[str, Any] | None]]


class CheckResult(msgspec.Struct, frozen=True, kw_only=True):
    """``warning``: the check failed but is advisory (it does not make the gate not ready)."""

    name: str
    ok: bool
    warning: bool = False
    error_code: str | None = None
    reason: str | None = None
    fix: str | None = None
    details: dict[str, Any] = msgspec.field(default_factory=dict)


class Readiness(msgspec.Struct, frozen=True, kw_only=True):
    ready: bool
    checks: tuple[CheckResult, ...]

    @property
    def violations(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.ok and not c.warning)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.warning)


class Requirement(msgspec.Struct, frozen=True):
    """``advisory``: a failure is reported as a warning and does not block readiness."""

    name: str
    fix: str
    check: CheckFn
    advisory: bool = False


def _details(exc: SSError) -> dict[str, Any]:
    """The failure's plain context values, with the error's own fix among them."""
    details = {k: v for k, v in exc.context.items()
               if isinstance(v, str | int | float | bool | list)}
    if exc.fix is not None:
        details["fix"] = exc.fix
    return details


class ProductionGate:
    def __init__(self, requirements: Sequence[Requirement], timeout_seconds: float = 10.0):
        self.requirements = tuple(requirements)
        self.timeout_seconds = timeout_seconds

    async def _run(self, req: Requirement) -> CheckResult:
        result = await self._attempt(req)
        if not result.ok and req.advisory:
            return msgspec.structs.replace(result, warning=True)
        return result

    async def _attempt(self, req: Requirement) -> CheckResult:
        try:
            details = await asyncio.wait_for(req.check(), self.timeout_seconds)
        except SSError as exc:
            return CheckResult(name=req.name, ok=False, error_code=exc.error_code,
                               reason=exc.message, fix=req.fix,
                               details=_details(exc))
        except TimeoutError:
            return CheckResult(name=req.name, ok=False, error_code="SERVICE_NOT_READY",
                               reason=f"the check did not answer within "
                                      f"{self.timeout_seconds:g} s", fix=req.fix)
        except OSError as exc:
            return CheckResult(name=req.name, ok=False, error_code="SERVICE_NOT_READY",
                               reason=f"{type(exc).__name__}: {exc.strerror or 'I/O failure'}",
                               fix=req.fix)
        return CheckResult(name=req.name, ok=True, details=details or {})

    async def evaluate(self) -> Readiness:
        results = await asyncio.gather(*(self._run(r) for r in self.requirements))
        return Readiness(ready=all(r.ok or r.warning for r in results), checks=tuple(results))
