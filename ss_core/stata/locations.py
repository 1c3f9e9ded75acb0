"""What Stata would read as a place outside the run directory: a URL, an absolute path, a
step up to a parent directory.

The safety scan rejects such text in a rendered do-file, and binding refuses a text value
that looks like one before it can reach a do-file at all.
"""

from __future__ import annotations

import re

URL = re.compile(r"\b(?:https?|ftps?|file|s3)://", re.IGNORECASE)
ABSOLUTE_PATH = re.compile(r"^\s*(?:/|~|\\\\|[A-Za-z]:[\\/])")
PARENT_STEP = re.compile(r"(?:^|[\\/])\.\.(?:[\\/]|$)")


def looks_like_location(text: str) -> bool:
    """Whether a string would be read as a URL or a path outside the run directory."""
    return bool(URL.search(text) or ABSOLUTE_PATH.search(text) or PARENT_STEP.search(text))
