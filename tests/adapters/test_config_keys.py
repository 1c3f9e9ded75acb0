"""One typed registry for every SS_* setting: every key the code reads is declared, every bad
value is named at once, and docs/configuration.md is generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ss_adapters.config_keys import KEYS, configuration_markdown, environment_problems
from ss_adapters.settings import load_settings
from ss_core.errors import ConfigError
from ss_http.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOT_SETTINGS = {"SS_PREFLIGHT_BEGIN", "SS_PREFLIGHT_END", "SS_TEMPLATE_DONE"}  # log markers


def test_every_key_the_code_reads_is_declared() -> None:
    read = set()
    for package in ("ss_core", "ss_adapters", "ss_http"):
        for path in (ROOT / package).rglob("*.py"):
            read |= set(re.findall(r'"(SS_[A-Z0-9_]+)"', path.read_text(encoding="utf-8")))
    assert read - NOT_SETTINGS - set(KEYS) == set()
    assert set(KEYS) - read == set()  # nothing declared that nothing reads


def test_every_bad_key_is_reported_at_once(tmp_path) -> None:
    env = {"SS_DATA_DIR": str(tmp_path), "SS_PORT": "eighty", "SS_LEASE_SECONDS": "-1",
           "SS_AUTO_MIGRATE": "maybe", "SS_LOG_FORMAT": "xml", "SS_STATA_CLI_STYLE": "dos",
           "SS_LLM_MAX_RETRIES": "0", "SS_TOKEN_TTL_HOURS": "0.5"}
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    named = [p.split("=")[0] for p in err.value.context["problems"]]
    assert named == ["SS_PORT", "SS_LEASE_SECONDS", "SS_AUTO_MIGRATE", "SS_LOG_FORMAT",
                     "SS_STATA_CLI_STYLE"]


def test_the_command_line_names_them_without_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SS_PORT", "eighty")
    monkeypatch.setenv("SS_MAX_CLAIMS", "0")
    assert main(["check", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert "SS_PORT='eighty': must be a whole number > 0" in captured.err
    assert "SS_MAX_CLAIMS='0'" in captured.err


def test_the_documentation_lists_every_key_with_its_type() -> None:
    text = configuration_markdown()
    assert all(f"| `{name}` |" in text for name in KEYS)
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == text


@given(st.integers(min_value=1, max_value=2**40))
def test_positive_whole_numbers_are_accepted(value: int) -> None:
    assert environment_problems({"SS_MAX_UPLOAD_BYTES": f" {value} "}) == []


@given(st.text(alphabet="abcxyz.-_ ", min_size=1).filter(lambda t: t.strip()))
def test_text_is_never_a_number(raw: str) -> None:
    assert [p.split("=")[0] for p in environment_problems({"SS_LEASE_SECONDS": raw})] == [
        "SS_LEASE_SECONDS"]
