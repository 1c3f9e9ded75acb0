"""Stata return codes mapped to the registered ``STATA_*`` error codes, in one table.

``code_for_rc`` is total: every integer maps to exactly one registered code. ``r(199)`` is
special-cased by the caller (it depends on whether the unrecognised command belongs to a
declared package), so here it maps to ``STATA_TEMPLATE_ERROR``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ss_core.errors import ERROR_CODES


def _span(first: int, last: int) -> range:
    return range(first, last + 1)


_RULES: tuple[tuple[Iterable[int], str], ...] = (
    ((1,), "STATA_CRASHED"),
    ((2, 631, 677, 170, 603, 608), "STATA_SANDBOX_DENIED"),
    ((3, 4, 110, 197, 198, 199, 301, 602, 604, 606), "STATA_TEMPLATE_ERROR"),
    (_span(130, 134), "STATA_TEMPLATE_ERROR"),
    ((9,), "STATA_DATA_CONTRACT_VIOLATION"),
    ((*_span(100, 103), 111), "STATA_BINDING_ERROR"),
    ((109,), "STATA_DATA_TYPE_ERROR"),
    ((402, 411, 416, 420, 451, 452, 459), "STATA_DATA_ERROR"),
    ((430, *_span(480, 499), 503, 506), "STATA_STATISTICAL_FAILURE"),
    ((601,), "STATA_INPUT_MISSING"),
    ((610,), "STATA_INPUT_FORMAT"),
    ((*_span(691, 699),), "STATA_IO_ERROR"),
    ((*_span(900, 950), *_span(1000, 1004)), "STATA_RESOURCE_LIMIT"),
    ((2000, 2001), "STATA_DATA_EMPTY"),
    (_span(3000, 3999), "STATA_DEPENDENCY_BROKEN"),
)

RC_TABLE: dict[int, str] = {rc: code for ranges, code in _RULES for rc in ranges}
DEFAULT_CODE = "STATA_RUN_FAILED"

_ADVICE: dict[str, str] = {
    "STATA_CRASHED": "Stata stopped before finishing; the run can be retried.",
    "STATA_SANDBOX_DENIED": (
        "the do-file tried the network or a path outside its run directory; the template "
        "must only read and write files in its own directory."
    ),
    "STATA_TEMPLATE_ERROR": (
        "the rendered do-file has a bug (syntax, command or program flow); this is not "
        "caused by your data - report it with the log."
    ),
    "STATA_DATA_CONTRACT_VIOLATION": (
        "a check the template makes about the data failed; review the message and the "
        "variables you chose."
    ),
    "STATA_BINDING_ERROR": (
        "a variable or variable list given to the command does not fit it; check the "
        "variables chosen for each parameter."
    ),
    "STATA_DATA_TYPE_ERROR": (
        "a variable has the wrong type for the command (for example text where a number "
        "is needed); convert it to numeric or choose another variable."
    ),
    "STATA_DATA_ERROR": (
        "the data do not satisfy the analysis (values, groups or time structure); review "
        "the message and the variables chosen."
    ),
    "STATA_STATISTICAL_FAILURE": (
        "the model could not be estimated (no convergence, not identified or collinear); "
        "try fewer controls or another specification."
    ),
    "STATA_INPUT_MISSING": "a staged input file was not found by Stata; the run can be retried.",
    "STATA_INPUT_FORMAT": "an input file is not a valid Stata dataset; re-upload the data.",
    "STATA_IO_ERROR": "disk or I/O failure in the run directory; the run can be retried.",
    "STATA_RESOURCE_LIMIT": (
        "Stata hit a memory, size or edition limit; reduce the data or ask the operator "
        "for a larger Stata edition or memory cap."
    ),
    "STATA_DATA_EMPTY": (
        "no (or too few) observations were left for the analysis; check filters and "
        "missing values of the chosen variables."
    ),
    "STATA_DEPENDENCY_BROKEN": (
        "an installed Stata package failed to load; the operator must reinstall it in "
        "the ado directory."
    ),
    "STATA_RUN_FAILED": "Stata stopped with an error; see the log excerpt.",
}


def code_for_rc(rc: int) -> str:
    """The registered error code for a non-zero Stata return code (total)."""
    return RC_TABLE.get(rc, DEFAULT_CODE)


def advice_for(code: str) -> str:
    """One actionable sentence for a ``STATA_*`` code (a generic one for any other code)."""
    return _ADVICE.get(code, _ADVICE[DEFAULT_CODE])


def is_retryable(code: str) -> bool:
    """Retryability from the registry (unknown codes are not retryable)."""
    spec = ERROR_CODES.get(code)
    return bool(spec and spec.retryable)


def _check_table() -> None:
    unknown = {code for code in RC_TABLE.values() if code not in ERROR_CODES}
    if unknown:  # pragma: no cover - guarded by tests
        raise RuntimeError(f"unregistered codes in the rc table: {sorted(unknown)}")


_check_table()
