"""The composition root builds only real adapters, refuses bad configuration, and the gate
it builds reports every violated requirement."""

from __future__ import annotations

from pathlib import Path

import pytest

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.container import build_container
from ss_adapters.datasets.inspector import FileDatasetInspector
from ss_adapters.lazy import LazyDatasetInspector
from ss_adapters.llm.openai_compatible import OpenAICompatibleLLM
from ss_adapters.requirements import production_gate
from ss_adapters.settings import load_settings
from ss_adapters.sql.jobs import SqlJobRepository
from ss_adapters.stata.runner import StataBatchRunner
from ss_core.errors import SSError

DOUBLE = Path(__file__).resolve().parents[1] / "doubles" / "stata" / "stata"


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"SS_DATA_DIR": str(tmp_path / "data"), **extra}


def test_defaults_are_the_embedded_real_adapters(tmp_path):
    container = build_container(load_settings(env(tmp_path)))
    services = container.services()
    assert isinstance(services.jobs, SqlJobRepository)
    assert isinstance(services.store, LocalDirectoryStore)
    assert isinstance(services.inspector, LazyDatasetInspector)
    assert isinstance(services.inspector.resolve(), FileDatasetInspector)
    assert services.llm is None and services.runner is None
    assert len(services.library) >= 60


def test_configured_llm_and_stata_are_the_real_adapters(tmp_path):
    settings = load_settings(env(tmp_path, SS_LLM_PROVIDER="openai_compatible",
                                 SS_LLM_MODEL="m", SS_LLM_BASE_URL="http://127.0.0.1:9/v1",
                                 SS_STATA_CMD=str(DOUBLE)))
    services = build_container(settings).services()
    assert isinstance(services.llm.inner, OpenAICompatibleLLM)
    assert isinstance(services.runner.inner, StataBatchRunner)


@pytest.mark.parametrize("key,value", [
    ("SS_LLM_PROVIDER", "dummy"), ("SS_LLM_PROVIDER", "stub"), ("SS_LLM_PROVIDER", "fake"),
])
def test_non_production_provider_names_are_a_startup_error(tmp_path, key, value):
    with pytest.raises(SSError) as err:
        load_settings(env(tmp_path, **{key: value, "SS_LLM_MODEL": "m"}))
    assert err.value.error_code == "CONFIG_INVALID"
    assert "SS_LLM_PROVIDER" in str(err.value.to_body())


@pytest.mark.parametrize("key,value", [
    ("SS_STATA_CLI_STYLE", "mac"), ("SS_OBJECT_STORE", "ftp://x"), ("SS_PORT", "x"),
    ("SS_ADMIN_TOKEN", "short"), ("SS_DATABASE_URL", "mysql://x/y"),
])
def test_invalid_settings_name_the_setting(tmp_path, key, value):
    with pytest.raises(SSError) as err:
        load_settings(env(tmp_path, **{key: value}))
    assert err.value.error_code in ("CONFIG_INVALID",)


async def test_gate_names_every_violation_and_api_role_skips_stata(tmp_path):
    settings = load_settings(env(tmp_path))
    settings.service.data_dir.mkdir(parents=True)
    container = build_container(settings)
    await container.repositories().migrate()
    readiness = await production_gate(container).evaluate()
    assert not readiness.ready
    assert {c.name for c in readiness.violations} == {"llm", "stata", "admin_secret"}
    api = build_container(settings, "api")
    names = {c.name for c in (await production_gate(api).evaluate()).checks}
    assert "stata" not in names
    assert api.services().policies.runs_execute_here is False
    await container.repositories().close()
    await api.repositories().close()


async def test_successful_probes_are_cached_and_failures_are_not():
    from ss_adapters.requirements import cached_success

    calls = {"n": 0, "fail": True}

    async def probe() -> dict:
        calls["n"] += 1
        if calls["fail"]:
            raise SSError("down", code="STATA_LAUNCH_FAILED")
        return {"version": "18"}

    cached = cached_success(probe, seconds=60)
    for _ in range(2):
        with pytest.raises(SSError):
            await cached()
    calls["fail"] = False
    assert await cached() == {"version": "18"}
    assert (await cached())["cached"] is True
    assert calls["n"] == 3
