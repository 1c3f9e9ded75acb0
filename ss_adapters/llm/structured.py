"""The structured-answer loop shared by every wire format.

Ask, parse the answer as JSON (tolerating code fences and surrounding prose), validate it
against the request's JSON Schema (Draft 2020-12); if it fails, feed the validation errors
back as a follow-up message and ask again, at most ``max_repairs`` times; then raise
``LLM_RESPONSE_INVALID`` with every attempt's trace and errors. The validator library is
imported with the first answer checked.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from ss_adapters.llm.traces import TraceLog
from ss_adapters.llm.transport import HttpExchange
from ss_core.errors import LLMError, SSError
from ss_core.ports.llm import StructuredAnswer, StructuredRequest

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

MAX_ERRORS_REPORTED = 8
MAX_ERROR_CHARS = 300
_FENCE = re.compile(r"```[A-Za-z0-9_-]*\s*\n?(.*?)```", re.DOTALL)
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")


class Candidate(msgspec.Struct, frozen=True):
    """What the wire format found in a response: the answer (text or an already-parsed
    object) or why there is none."""

    value: str | dict[str, Any] | None
    problem: str | None = None


class WireFormat(Protocol):
    """A provider's request/response shapes for one structured question."""

    usage_keys: tuple[str, ...]

    def url(self) -> str: ...

    def headers(self) -> dict[str, str]: ...

    def first_messages(self, request: StructuredRequest) -> list[dict[str, Any]]: ...

    def body(self, request: StructuredRequest, messages: list[dict[str, Any]]) -> dict[str, Any]:
        ...

    def candidate(self, request: StructuredRequest, body: dict[str, Any]) -> Candidate: ...

    def repair_messages(
        self, messages: list[dict[str, Any]], body: dict[str, Any], feedback: str
    ) -> list[dict[str, Any]]: ...


def schema_name(request: StructuredRequest) -> str:
    """The schema name in the characters every provider accepts (1-64 of ``[A-Za-z0-9_-]``)."""
    return _NAME_CHARS.sub("_", request.schema_name)[:64] or "answer"


def schema_text(request: StructuredRequest) -> str:
    return json.dumps(request.schema, ensure_ascii=False, indent=1, sort_keys=True)


async def complete_structured(
    *,
    wire: WireFormat,
    exchange: HttpExchange,
    request: StructuredRequest,
    log: TraceLog,
    max_repairs: int,
) -> StructuredAnswer:
    """Run the ask/validate/repair loop; return a schema-valid answer or raise."""
    validator = _validator(request)
    messages = wire.first_messages(request)
    rounds: list[dict[str, Any]] = []
    for _ in range(max_repairs + 1):
        body = await exchange.send(
            "POST", wire.url(), headers=wire.headers(), body=wire.body(request, messages),
            log=log, usage_keys=wire.usage_keys,
        )
        data, errors = _check(wire.candidate(request, body), validator)
        if data is not None:
            model = body.get("model")
            return StructuredAnswer(
                data=data,
                model=model if isinstance(model, str) and model else log.model,
                provider=log.provider,
                traces=log.traces(),
            )
        feedback = "; ".join(errors)
        log.mark_last_invalid(feedback)
        rounds.append({"attempt": log.attempts, "errors": errors})
        messages = wire.repair_messages(messages, body, _repair_prompt(errors))
    raise LLMError(
        f"The LLM ({log.provider}, {log.model}) did not produce JSON valid against the "
        f"schema {request.schema_name!r} after {len(rounds)} answers; see errors and traces "
        "(raise SS_LLM_MAX_REPAIRS or use a stronger SS_LLM_MODEL).",
        code="LLM_RESPONSE_INVALID",
        provider=log.provider,
        model=log.model,
        operation=request.operation,
        schema_name=request.schema_name,
        errors=rounds,
        traces=log.as_builtins(),
    )


def parse_answer(text: str) -> dict[str, Any] | str:
    """The JSON object in ``text`` (bare, fenced, or embedded in prose), or why not."""
    stripped = text.strip()
    if not stripped:
        return "the answer is empty"
    attempts = [stripped]
    attempts += [match.group(1).strip() for match in _FENCE.finditer(stripped)]
    first, last = stripped.find("{"), stripped.rfind("}")
    if 0 <= first < last:
        attempts.append(stripped[first : last + 1])
    problem = "the answer is not JSON"
    for attempt in attempts:
        try:
            value = json.loads(attempt)
        except ValueError as exc:
            if attempt is stripped:
                problem = f"the answer is not valid JSON ({exc})"
            continue
        if isinstance(value, dict):
            return value
        problem = f"the answer is JSON but not an object (got {type(value).__name__})"
    return problem


_CHECKED: dict[str, Draft202012Validator] = {}
_CHECKED_MAX = 64


def _validator(request: StructuredRequest) -> Draft202012Validator:
    """The schema's validator; a schema is checked once per process (checking one against
    the metaschema takes ~10 ms, and the same few schemas are asked with every job)."""
    text = json.dumps(request.schema, sort_keys=True)
    known = _CHECKED.get(text)
    if known is not None:
        return known
    validator = _checked_validator(request)
    if len(_CHECKED) >= _CHECKED_MAX:
        _CHECKED.pop(next(iter(_CHECKED)))
    _CHECKED[text] = validator
    return validator


def _checked_validator(request: StructuredRequest) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(request.schema)
    except SchemaError as exc:
        raise SSError(
            f"The schema {request.schema_name!r} for {request.operation!r} is not a valid "
            f"JSON Schema: {exc.message}",
            code="SERVICE_INTERNAL_ERROR",
            schema_name=request.schema_name,
            operation=request.operation,
        ) from exc
    return Draft202012Validator(request.schema)


def _check(
    candidate: Candidate, validator: Draft202012Validator
) -> tuple[dict[str, Any] | None, list[str]]:
    if candidate.problem is not None or candidate.value is None:
        return None, [candidate.problem or "the answer is empty"]
    value = candidate.value
    if isinstance(value, str):
        parsed = parse_answer(value)
        if isinstance(parsed, str):
            return None, [parsed]
        value = parsed
    errors = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.path])
    if not errors:
        return value, []
    described = [
        f"at {error.json_path}: {error.message}"[:MAX_ERROR_CHARS]
        for error in errors[:MAX_ERRORS_REPORTED]
    ]
    if len(errors) > MAX_ERRORS_REPORTED:
        described.append(f"... and {len(errors) - MAX_ERRORS_REPORTED} more errors")
    return None, described


def _repair_prompt(errors: list[str]) -> str:
    listed = "\n".join(f"- {error}" for error in errors)
    return (
        "Your previous answer was rejected because it does not satisfy the JSON Schema:\n"
        f"{listed}\n"
        "Answer again with one corrected JSON object that validates against the schema, "
        "and nothing else."
    )
