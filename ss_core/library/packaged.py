"""Where the shipped template library lives: inside the installed package ``ss_assets``.

The library (templates, metas, JSON Schemas, known-answer fixtures) is package data, found
with importlib.resources, so a wheel installed anywhere carries and finds it. A source
checkout whose environment predates the ``ss_assets`` mapping reads the same files from the
checkout's ``assets/`` directory.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from ss_core.errors import ConfigError

LIBRARY_DIR_NAME = "stata_do_library"
_CHECKOUT_ASSETS = Path(__file__).resolve().parents[2] / "assets"


def assets_root() -> Path:
    """The directory of the ``ss_assets`` package (a real directory: wheels install unzipped)."""
    try:
        root = importlib.resources.files("ss_assets")
    except ModuleNotFoundError:
        if (_CHECKOUT_ASSETS / LIBRARY_DIR_NAME).is_dir():
            return _CHECKOUT_ASSETS
        raise ConfigError(
            "the template library package ss_assets is not installed: reinstall SS "
            "(pip install ss) or set SS_TEMPLATE_LIBRARY", missing=["ss_assets"]) from None
    if not isinstance(root, Path):
        raise ConfigError("the ss_assets package must be installed unzipped",
                          location=str(root))
    return root


def default_library_root() -> Path:
    """The shipped library's root directory (``SS_TEMPLATE_LIBRARY`` overrides it)."""
    return assets_root() / LIBRARY_DIR_NAME
