"""LLM configuration: read once from an environment mapping into a typed, frozen value.

``SS_LLM_PROVIDER`` names a provider; every provider speaks one of two wire formats
(``openai`` chat completions or ``anthropic`` messages) and some have a standard base URL.
Every problem found in the mapping is reported at once, each naming its key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

import msgspec

from ss_core.errors import ConfigError, LLMNotConfigured

WireFormat = Literal["openai", "anthropic"]
JsonMode = Literal["json_schema", "json_object", "none"]
JSON_MODES: tuple[JsonMode, ...] = ("json_schema", "json_object", "none")


class ProviderSpec(msgspec.Struct, frozen=True):
    """What a provider name means: its wire format, standard base URL, key requirement,
    default structured-output mode, and whether its ``json_object`` mode takes a ``schema``
    (grammar-constrained servers do)."""

    wire: WireFormat
    default_base_url: str | None
    needs_api_key: bool
    default_json_mode: JsonMode = "json_schema"
    schema_in_json_object: bool = False


PROVIDERS: Mapping[str, ProviderSpec] = {
    "openai": ProviderSpec("openai", "https://api.openai.com/v1", True),
    "openai_compatible": ProviderSpec("openai", None, False),
    "anthropic": ProviderSpec("anthropic", "https://api.anthropic.com", True),
    "deepseek": ProviderSpec("openai", "https://api.deepseek.com/v1", True, "json_object"),
    "dashscope": ProviderSpec(
        "openai", "https://dashscope.aliyuncs.com/compatible-mode/v1", True, "json_object"
    ),
    "ollama": ProviderSpec("openai", "http://127.0.0.1:11434/v1", False),
    "vllm": ProviderSpec("openai", None, False),
    "llamacpp": ProviderSpec("openai", None, False, "json_object", schema_in_json_object=True),
}

REQUIRED_KEYS = ("SS_LLM_PROVIDER", "SS_LLM_MODEL")


class LLMSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything an LLM adapter needs. ``api_key`` never appears in ``repr``."""

    provider: str
    wire: WireFormat
    base_url: str
    model: str
    api_key: str | None = None
    json_mode: JsonMode = "json_schema"
    json_strict: bool = True
    schema_in_json_object: bool = False
    timeout_s: float = 60.0
    connect_timeout_s: float = 10.0
    max_retries: int = 3
    max_repairs: int = 2
    max_concurrent: int = 4
    backoff_base_s: float = 0.5
    backoff_max_s: float = 20.0
    retry_after_max_s: float = 60.0
    max_response_bytes: int = 4 << 20
    anthropic_version: str = "2023-06-01"

    def __repr__(self) -> str:
        key = "set" if self.api_key else "unset"
        return (
            f"LLMSettings(provider={self.provider!r}, wire={self.wire!r}, "
            f"base_url={self.base_url!r}, model={self.model!r}, api_key=<{key}>)"
        )

    __str__ = __repr__

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LLMSettings:
        """Build settings from ``SS_LLM_*`` keys; raise ``ConfigError`` naming every problem.

        No provider and no model at all means the LLM is simply not configured
        (``LLM_NOT_CONFIGURED``); anything else wrong is ``CONFIG_INVALID``.
        """
        reader = _EnvReader(env)
        provider = reader.text("SS_LLM_PROVIDER").lower()
        model = reader.text("SS_LLM_MODEL")
        missing = [key for key in REQUIRED_KEYS if not reader.text(key)]
        spec = PROVIDERS.get(provider)
        if provider and spec is None:
            reader.problem(
                "SS_LLM_PROVIDER",
                f"unknown provider {provider!r}; allowed: {', '.join(sorted(PROVIDERS))}",
            )
        base_url = reader.text("SS_LLM_BASE_URL") or (spec.default_base_url if spec else "")
        if spec is not None and not base_url:
            missing.append("SS_LLM_BASE_URL")
        api_key = reader.text("SS_LLM_API_KEY") or None
        if spec is not None and spec.needs_api_key and api_key is None:
            missing.append("SS_LLM_API_KEY")
        if base_url and not base_url.startswith(("http://", "https://")):
            reader.problem("SS_LLM_BASE_URL", "must start with http:// or https://")
        json_mode = reader.choice(
            "SS_LLM_JSON_MODE", JSON_MODES, spec.default_json_mode if spec else "json_schema"
        )
        numbers = _Numbers(
            timeout_s=reader.real("SS_LLM_TIMEOUT", 60.0, minimum=0.001),
            connect_timeout_s=reader.real("SS_LLM_CONNECT_TIMEOUT", 10.0, minimum=0.001),
            max_retries=reader.whole("SS_LLM_MAX_RETRIES", 3, minimum=0),
            max_repairs=reader.whole("SS_LLM_MAX_REPAIRS", 2, minimum=0),
            max_concurrent=reader.whole("SS_LLM_MAX_CONCURRENT", 4, minimum=1),
            backoff_base_s=reader.real("SS_LLM_BACKOFF_BASE", 0.5, minimum=0.0),
            backoff_max_s=reader.real("SS_LLM_BACKOFF_MAX", 20.0, minimum=0.0),
            retry_after_max_s=reader.real("SS_LLM_RETRY_AFTER_MAX", 60.0, minimum=0.0),
            max_response_bytes=reader.whole("SS_LLM_MAX_RESPONSE_BYTES", 4 << 20, minimum=1024),
        )
        json_strict = reader.flag("SS_LLM_JSON_STRICT", True)
        reader.raise_if_any(missing, not_configured=missing == list(REQUIRED_KEYS))
        assert spec is not None and base_url  # raise_if_any raised otherwise
        return cls(
            provider=provider,
            wire=spec.wire,
            base_url=base_url.rstrip("/"),
            model=model,
            api_key=api_key,
            json_mode=json_mode,
            json_strict=json_strict,
            schema_in_json_object=spec.schema_in_json_object,
            anthropic_version=reader.text("SS_LLM_ANTHROPIC_VERSION") or "2023-06-01",
            **msgspec.structs.asdict(numbers),
        )


class _Numbers(msgspec.Struct, frozen=True, kw_only=True):
    timeout_s: float
    connect_timeout_s: float
    max_retries: int
    max_repairs: int
    max_concurrent: int
    backoff_base_s: float
    backoff_max_s: float
    retry_after_max_s: float
    max_response_bytes: int


class _EnvReader:
    """Reads typed values from the mapping, collecting problems instead of failing early."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env
        self.problems: dict[str, str] = {}

    def text(self, key: str) -> str:
        return self._env.get(key, "").strip()

    def problem(self, key: str, why: str) -> None:
        self.problems[key] = why

    def real(self, key: str, default: float, *, minimum: float) -> float:
        return float(self._number(key, float, default, minimum))

    def whole(self, key: str, default: int, *, minimum: int) -> int:
        return int(self._number(key, int, default, minimum))

    def _number(
        self,
        key: str,
        kind: Callable[[str], float | int],
        default: float | int,
        minimum: float | int,
    ) -> float | int:
        raw = self.text(key)
        if not raw:
            return default
        try:
            value = kind(raw)
        except ValueError:
            self.problem(key, f"{raw!r} is not a valid {getattr(kind, '__name__', 'number')}")
            return default
        if not value >= minimum:  # also rejects NaN
            self.problem(key, f"{raw!r} is below the minimum {minimum}")
            return default
        return value

    def choice(self, key: str, allowed: tuple[JsonMode, ...], default: JsonMode) -> JsonMode:
        raw = self.text(key).lower()
        if not raw:
            return default
        for option in allowed:
            if option == raw:
                return option
        self.problem(key, f"{raw!r} is not one of {', '.join(allowed)}")
        return default

    def flag(self, key: str, default: bool) -> bool:
        raw = self.text(key).lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        self.problem(key, f"{raw!r} is not a boolean (true/false)")
        return default

    def raise_if_any(self, missing: list[str], *, not_configured: bool) -> None:
        if not missing and not self.problems:
            return
        if not_configured and not self.problems:
            raise LLMNotConfigured(
                "No LLM provider is configured: set SS_LLM_PROVIDER and SS_LLM_MODEL.",
                missing=missing,
                allowed_providers=sorted(PROVIDERS),
            )
        parts = [f"{key} is required" for key in missing]
        parts += [f"{key}: {why}" for key, why in self.problems.items()]
        raise ConfigError(
            "LLM configuration is invalid: " + "; ".join(parts) + ".",
            missing=missing,
            invalid=dict(self.problems),
            allowed_providers=sorted(PROVIDERS),
        )
