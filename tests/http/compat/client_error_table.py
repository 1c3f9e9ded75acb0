"""Facts about the web client's error display (frontend/src/utils/errorCodes.ts:34-181 and
183-198): the public number it shows for the codes SS emits or names as
``legacy_error_code``, and its fallback when it does not know a code."""

from __future__ import annotations

# The public numbers the client can show (errorCodes.ts:1).
PUBLIC_NUMBERS = frozenset(
    [f"E10{n:02d}" for n in range(1, 13)] + [f"E200{n}" for n in range(1, 4)]
    + [f"E300{n}" for n in range(1, 6)] + [f"E400{n}" for n in range(1, 5)] + ["E5001", "E5002"])

KNOWN: dict[str, str] = {
    "ADMIN_TOKEN_INVALID": "E1002", "API_TIMEOUT": "E5001", "ARTIFACT_NOT_FOUND": "E2003",
    "AUTH_BEARER_TOKEN_INVALID": "E1002", "AUTH_BEARER_TOKEN_MISSING": "E1002",
    "AUTH_TOKEN_FORBIDDEN": "E1002", "AUTH_TOKEN_INVALID": "E1002", "CHECKSUM_MISMATCH": "E1011",
    "CONTRACT_COLUMN_NOT_FOUND": "E1006", "DOFILE_PLAN_INVALID": "E3003",
    "DO_TEMPLATE_CONTRACT_INVALID": "E3003", "DO_TEMPLATE_NOT_FOUND": "E3003",
    "DO_TEMPLATE_PARAM_INVALID": "E3003", "DO_TEMPLATE_SELECTION_NO_CANDIDATES": "E3002",
    "DRAFT_PREVIEW_FAILED": "E3001", "INPUTS_MANIFEST_MISSING": "E3002",
    "INPUT_EMPTY_FILE": "E1009", "INPUT_EXCEL_SHEET_NOT_FOUND": "E1006",
    "INPUT_FILENAME_UNSAFE": "E1006", "INPUT_PARSE_FAILED": "E2001",
    "INPUT_PATH_UNSAFE": "E1006", "INPUT_UNSUPPORTED_FORMAT": "E1008",
    "INPUT_VALIDATION_FAILED": "E1006", "JOB_ILLEGAL_TRANSITION": "E4004",
    "JOB_NOT_FOUND": "E1002", "JOB_VERSION_CONFLICT": "E4004", "LLM_CALL_FAILED": "E4001",
    "LLM_CONFIG_INVALID": "E4003", "OBJECT_STORE_OPERATION_FAILED": "E4002",
    "OUTPUT_FORMATTER_FAILED": "E3005", "PLAN_ALREADY_FROZEN_CONFLICT": "E3002",
    "PLAN_FREEZE_MISSING_REQUIRED": "E1001", "PLAN_MISSING": "E3002", "RESOURCE_OOM": "E4002",
    "STATA_CMD_NOT_CONFIGURED": "E4003", "STATA_CMD_NOT_FOUND": "E4003",
    "STATA_DEPENDENCY_MISSING": "E4003", "STATA_DEPENDENCY_PREFLIGHT_FAILED": "E4003",
    "STATA_DOFILE_UNSAFE": "E3004", "STATA_INPUTS_COPY_FAILED": "E3004",
    "STATA_NONZERO_EXIT": "E3004", "TASK_CODE_EXPIRED": "E1004", "TASK_CODE_INVALID": "E1003",
    "TASK_CODE_REVOKED": "E1004", "UPLOAD_FILE_SIZE_LIMIT_EXCEEDED": "E1007",
}


def shown(code: str | None, status: int) -> str:
    """The public number the client shows (errorCodes.ts:183-198, http errors only)."""
    if code in KNOWN:
        return KNOWN[code]
    if status in (401, 403):
        return "E1002"
    return "E1006" if status == 400 else "E4004"
