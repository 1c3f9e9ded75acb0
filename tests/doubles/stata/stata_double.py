"""An executable protocol double of batch Stata (see README.md next to this file).

Honours the batch command line (``-b -q do FILE.do``, ``/e do FILE.do``) and the log
contract: ``FILE.log`` in the working directory, commands echoed as ``. cmd``, errors as a
message then ``r(N);``, ``end of do-file`` when a do-file ends, exit status 0 even when the
do-file failed. It interprets a small subset of commands and accepts every other line.
Stdlib only: it runs under the system ``python3`` with a sanitised environment.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from double_interpreter import Machine  # noqa: E402
from double_protocol import ExitStata, Log, StataErr  # noqa: E402


def _do_file(argv: list[str]) -> Path | None:
    for index, arg in enumerate(argv[:-1]):
        if arg == "do":
            return Path(argv[index + 1])
    return None


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    directives = [d.strip() for d in env.get("SS_STATA_DOUBLE_DIRECTIVES", "").split(";")
                  if d.strip()]
    target = _do_file(argv)
    batch = any(a in ("-b", "/e", "/b", "-e", "-s", "/s") for a in argv)
    if target is None or not batch:
        sys.stderr.write("stata double: expected -b [-q] do FILE.do or /e do FILE.do\n")
        return 2
    log_path = Path(target.name).with_suffix(".log")
    if "license-failure" in directives:
        log_path.write_bytes(b"")
        sys.stderr.write("Your license is invalid: license not found or invalid (stata.lic)\n")
        return 1
    encoding = "utf-8"
    for directive in directives:
        if directive.startswith("encoding "):
            encoding = directive.split()[1]
    log = Log(log_path, encoding)
    machine = Machine(log, env)
    for directive in directives:
        if not directive.startswith("encoding "):
            machine.directive(directive)
    log.write("")
    log.write(f". do {target.name}")
    with contextlib.suppress(StataErr, ExitStata):
        machine.run_do(target, top=True)
    for handle in [*log.named.values(), *machine.handles.values()]:
        handle.close()  # type: ignore[attr-defined]
    log.batch.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
