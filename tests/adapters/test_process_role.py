"""A process's role decides where Stata must work and which readiness checks apply."""

import pytest

from ss_adapters.process_role import ProcessRole


def test_only_an_api_only_process_leaves_stata_to_the_workers() -> None:
    assert [r for r in ProcessRole if not r.runs_stata] == [ProcessRole.API]
    assert [r for r in ProcessRole if not r.serves_api] == [ProcessRole.WORKER]


def test_roles_parse_from_their_command_line_names() -> None:
    assert ProcessRole.parse("worker") is ProcessRole.WORKER
    assert ProcessRole.parse(ProcessRole.API) is ProcessRole.API
    with pytest.raises(ValueError, match="unknown role 'gpu'; one of all, api, worker"):
        ProcessRole.parse("gpu")
