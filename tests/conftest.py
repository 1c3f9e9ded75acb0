"""Suite-wide settings. Hypothesis explores freely on developer machines; in CI (CI=true) it
runs a fixed, derandomised set of examples so a submission's result is reproducible, and no
example fails for being slow on a loaded 2-core machine."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
