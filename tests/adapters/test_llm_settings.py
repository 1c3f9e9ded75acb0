"""LLMSettings.from_env and build_llm: providers, defaults, and errors that name each key."""

from __future__ import annotations

import pytest

from ss_adapters.llm import PROVIDERS, AnthropicLLM, LLMSettings, OpenAICompatibleLLM, build_llm
from ss_core.errors import ConfigError

BASE = {"SS_LLM_MODEL": "m", "SS_LLM_API_KEY": "sk-abcdefabcdefabcdef"}


@pytest.mark.parametrize(("provider", "wire", "base_url"), [
    ("openai", "openai", "https://api.openai.com/v1"),
    ("anthropic", "anthropic", "https://api.anthropic.com"),
    ("deepseek", "openai", "https://api.deepseek.com/v1"),
    ("dashscope", "openai", "https://dashscope.aliyuncs.com/compatible-mode/v1"),
    ("ollama", "openai", "http://127.0.0.1:11434/v1"),
])
def test_standard_providers_get_their_wire_format_and_base_url(provider, wire, base_url):
    settings = LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": provider})
    assert (settings.wire, settings.base_url) == (wire, base_url)


@pytest.mark.parametrize("provider", ["openai_compatible", "vllm", "llamacpp"])
def test_self_hosted_providers_need_a_base_url_but_no_key(provider):
    with pytest.raises(ConfigError) as caught:
        LLMSettings.from_env({"SS_LLM_PROVIDER": provider, "SS_LLM_MODEL": "m"})
    assert caught.value.context["missing"] == ["SS_LLM_BASE_URL"]
    settings = LLMSettings.from_env({"SS_LLM_PROVIDER": provider, "SS_LLM_MODEL": "m",
                                     "SS_LLM_BASE_URL": "http://gpu:8000/v1/"})
    assert settings.base_url == "http://gpu:8000/v1" and settings.api_key is None


def test_nothing_configured_is_llm_not_configured_naming_both_keys():
    with pytest.raises(ConfigError) as caught:
        LLMSettings.from_env({})
    assert caught.value.error_code == "LLM_NOT_CONFIGURED"
    assert caught.value.context["missing"] == ["SS_LLM_PROVIDER", "SS_LLM_MODEL"]


def test_hosted_provider_without_key_or_model_names_each_key():
    with pytest.raises(ConfigError) as caught:
        LLMSettings.from_env({"SS_LLM_PROVIDER": "openai"})
    error = caught.value
    assert error.error_code == "CONFIG_INVALID"
    assert error.context["missing"] == ["SS_LLM_MODEL", "SS_LLM_API_KEY"]
    assert "SS_LLM_MODEL is required" in error.message
    assert "SS_LLM_API_KEY is required" in error.message


def test_unknown_provider_names_the_setting_and_the_allowed_values():
    with pytest.raises(ConfigError) as caught:
        LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": "gpt"})
    error = caught.value
    assert "SS_LLM_PROVIDER" in error.context["invalid"]
    for name in PROVIDERS:
        assert name in error.message
    assert error.context["allowed_providers"] == sorted(PROVIDERS)


def test_bad_numbers_modes_and_urls_are_each_named():
    env = {**BASE, "SS_LLM_PROVIDER": "vllm", "SS_LLM_BASE_URL": "gpu:8000",
           "SS_LLM_TIMEOUT": "soon", "SS_LLM_MAX_RETRIES": "-1", "SS_LLM_MAX_CONCURRENT": "0",
           "SS_LLM_JSON_MODE": "grammar", "SS_LLM_JSON_STRICT": "maybe"}
    with pytest.raises(ConfigError) as caught:
        LLMSettings.from_env(env)
    assert set(caught.value.context["invalid"]) == {
        "SS_LLM_BASE_URL", "SS_LLM_TIMEOUT", "SS_LLM_MAX_RETRIES", "SS_LLM_MAX_CONCURRENT",
        "SS_LLM_JSON_MODE", "SS_LLM_JSON_STRICT"}


def test_tuning_keys_are_read():
    env = {**BASE, "SS_LLM_PROVIDER": "ollama", "SS_LLM_TIMEOUT": "12.5",
           "SS_LLM_CONNECT_TIMEOUT": "2", "SS_LLM_MAX_RETRIES": "0", "SS_LLM_MAX_REPAIRS": "4",
           "SS_LLM_MAX_CONCURRENT": "8", "SS_LLM_JSON_MODE": "JSON_OBJECT",
           "SS_LLM_JSON_STRICT": "false"}
    settings = LLMSettings.from_env(env)
    assert (settings.timeout_s, settings.connect_timeout_s) == (12.5, 2.0)
    assert (settings.max_retries, settings.max_repairs, settings.max_concurrent) == (0, 4, 8)
    assert settings.json_mode == "json_object" and settings.json_strict is False


def test_providers_without_schema_mode_default_to_json_object():
    settings = LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": "deepseek"})
    assert settings.json_mode == "json_object"
    assert LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": "openai"}).json_mode == "json_schema"


def test_the_api_key_never_shows_in_repr_or_str():
    settings = LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": "openai"})
    assert "sk-abcdef" not in repr(settings) and "sk-abcdef" not in str(settings)
    assert "api_key=<set>" in repr(settings)


async def test_build_llm_picks_the_adapter_for_the_wire_format():
    openai = build_llm(LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": "dashscope"}))
    anthropic = build_llm(LLMSettings.from_env({**BASE, "SS_LLM_PROVIDER": "anthropic"}))
    assert isinstance(openai, OpenAICompatibleLLM) and openai.provider == "dashscope"
    assert isinstance(anthropic, AnthropicLLM) and anthropic.model == "m"
    await openai.aclose()
    await anthropic.aclose()
