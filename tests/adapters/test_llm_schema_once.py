"""A structured request's JSON Schema is checked against the metaschema once per process:
the same schema gets the same validator; an invalid schema is refused every time."""

from __future__ import annotations

import pytest

from ss_adapters.llm.structured import _validator
from ss_core.errors import SSError
from ss_core.ports.llm import StructuredRequest


def _request(schema: dict[str, object]) -> StructuredRequest:
    return StructuredRequest(operation="draft", system="s", prompt="p", schema=schema,
                             schema_name="answer")


def test_the_same_schema_is_checked_once_and_validates_alike() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    first = _validator(_request(schema))
    again = _validator(_request({"required": ["n"], **schema}))  # equal, built anew
    assert again is first
    assert again.is_valid({"n": 1}) and not again.is_valid({"n": "x"})
    other = _validator(_request({**schema, "required": []}))
    assert other is not first and other.is_valid({})


def test_an_invalid_schema_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(SSError) as caught:
            _validator(_request({"type": "no such type"}))
        assert "not a valid JSON Schema" in caught.value.message
