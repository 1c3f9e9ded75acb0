"""Typed settings, read once from the environment at the composition root.

Nothing else in SS reads ``os.environ``: the root passes this mapping to each adapter's own
``from_env``. Optional integrations (LLM, Stata) that are not configured keep the structured
reason, so readiness and the affected endpoints can say exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import msgspec

from ss_adapters.blob.settings import ObjectStoreSettings
from ss_adapters.config_keys import environment_problems
from ss_adapters.llm.settings import LLMSettings
from ss_adapters.sql.settings import DatabaseSettings
from ss_adapters.stata.settings import StataSettings
from ss_core.errors import ConfigError, LLMNotConfigured, SSError
from ss_core.library.packaged import default_library_root

DEFAULT_LIBRARY = default_library_root()


class ServiceSettings(msgspec.Struct, frozen=True, kw_only=True):
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None
    library_root: Path = DEFAULT_LIBRARY
    max_upload_bytes: int = 2 * 1024**3
    token_ttl_hours: float = 72.0
    lease_seconds: float = 60.0
    max_claims: int = 3
    worker_poll_seconds: float = 1.0
    worker_heartbeat_seconds: float = 60.0
    worker_metrics_port: int | None = None
    cors_origins: tuple[str, ...] = ()
    redeem_rate_per_minute: int = 20
    max_dataset_cells: int = 500_000_000
    xlsx_max_shared_strings: int = 1_000_000
    max_connections: int = 512
    header_timeout_seconds: float = 10.0
    body_idle_timeout_seconds: float = 60.0
    upload_inspect_inline_bytes: int = 1024**2
    inputs_wait_seconds: float = 30.0
    keep_alive_seconds: float = 5.0
    trusted_proxies: tuple[str, ...] = ()


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    service: ServiceSettings
    database: DatabaseSettings
    object_store: ObjectStoreSettings
    llm: LLMSettings | None
    llm_problem: SSError | None
    stata: StataSettings | None
    stata_problem: SSError | None


def _int(env: Mapping[str, str], key: str, default: int, problems: list[str],
         *, zero: bool = False) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{key} must be a whole number")
        return default
    if value < 0 or (value == 0 and not zero):
        problems.append(f"{key} must be {'0 or more' if zero else 'positive'}")
    return value


def _float(env: Mapping[str, str], key: str, default: float, problems: list[str]) -> float:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{key} must be a number")
        return default
    if value <= 0:
        problems.append(f"{key} must be positive")
    return value


def _list(env: Mapping[str, str], key: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in env.get(key, "").split(",") if item.strip())


def service_settings(env: Mapping[str, str]) -> ServiceSettings:
    problems: list[str] = []
    data_dir = Path(env.get("SS_DATA_DIR", "").strip() or "ss-data").resolve()
    settings = ServiceSettings(
        data_dir=data_dir,
        host=env.get("SS_HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=_int(env, "SS_PORT", 8000, problems),
        admin_token=env.get("SS_ADMIN_TOKEN", "").strip() or None,
        library_root=Path(env.get("SS_TEMPLATE_LIBRARY", "").strip() or DEFAULT_LIBRARY),
        max_upload_bytes=_int(env, "SS_MAX_UPLOAD_BYTES", 2 * 1024**3, problems),
        token_ttl_hours=_float(env, "SS_TOKEN_TTL_HOURS", 72.0, problems),
        lease_seconds=_float(env, "SS_LEASE_SECONDS", 60.0, problems),
        max_claims=_int(env, "SS_MAX_CLAIMS", 3, problems),
        worker_poll_seconds=_float(env, "SS_WORKER_POLL_SECONDS", 1.0, problems),
        worker_heartbeat_seconds=_float(env, "SS_WORKER_HEARTBEAT_SECONDS", 60.0, problems),
        worker_metrics_port=_int(env, "SS_WORKER_METRICS_PORT", 0, problems) or None,
        redeem_rate_per_minute=_int(env, "SS_REDEEM_RATE_PER_MINUTE", 20, problems),
        max_dataset_cells=_int(env, "SS_MAX_DATASET_CELLS", 500_000_000, problems),
        xlsx_max_shared_strings=_int(env, "SS_XLSX_MAX_SHARED_STRINGS", 1_000_000, problems),
        max_connections=_int(env, "SS_MAX_CONNECTIONS", 512, problems),
        header_timeout_seconds=_float(env, "SS_HEADER_TIMEOUT_SECONDS", 10.0, problems),
        body_idle_timeout_seconds=_float(env, "SS_BODY_IDLE_TIMEOUT_SECONDS", 60.0, problems),
        upload_inspect_inline_bytes=_int(env, "SS_UPLOAD_INSPECT_INLINE_BYTES", 1024**2,
                                         problems, zero=True),
        inputs_wait_seconds=_float(env, "SS_INPUTS_WAIT_SECONDS", 30.0, problems),
        keep_alive_seconds=_float(env, "SS_KEEP_ALIVE_SECONDS", 5.0, problems),
        trusted_proxies=_list(env, "SS_TRUSTED_PROXIES"),
        cors_origins=_list(env, "SS_CORS_ORIGINS"),
    )
    if settings.admin_token is not None and len(settings.admin_token) < 16:
        problems.append("SS_ADMIN_TOKEN must be at least 16 characters")
    if problems:
        raise ConfigError("invalid service settings: " + "; ".join(problems), problems=problems)
    return settings


def load_settings(env: Mapping[str, str]) -> Settings:
    """Read every setting; invalid values raise ``CONFIG_INVALID`` naming each one."""
    problems = environment_problems(env)
    if problems:
        raise ConfigError(f"{len(problems)} invalid setting(s): " + "; ".join(problems),
                          problems=problems)
    service = service_settings(env)
    llm: LLMSettings | None = None
    llm_problem: SSError | None = None
    try:
        llm = LLMSettings.from_env(env)
    except LLMNotConfigured as exc:
        llm_problem = exc
    stata: StataSettings | None = StataSettings.from_env(
        {**env, "SS_STATA_WORK_DIR": env.get("SS_STATA_WORK_DIR", "").strip()
         or str(service.data_dir / "stata-runs")})
    stata_problem: SSError | None = None
    if stata is not None and not stata.command:
        stata, stata_problem = None, SSError(
            "no Stata executable is configured: set SS_STATA_CMD to the full path of "
            "the Stata batch binary (stata-mp, stata-se or stata in the Stata folder)",
            code="STATA_NOT_CONFIGURED",
            missing=["SS_STATA_CMD"])
    return Settings(
        service=service,
        database=DatabaseSettings.from_env(env, service.data_dir),
        object_store=ObjectStoreSettings.from_env(env, service.data_dir),
        llm=llm, llm_problem=llm_problem, stata=stata, stata_problem=stata_problem,
    )
