"""The Stata batch runner adapter (one fresh batch process per probe, preflight and run)."""

from ss_adapters.stata.runner import StataBatchRunner
from ss_adapters.stata.settings import StataSettings

__all__ = ["StataBatchRunner", "StataSettings"]
