"""Runner settings from the environment mapping, and bounded/encoding-aware log reading."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from ss_adapters.stata.logs import decode_log, read_bounded, read_small
from ss_adapters.stata.process import command_line
from ss_adapters.stata.settings import StataSettings
from ss_adapters.stata.wrapper import edition_of, parse_probe, probe_do_file, wrapper_do_file
from ss_core.errors import SSError


def test_from_env_reads_every_key() -> None:
    settings = StataSettings.from_env({
        "SS_STATA_CMD": "/usr/local/stata18/stata-mp", "SS_STATA_CLI_STYLE": "Windows",
        "SS_STATA_MAX_CONCURRENT": "3", "SS_STATA_TIMEOUT_SECONDS": "600",
        "SS_STATA_TIMEOUT_MULTIPLIERS": "short=0.5, long=6", "SS_STATA_WORK_DIR": "/srv/ss",
        "SS_STATA_ADO_DIR": "/opt/ss/ado", "SS_STATA_KEEP_RUN_DIRS": "yes",
        "SS_STATA_KILL_GRACE_SECONDS": "2", "SS_STATA_ENV_PASSTHROUGH": "STATA_LICENSE,ABSENT",
        "STATA_LICENSE": "/opt/lic", "UNRELATED": "x",
    })
    assert settings.command == "/usr/local/stata18/stata-mp"
    assert (settings.cli_style, settings.max_concurrent, settings.keep_run_dirs) == (
        "windows", 3, True)
    assert settings.timeout_for("short") == 300 and settings.timeout_for("long") == 3600
    assert settings.timeout_for("standard") == 600 and settings.timeout_for("odd") == 600
    assert settings.ado_dir == "/opt/ss/ado" and settings.kill_grace_seconds == 2
    assert settings.extra_env == {"STATA_LICENSE": "/opt/lic"}


def test_defaults() -> None:
    assert StataSettings.from_env({}).command == ""
    settings = StataSettings.from_env({"SS_STATA_WORK_DIR": "/srv/ss"})
    assert settings.command == "" and settings.cli_style == "unix"
    assert settings.max_concurrent == 1 and settings.timeout_seconds == 1800
    assert settings.ado_dir is None and not settings.keep_run_dirs


@pytest.mark.parametrize("env", [
    {"SS_STATA_WORK_DIR": "/w", "SS_STATA_CLI_STYLE": "dos"},
    {"SS_STATA_WORK_DIR": "/w", "SS_STATA_MAX_CONCURRENT": "0"},
    {"SS_STATA_WORK_DIR": "/w", "SS_STATA_MAX_CONCURRENT": "many"},
    {"SS_STATA_WORK_DIR": "/w", "SS_STATA_TIMEOUT_SECONDS": "-1"},
    {"SS_STATA_WORK_DIR": "/w", "SS_STATA_ADO_DIR": '/opt/ado"; shell'},
    {"SS_STATA_WORK_DIR": "/w", "SS_STATA_ENV_PASSTHROUGH": "BAD-NAME"},
    {"SS_STATA_CMD": "stata-mp"},
])
def test_invalid_settings_are_config_errors(env: dict[str, str]) -> None:
    with pytest.raises(SSError) as caught:
        StataSettings.from_env(env)
    assert caught.value.error_code == "CONFIG_INVALID"


def test_command_lines() -> None:
    assert command_line("stata-mp", "unix", "w.do") == ("stata-mp", "-b", "-q", "do", "w.do")
    assert command_line("StataMP-64.exe", "windows", "w.do") == (
        "StataMP-64.exe", "/e", "do", "w.do")


def test_wrapper_text() -> None:
    text = wrapper_do_file("job.do", "/opt/ss/ado")
    lines = text.splitlines()
    assert 'sysdir set PLUS "/opt/ss/ado"' in lines
    assert lines.index('capture noisily do "job.do"') + 1 == lines.index("local ss_rc = _rc")
    assert lines[-1] == "exit, clear STATA" and "set more off" in lines
    assert "sysdir" not in wrapper_do_file("job.do", None)


def test_probe_parsing() -> None:
    assert all(f"c({key})" in probe_do_file() for key in ("stata_version", "edition_real"))
    facts = parse_probe("stata_version=18.5\nedition_real=MP\nnot a pair\nmode=batch\n")
    assert facts == {"stata_version": "18.5", "edition_real": "MP", "mode": "batch"}
    assert edition_of({"edition_real": "", "MP": "0", "SE": "1"}) == "SE"
    assert edition_of({"flavor": "IC"}) == "IC"


def test_decode_prefers_utf8_and_falls_back_to_gb18030() -> None:
    text = "回归结果：工资对教育\nr(111);\n"
    assert decode_log(text.encode("utf-8")) == text
    assert decode_log(text.encode("gbk")) == text
    assert "\ufffd" in decode_log(b"plain ascii \xff\xfe broken")


def test_read_bounded_keeps_head_and_tail_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    with path.open("wb") as handle:
        handle.write(b"HEAD LINE\n")
        for index in range(400_000):
            handle.write(b"%08d filler filler filler filler filler filler filler\n" % index)
        handle.write(b"variable x not found\nr(111);\n\nend of do-file\n")
    size = path.stat().st_size
    assert size > 20 * 1024 * 1024
    tracemalloc.start()
    text, seen = read_bounded(path, 128 * 1024)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seen == size and peak < 2 * 1024 * 1024
    assert len(text) < 140 * 1024
    assert text.startswith("HEAD LINE") and text.rstrip().endswith("end of do-file")
    assert "bytes of log omitted" in text


def test_read_small_and_missing_files(tmp_path: Path) -> None:
    assert read_small(tmp_path / "absent.txt") is None
    assert read_bounded(tmp_path / "absent.log", 100) == ("", 0)
    (tmp_path / "rc.txt").write_text("0\n")
    assert read_small(tmp_path / "rc.txt") == "0\n"
