"""Settings of the Stata batch runner, built once by the composition root.

``StataSettings.from_env(mapping)`` reads the ``SS_STATA_*`` keys from a mapping the root
passes (the adapter never reads the process environment itself).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from ss_core.errors import ConfigError

CLI_STYLES = ("unix", "windows")
_UNSAFE_PATH = re.compile(r"[\"`'$\r\n;]")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DEFAULT_MULTIPLIERS = {"short": 0.25, "standard": 1.0, "long": 4.0}


class StataSettings(msgspec.Struct, frozen=True, kw_only=True):
    """``command`` empty means Stata is not configured (probe/run raise STATA_NOT_CONFIGURED)."""

    command: str
    work_dir: str
    cli_style: str = "unix"
    max_concurrent: int = 1
    timeout_seconds: float = 1800.0
    timeout_multipliers: dict[str, float] = msgspec.field(
        default_factory=lambda: dict(DEFAULT_MULTIPLIERS))
    ado_dir: str | None = None
    keep_run_dirs: bool = False
    kill_grace_seconds: float = 3.0
    probe_timeout_seconds: float = 120.0
    env_path: str = "/usr/local/bin:/usr/bin:/bin"
    extra_env: dict[str, str] = msgspec.field(default_factory=dict)
    diagnose_bytes: int = 1 << 20

    def __post_init__(self) -> None:
        problems = []
        if self.cli_style not in CLI_STYLES:
            problems.append(f"SS_STATA_CLI_STYLE must be one of {CLI_STYLES}")
        if self.max_concurrent < 1:
            problems.append("SS_STATA_MAX_CONCURRENT must be >= 1")
        if not self.timeout_seconds > 0:
            problems.append("SS_STATA_TIMEOUT_SECONDS must be > 0")
        if self.command and not self.work_dir:
            problems.append("SS_STATA_WORK_DIR must be set when SS_STATA_CMD is")
        if self.ado_dir is not None and _UNSAFE_PATH.search(self.ado_dir):
            problems.append("SS_STATA_ADO_DIR must not contain quotes, $, ; or newlines")
        if any(v <= 0 for v in self.timeout_multipliers.values()):
            problems.append("timeout multipliers must be > 0")
        if problems:
            raise ConfigError("invalid Stata runner settings: " + "; ".join(problems),
                              problems=problems)

    def timeout_for(self, timeout_class: str) -> float:
        """Wall-clock limit for a template's ``timeout_class`` (unknown classes: standard)."""
        return self.timeout_seconds * self.timeout_multipliers.get(timeout_class, 1.0)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StataSettings:
        """Build from ``SS_STATA_*`` keys of ``env`` (see docs/stata-runner.md)."""
        try:
            multipliers = dict(DEFAULT_MULTIPLIERS)
            for item in _items(env.get("SS_STATA_TIMEOUT_MULTIPLIERS", "")):
                name, _, value = item.partition("=")
                multipliers[name.strip()] = float(value)
            passthrough = {}
            for name in _items(env.get("SS_STATA_ENV_PASSTHROUGH", "")):
                if not _ENV_NAME.match(name):
                    raise ValueError(f"bad variable name {name!r} in SS_STATA_ENV_PASSTHROUGH")
                if name in env:
                    passthrough[name] = env[name]
            return cls(
                command=env.get("SS_STATA_CMD", "").strip(),
                work_dir=env.get("SS_STATA_WORK_DIR", "").strip(),
                cli_style=env.get("SS_STATA_CLI_STYLE", "unix").strip().lower(),
                max_concurrent=int(env.get("SS_STATA_MAX_CONCURRENT", "1")),
                timeout_seconds=float(env.get("SS_STATA_TIMEOUT_SECONDS", "1800")),
                timeout_multipliers=multipliers,
                ado_dir=env.get("SS_STATA_ADO_DIR") or None,
                keep_run_dirs=_flag(env.get("SS_STATA_KEEP_RUN_DIRS", "")),
                kill_grace_seconds=float(env.get("SS_STATA_KILL_GRACE_SECONDS", "3")),
                env_path=env.get("SS_STATA_PATH", "/usr/local/bin:/usr/bin:/bin"),
                extra_env=passthrough,
            )
        except ValueError as exc:
            raise ConfigError(f"invalid Stata runner settings: {exc}",
                              problems=[str(exc)]) from None


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _flag(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}
