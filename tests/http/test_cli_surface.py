"""The operator command line: every option is explained, every command that prints data can
print JSON, task codes can be listed and revoked, exit codes are the documented ones."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from ss_http.cli import build_parser, main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
DATA_COMMANDS = [("check",), ("migrate",), ("task-codes", "issue"), ("task-codes", "list"),
                 ("task-codes", "revoke"), ("templates", "list"), ("templates", "show"),
                 ("templates", "check"), ("audit",)]


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*prefix, name))


def test_every_option_and_command_has_help() -> None:
    missing = []
    for path, parser in commands(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            if not action.help:
                name = "/".join(action.option_strings) or action.dest
                missing.append(f"ssctl {' '.join(path)} {name}")
    assert missing == []


def test_every_data_command_offers_json() -> None:
    found = {path: parser for path, parser in commands(build_parser())}
    for path in DATA_COMMANDS:
        options = {o for a in found[path]._actions for o in a.option_strings}
        assert "--json" in options, " ".join(path)


def test_exit_codes_are_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "## Exit codes" in text
    section = text.split("## Exit codes", 1)[1]
    for code in ("`0`", "`1`", "`2`"):
        assert code in section


def test_task_codes_list_and_revoke(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SS_DATA_DIR", str(tmp_path))
    assert main(["task-codes", "issue", "--count", "2", "--label", "course"]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert main(["task-codes", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {c["task_code_id"] for c in listed} == {c["task_code_id"] for c in issued}
    assert all(c["label"] == "course" and c["revoked_at"] is None for c in listed)
    assert "task_code" not in json.dumps(listed).replace("task_code_id", "")
    target = issued[0]["task_code_id"]
    assert main(["task-codes", "revoke", target, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["revoked_at"]
    assert main(["task-codes", "list"]) == 0
    text = capsys.readouterr().out
    assert f"{target}" in text and "revoked" in text and "2 task code(s)" in text
    assert main(["task-codes", "revoke", "tcid_nope"]) == 2
    assert json.loads(capsys.readouterr().err)["error_code"]


@pytest.mark.parametrize("argv", [["templates", "check", "--json"],
                                  ["templates", "list", "--json"],
                                  ["migrate", "--json"]])
def test_json_outputs_parse(argv, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SS_DATA_DIR", str(tmp_path))
    assert main(argv) == 0
    json.loads(capsys.readouterr().out)
