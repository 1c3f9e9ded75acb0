"""One error hierarchy for the whole product.

Every failure a user, an operator or an embedder can meet is an ``SSError`` with a stable
``error_code`` (UPPER_SNAKE), a human message, an HTTP status hint, whether retrying can help,
one ``fix`` sentence (how to get past it), the ``actions`` that settle it (named, never as
routes: ``ss_http`` turns an action into a request) and structured context naming what is
missing or wrong. Its stored and published form is an ``ErrorReport``; the HTTP layer maps it
to ``{"error_code", "message", "retryable", "fix", **details}``; nothing else about an
exception reaches a client.

``ERROR_CODES`` is the registry: every code used anywhere is declared here once, with its
status and meaning (docs/error-codes.md is generated from it and checked in CI).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import msgspec


class ErrorCode(msgspec.Struct, frozen=True):
    """A registered error code: its HTTP status hint, default retryability and meaning."""

    code: str
    status: int
    retryable: bool
    meaning: str


def _codes(*rows: tuple[str, int, bool, str]) -> dict[str, ErrorCode]:
    return {code: ErrorCode(code, status, retry, meaning) for code, status, retry, meaning in rows}


ERROR_CODES: Mapping[str, ErrorCode] = _codes(
    # request and routing
    ("INPUT_VALIDATION_FAILED", 400, False, "A request field is missing or malformed."),
    ("API_NOT_FOUND", 404, False, "No such route."),
    ("API_METHOD_NOT_ALLOWED", 405, False, "The route exists but not for this method."),
    ("SERVICE_INTERNAL_ERROR", 500, True, "Unexpected failure; details are in the server log."),
    ("RATE_LIMITED", 429, True, "Too many requests from this client; retry later."),
    ("PAYLOAD_TOO_LARGE", 413, False, "The upload or body exceeds the configured limit."),
    ("REQUEST_TIMEOUT", 408, True, "The client stopped sending the request body; retry."),
    ("SERVICE_OVERLOADED", 503, True, "Too many connections or open files right now; retry."),
    # auth and task codes
    ("AUTH_BEARER_TOKEN_MISSING", 401, False, "No Authorization: Bearer header."),
    ("AUTH_BEARER_TOKEN_INVALID", 401, False, "The Authorization header is malformed."),
    ("AUTH_TOKEN_INVALID", 403, False, "The token is unknown, expired or revoked."),
    ("AUTH_TOKEN_FORBIDDEN", 403, False, "The token belongs to another job."),
    ("AUTH_ADMIN_TOKEN_INVALID", 403, False, "The admin token is wrong or not configured."),
    ("TASK_CODE_INVALID", 403, False, "The task code is unknown."),
    ("TASK_CODE_EXPIRED", 403, False, "The task code has expired."),
    ("TASK_CODE_REVOKED", 403, False, "The task code was revoked."),
    # jobs and state
    ("JOB_NOT_FOUND", 404, False, "No job with this id."),
    ("JOB_STATE_CONFLICT", 409, False, "The job is not in a state that allows this action."),
    ("JOB_VERSION_CONFLICT", 409, True, "The job changed concurrently; reload and retry."),
    ("RUN_NOT_FOUND", 404, False, "No run with this id."),
    ("RUN_LEASE_LOST", 409, False, "The worker no longer holds the run's lease."),
    ("RUN_ABANDONED", 500, True, "The run's lease expired on every allowed claim."),
    # inputs
    ("INPUT_UNSUPPORTED_FORMAT", 400, False, "The file type is not one of .csv .xlsx .xls .dta."),
    ("INPUT_PARSE_FAILED", 400, False, "The file could not be read as its format."),
    ("INPUT_EMPTY", 400, False, "The file has no rows or no columns."),
    ("INPUT_FILENAME_INVALID", 400, False, "The file name is unusable."),
    ("INPUT_SHEET_NOT_FOUND", 400, False, "The requested Excel sheet does not exist."),
    ("INPUTS_MISSING", 409, False, "No dataset has been uploaded for this job yet."),
    ("INPUT_INTEGRITY_FAILED", 409, False, "A stored input no longer matches the frozen plan."),
    # draft and selection
    ("DRAFT_MISSING", 409, False, "No draft exists yet; request the draft preview first."),
    ("DRAFT_FIELD_UNKNOWN", 400, False, "A draft patch names a field that does not exist."),
    ("DRAFT_VARIABLE_UNKNOWN", 400, False, "A draft patch names a column not in the dataset."),
    ("DRAFT_TEMPLATE_UNKNOWN", 400, False,
     "A draft patch switches to a template that is not in the library."),
    ("TEMPLATE_NOT_FOUND", 404, False, "No template with this id in the library."),
    ("TEMPLATE_SELECTION_NO_CANDIDATES", 422, False, "No template fits the request and data."),
    ("TEMPLATE_LIBRARY_INVALID", 503, False, "The template library failed validation."),
    # plan
    ("PLAN_FREEZE_MISSING_REQUIRED", 400, False, "Required plan parameters are missing/invalid."),
    ("PLAN_MISSING", 409, False, "The job has no frozen plan yet."),
    ("PLAN_CONFLICT", 409, False, "A different plan is already frozen for this job."),
    ("PLAN_RENDER_FAILED", 500, False, "The template could not be rendered from the plan."),
    ("DOFILE_UNSAFE", 500, False, "The rendered do-file failed the safety scan."),
    # LLM
    ("LLM_NOT_CONFIGURED", 503, False, "No LLM provider is configured."),
    ("LLM_CALL_FAILED", 502, True, "The LLM provider failed to answer."),
    ("LLM_TIMEOUT", 504, True, "The LLM provider did not answer in time."),
    ("LLM_RESPONSE_INVALID", 502, True, "The LLM answered, but not with the required JSON."),
    # Stata
    ("STATA_NOT_CONFIGURED", 503, False, "No Stata executable is configured."),
    ("STATA_LAUNCH_FAILED", 503, True, "Stata did not start (binary, licence, permissions)."),
    ("STATA_LICENSE_UNAVAILABLE", 503, True, "Stata reported a licence problem."),
    ("STATA_TIMEOUT", 504, True, "The Stata run exceeded its wall-clock limit and was killed."),
    ("STATA_CRASHED", 500, True, "Stata stopped without finishing the do-file."),
    ("STATA_DEPENDENCY_MISSING", 424, True, "A declared Stata command/package is not installed."),
    ("STATA_DEPENDENCY_BROKEN", 424, True, "An installed package failed to load (Mata/ado)."),
    ("STATA_TEMPLATE_ERROR", 500, False, "The rendered do-file has a bug (syntax, command)."),
    ("STATA_BINDING_ERROR", 400, False, "A bound variable list did not fit the command."),
    ("STATA_DATA_TYPE_ERROR", 400, False, "A variable has the wrong type for the command."),
    ("STATA_DATA_ERROR", 400, False, "The data do not satisfy the analysis (values, groups)."),
    ("STATA_DATA_EMPTY", 400, False, "No (or too few) observations for the analysis."),
    ("STATA_DATA_CONTRACT_VIOLATION", 400, False, "A template's assertion about data failed."),
    ("STATA_STATISTICAL_FAILURE", 422, True, "The model did not converge or is not identified."),
    ("STATA_INPUT_MISSING", 500, True, "A staged input file was not found by Stata."),
    ("STATA_INPUT_FORMAT", 400, False, "A staged file is not in Stata format."),
    ("STATA_SANDBOX_DENIED", 500, False, "The do-file tried the network or a forbidden path."),
    ("STATA_RESOURCE_LIMIT", 507, True, "Stata hit a memory, size or edition limit."),
    ("STATA_IO_ERROR", 503, True, "Disk or I/O failure in the run directory."),
    ("STATA_RUN_FAILED", 500, False, "Stata stopped with an error not classified further."),
    ("OUTPUT_CONTRACT_VIOLATION", 500, False, "A required declared output was not produced."),
    # results report
    ("REPORT_BUILD_FAILED", 500, True, "The results report could not be built (run unaffected)."),
    # storage
    ("STORAGE_UNAVAILABLE", 503, True, "The database or object store cannot be reached."),
    ("OBJECT_NOT_FOUND", 404, False, "No stored object under this key."),
    ("OBJECT_KEY_INVALID", 400, False, "An object key is malformed or escapes the store."),
    ("ARTIFACT_NOT_FOUND", 404, False, "No indexed artifact at this path for this job."),
    ("ARTIFACT_CONFLICT", 409, False, "A different file is already indexed at this path."),
    ("STORAGE_DUPLICATE", 409, False, "A record with this identity is already stored."),
    # configuration and readiness
    ("CONFIG_INVALID", 500, False, "The service configuration is invalid."),
    ("SERVICE_NOT_READY", 503, True, "A production requirement is not met."),
)


class Action(msgspec.Struct, frozen=True):
    """A step that settles an error, by name (``patch_draft``), with the fields it should set.
    The core never writes a route: ``ss_http`` maps the name to a method and a path."""

    name: str
    fields: tuple[str, ...] = ()


class ErrorReport(msgspec.Struct, frozen=True, kw_only=True):
    """An error as it is stored (``Job.error``, ``Run.error``, the archived ``error.json``) and
    published. ``details`` is the error's context: JSON naming what was missing or wrong."""

    error_code: str
    message: str
    retryable: bool
    fix: str | None = None
    actions: tuple[Action, ...] = ()
    details: dict[str, Any] = msgspec.field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """One flat JSON object: the details at top level, then the code, message, retryability
        and fix (the form of the archived ``error.json``, of logs and of the CLI's output)."""
        flat: dict[str, Any] = dict(self.details)
        flat.update(error_code=self.error_code, message=self.message, retryable=self.retryable)
        if self.fix is not None:
            flat["fix"] = self.fix
        return flat

    @classmethod
    def from_json(cls, flat: Mapping[str, Any]) -> ErrorReport:
        """The report ``as_json`` wrote (actions are not kept in the flat form)."""
        details = {k: v for k, v in flat.items()
                   if k not in ("error_code", "message", "retryable", "fix")}
        return cls(error_code=str(flat["error_code"]), message=str(flat.get("message", "")),
                   retryable=bool(flat.get("retryable", False)), fix=flat.get("fix"),
                   details=details)


class SSError(Exception):
    """Base of every product error. Subclasses fix ``code``; context carries the details."""

    code: ClassVar[str] = "SERVICE_INTERNAL_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        retryable: bool | None = None,
        status: int | None = None,
        fix: str | None = None,
        actions: tuple[Action, ...] = (),
        **context: Any,
    ) -> None:
        super().__init__(message)
        self.error_code = code or self.code
        if self.error_code not in ERROR_CODES:
            raise ValueError(f"unregistered error code {self.error_code!r}")
        spec = ERROR_CODES[self.error_code]
        self.message = message
        self.status = status if status is not None else spec.status
        self.retryable = spec.retryable if retryable is None else retryable
        self.fix = fix
        self.actions = actions
        self.context: dict[str, Any] = context

    def report(self) -> ErrorReport:
        """The error as a typed report (what is stored and published)."""
        return ErrorReport(error_code=self.error_code, message=self.message,
                           retryable=self.retryable, fix=self.fix, actions=self.actions,
                           details=dict(self.context))

    @classmethod
    def from_report(cls, report: ErrorReport) -> SSError:
        """The error a stored or relayed report stands for, to raise again (an inspection that
        failed in the background, a conversion that failed in a child process)."""
        kind = InputError if report.error_code.startswith("INPUT_") else SSError
        return kind(report.message, code=report.error_code, retryable=report.retryable,
                    fix=report.fix, actions=report.actions, **report.details)

    def to_body(self) -> dict[str, Any]:
        """The report as one flat JSON object (``ErrorReport.as_json``)."""
        return self.report().as_json()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.error_code}: {self.message})"


class ValidationFailed(SSError):
    code = "INPUT_VALIDATION_FAILED"


class AuthError(SSError):
    code = "AUTH_TOKEN_INVALID"


class TaskCodeError(SSError):
    code = "TASK_CODE_INVALID"


class NotFound(SSError):
    code = "JOB_NOT_FOUND"


class StateConflict(SSError):
    code = "JOB_STATE_CONFLICT"


class InputError(SSError):
    code = "INPUT_PARSE_FAILED"


class DraftError(SSError):
    code = "DRAFT_MISSING"


class TemplateError(SSError):
    code = "TEMPLATE_NOT_FOUND"


class PlanError(SSError):
    code = "PLAN_FREEZE_MISSING_REQUIRED"


class RenderError(SSError):
    code = "PLAN_RENDER_FAILED"


class UnsafeDoFile(SSError):
    code = "DOFILE_UNSAFE"


class LLMError(SSError):
    code = "LLM_CALL_FAILED"


class StataError(SSError):
    code = "STATA_RUN_FAILED"


class StorageError(SSError):
    code = "STORAGE_UNAVAILABLE"


class ConfigError(SSError):
    code = "CONFIG_INVALID"


class PayloadTooLarge(SSError):
    """An upload, a request or a stored object exceeds its configured limit."""

    code = "PAYLOAD_TOO_LARGE"


class LeaseLost(StateConflict):
    """The worker no longer holds the run's lease: stop without touching the run or job."""

    code = "RUN_LEASE_LOST"


class LLMNotConfigured(LLMError, ConfigError):
    """No usable LLM configuration (nothing set, or a model the provider does not serve): an
    LLM port failure to the use cases, a configuration problem to the settings loader."""

    code = "LLM_NOT_CONFIGURED"
