"""One table from each error code to the short public number shown to end users (``E1001``
...) and, where an earlier version of the /v1 vocabulary named the same failure differently,
that earlier code.

Every error body carries ``public_code`` and, when there is one, ``legacy_error_code``;
``error_code`` itself is never changed. A code missing from the table gets the public number
of its HTTP status (``BY_STATUS``), which docs/api.md shows for every registered code.

Public numbers: E1xxx the user's input (E1001 required item missing, E1002 access, E1003/E1004
task code invalid/expired, E1006 invalid choice, E1007 file too large, E1008 format, E1009
empty file, E1011 integrity, E1012 limits), E2xxx data (E2001 unreadable, E2002
inconsistent, E2003 not found),
E3xxx the analysis (E3001 draft, E3002 not ready, E3003 configuration, E3004 execution, E3005
outputs), E4xxx the service (E4001 LLM, E4002 unavailable, E4003 misconfigured, E4004
unexpected), E5xxx time (E5001 the connection timed out, E5002 an operation timed out).
"""

from __future__ import annotations

PUBLIC_CODES: dict[str, tuple[str, str | None]] = {
    "API_METHOD_NOT_ALLOWED": ("E4004", None),
    "API_NOT_FOUND": ("E4004", None),
    "ARTIFACT_CONFLICT": ("E3005", None),
    "ARTIFACT_NOT_FOUND": ("E2003", None),
    "AUTH_ADMIN_TOKEN_INVALID": ("E1002", "ADMIN_TOKEN_INVALID"),
    "AUTH_BEARER_TOKEN_INVALID": ("E1002", None),
    "AUTH_BEARER_TOKEN_MISSING": ("E1002", None),
    "AUTH_TOKEN_FORBIDDEN": ("E1002", None),
    "AUTH_TOKEN_INVALID": ("E1002", None),
    "CONFIG_INVALID": ("E4003", None),
    "DOFILE_UNSAFE": ("E3004", "STATA_DOFILE_UNSAFE"),
    "DRAFT_FIELD_UNKNOWN": ("E1006", None),
    "DRAFT_MISSING": ("E3002", None),
    "DRAFT_TEMPLATE_UNKNOWN": ("E3003", "DO_TEMPLATE_NOT_FOUND"),
    "DRAFT_VARIABLE_UNKNOWN": ("E1006", "CONTRACT_COLUMN_NOT_FOUND"),
    "INPUTS_MISSING": ("E3002", "INPUTS_MANIFEST_MISSING"),
    "INPUT_EMPTY": ("E1009", "INPUT_EMPTY_FILE"),
    "INPUT_FILENAME_INVALID": ("E1006", "INPUT_FILENAME_UNSAFE"),
    "INPUT_INTEGRITY_FAILED": ("E1011", "CHECKSUM_MISMATCH"),
    "INPUT_PARSE_FAILED": ("E2001", None),
    "INPUT_SHEET_NOT_FOUND": ("E1006", "INPUT_EXCEL_SHEET_NOT_FOUND"),
    "INPUT_UNSUPPORTED_FORMAT": ("E1008", None),
    "INPUT_VALIDATION_FAILED": ("E1006", None),
    "JOB_NOT_FOUND": ("E1002", None),
    "JOB_STATE_CONFLICT": ("E4004", "JOB_ILLEGAL_TRANSITION"),
    "JOB_VERSION_CONFLICT": ("E4004", None),
    "LLM_CALL_FAILED": ("E4001", None),
    "LLM_NOT_CONFIGURED": ("E4003", "LLM_CONFIG_INVALID"),
    "LLM_RESPONSE_INVALID": ("E3001", "DRAFT_PREVIEW_FAILED"),
    "LLM_TIMEOUT": ("E4001", "LLM_CALL_FAILED"),
    "OBJECT_KEY_INVALID": ("E1006", "INPUT_PATH_UNSAFE"),
    "OBJECT_NOT_FOUND": ("E2003", None),
    "OUTPUT_CONTRACT_VIOLATION": ("E3005", "OUTPUT_FORMATTER_FAILED"),
    "PAYLOAD_TOO_LARGE": ("E1007", "UPLOAD_FILE_SIZE_LIMIT_EXCEEDED"),
    "PLAN_CONFLICT": ("E3002", "PLAN_ALREADY_FROZEN_CONFLICT"),
    "PLAN_FREEZE_MISSING_REQUIRED": ("E1001", None),
    "PLAN_MISSING": ("E3002", None),
    "PLAN_RENDER_FAILED": ("E3003", "DOFILE_PLAN_INVALID"),
    "RATE_LIMITED": ("E1012", None),
    "REQUEST_TIMEOUT": ("E5001", "API_TIMEOUT"),
    "REPORT_BUILD_FAILED": ("E3005", "OUTPUT_FORMATTER_FAILED"),
    "RUN_ABANDONED": ("E3004", None),
    "RUN_LEASE_LOST": ("E4004", None),
    "RUN_NOT_FOUND": ("E2003", None),
    "SERVICE_INTERNAL_ERROR": ("E4004", None),
    "SERVICE_NOT_READY": ("E4002", None),
    "SERVICE_OVERLOADED": ("E4002", None),
    "STATA_BINDING_ERROR": ("E3003", "DO_TEMPLATE_PARAM_INVALID"),
    "STATA_CRASHED": ("E3004", "STATA_NONZERO_EXIT"),
    "STATA_DATA_CONTRACT_VIOLATION": ("E2002", None),
    "STATA_DATA_EMPTY": ("E2002", None),
    "STATA_DATA_ERROR": ("E2002", None),
    "STATA_DATA_TYPE_ERROR": ("E2002", None),
    "STATA_DEPENDENCY_BROKEN": ("E4003", "STATA_DEPENDENCY_PREFLIGHT_FAILED"),
    "STATA_DEPENDENCY_MISSING": ("E4003", None),
    "STATA_INPUT_FORMAT": ("E2001", None),
    "STATA_INPUT_MISSING": ("E3004", "STATA_INPUTS_COPY_FAILED"),
    "STATA_IO_ERROR": ("E4002", None),
    "STATA_LAUNCH_FAILED": ("E4003", "STATA_CMD_NOT_FOUND"),
    "STATA_LICENSE_UNAVAILABLE": ("E4002", None),
    "STATA_NOT_CONFIGURED": ("E4003", "STATA_CMD_NOT_CONFIGURED"),
    "STATA_RESOURCE_LIMIT": ("E4002", "RESOURCE_OOM"),
    "STATA_RUN_FAILED": ("E3004", "STATA_NONZERO_EXIT"),
    "STATA_SANDBOX_DENIED": ("E3004", None),
    "STATA_STATISTICAL_FAILURE": ("E3004", None),
    "STATA_TEMPLATE_ERROR": ("E3003", "DO_TEMPLATE_CONTRACT_INVALID"),
    "STATA_TIMEOUT": ("E5002", None),
    "STORAGE_DUPLICATE": ("E4004", None),
    "STORAGE_UNAVAILABLE": ("E4002", "OBJECT_STORE_OPERATION_FAILED"),
    "TASK_CODE_EXPIRED": ("E1004", None),
    "TASK_CODE_INVALID": ("E1003", None),
    "TASK_CODE_REVOKED": ("E1004", None),
    "TEMPLATE_LIBRARY_INVALID": ("E4003", None),
    "TEMPLATE_NOT_FOUND": ("E3003", "DO_TEMPLATE_NOT_FOUND"),
    "TEMPLATE_SELECTION_NO_CANDIDATES": ("E3002", "DO_TEMPLATE_SELECTION_NO_CANDIDATES"),
}

BY_STATUS = {400: "E1006", 401: "E1002", 403: "E1002", 404: "E2003", 408: "E5001",
             409: "E4004", 413: "E1007", 422: "E3004", 424: "E4003", 429: "E1012",
             500: "E4004", 502: "E4001", 503: "E4002", 504: "E5002", 507: "E4002"}


def public_fields(error_code: str, status: int) -> dict[str, str]:
    """``public_code`` (always) and ``legacy_error_code`` (when the table has one)."""
    public, legacy = PUBLIC_CODES.get(error_code, (BY_STATUS.get(status, "E4004"), None))
    return {"public_code": public, **({"legacy_error_code": legacy} if legacy else {})}
