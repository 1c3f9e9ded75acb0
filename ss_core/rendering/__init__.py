"""From a frozen plan to do-file bytes: preamble, sandboxed template rendering, safety scan."""
