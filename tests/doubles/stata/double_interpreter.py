"""The Stata double's interpreter: do-files, echo, errors, prefixes, control flow, macros."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

from double_files import FileCommands
from double_protocol import COMMUNITY, MACRO, MESSAGES, STRING, ExitDo, ExitStata, Log, StataErr


class Machine(FileCommands):
    def __init__(self, log: Log, env: dict[str, str]) -> None:
        self.log = log
        self.env = env
        self.locals: dict[str, str] = {}
        self.handles: dict[str, object] = {}
        self.programs: set[str] = set()
        self.installed = {n.strip() for n in env.get("SS_STATA_DOUBLE_INSTALLED", "").split(",")
                          if n.strip()}
        self.plus_dir: str | None = None
        self.rc = 0
        self.pending_fail: tuple[int, str | None] | None = None
        self.skip_outputs: set[str] = set()
        self.temp_counter = 0
        self.skip_depth = 0
        self.last_if = True
        self.blocks: list[bool] = []
        version = env.get("SS_STATA_DOUBLE_VERSION", "18")
        edition = env.get("SS_STATA_DOUBLE_EDITION", "MP").upper()
        self.cvalues = {
            "stata_version": version, "version": version, "mode": "batch", "os": "Unix",
            "edition_real": edition if float(version) >= 17 else "",
            "edition": edition if float(version) >= 17 else "",
            "flavor": "IC" if edition in ("BE", "IC") else "SE",
            "MP": "1" if edition == "MP" else "0", "SE": "1" if edition == "SE" else "0",
            "processors_lic": "2" if edition == "MP" else "1", "machine_type": "PC (64-bit x86-64)",
            "born_date": "15 Oct 2025", "sysdir_plus": "~/ado/plus/",
        }

    # ---- text helpers -----------------------------------------------------------------

    def expand(self, text: str) -> str:
        for _ in range(10):
            new = MACRO.sub(self._macro, text)
            if new == text:
                return new
            text = new
        return text

    def _macro(self, match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("c(") and name.endswith(")"):
            return self.cvalues.get(name[2:-1], "")
        return self.locals.get(name, "")

    @staticmethod
    def quoted(text: str) -> list[str]:
        return [m.group(1) if m.group(1) is not None else m.group(2)
                for m in STRING.finditer(text)]

    def first_path(self, text: str) -> str:
        strings = self.quoted(text)
        if strings:
            return strings[0]
        words = text.replace(",", " ").split()
        return words[0] if words else ""

    # ---- do-files -----------------------------------------------------------------------

    def run_do(self, path: Path, top: bool = False) -> None:
        if not path.is_file():
            raise StataErr(601, f"file {path.name} not found")
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
        in_program: str | None = None
        number = 0
        joined: list[str] = []
        for raw in lines:
            if raw.rstrip().endswith("///"):
                joined.append(raw.rstrip()[:-3])
                continue
            line = " ".join([*joined, raw]) if joined else raw
            joined = []
            if in_program is not None:
                number += 1
                self.log.write(f"{number:>3}. {line.strip()}")
                if line.strip() == "end":
                    self.programs.add(in_program)
                    in_program, number = None, 0
                continue
            self.log.write("")
            self.log.write(f". {line.strip()}".rstrip() if line.strip() else ".")
            words = line.split()
            if words[:1] == ["program"] and len(words) > 1 and words[1] not in ("drop", "dir"):
                in_program = words[2] if words[1] == "define" and len(words) > 2 else words[1]
                continue
            if self.skip_depth:
                self._skip(line.strip())
                continue
            try:
                self.execute(line.strip())
            except StataErr as err:
                self.report(err)
                self.log.write("")
                self.log.write("end of do-file")
                if top:
                    self.log.write("")
                    self.log.write(f"r({err.rc});")
                raise StataErr(err.rc, "") from None
            except ExitDo:
                break
        self.log.write("")
        self.log.write("end of do-file")

    def _skip(self, line: str) -> None:
        """Inside a block whose condition was false: track braces until it closes."""
        if line.startswith("}"):
            self.skip_depth -= 1
            rest = line[1:].strip()
            if self.skip_depth == 0:
                if rest.startswith("else"):
                    self.execute(rest)
                return
            line = rest
        if line.endswith("{"):
            self.skip_depth += 1

    def report(self, err: StataErr) -> None:
        if err.message == "":
            self.log.write(f"r({err.rc});", force=True)
            return
        text = err.message or MESSAGES.get(err.rc, "error {rc}").format(arg="", rc=err.rc)
        self.log.write(text, force=True)
        self.log.write(f"r({err.rc});", force=True)

    # ---- commands -----------------------------------------------------------------------

    def execute(self, line: str) -> None:
        if line.startswith("}"):
            self.last_if = self.blocks.pop() if self.blocks else True
            line = line[1:].strip()
        words = line.split()
        if line.endswith("{") and words[0] not in ("if", "else"):
            self.blocks.append(True)
        if not line or line.startswith(("*", "//")) or line == "{":
            if line.startswith("*") and "ss-double:" in line:
                self.directive(line.split("ss-double:", 1)[1].strip())
            return
        words = line.split()
        head = words[0].rstrip(",:")
        if self.pending_fail is not None and head not in ("capture", "cap", "quietly", "qui"):
            rc, message = self.pending_fail
            self.pending_fail = None
            arg = words[0] if rc == 199 else (words[1] if len(words) > 1 else "x")
            raise StataErr(rc, message or MESSAGES.get(rc, "error {rc}").format(arg=arg, rc=rc))
        rest = line[len(words[0]):].strip()
        if head in ("capture", "cap", "capt"):
            noisy = rest.split()[:1] in (["noisily"], ["noi"], ["n"])
            inner = rest.split(None, 1)[1] if noisy else rest
            if not noisy:
                self.log.captured += 1
            try:
                self.execute(inner)
                self.rc = 0
            except StataErr as err:
                self.rc = err.rc
                if noisy and err.message != "":
                    self.log.write(err.message or MESSAGES.get(err.rc, "error").format(
                        arg="", rc=err.rc))
            finally:
                if not noisy:
                    self.log.captured -= 1
            return
        if head in ("quietly", "qui", "noisily", "noi", "n"):
            self.log.quiet += head.startswith("q")
            try:
                self.execute(rest)
            finally:
                self.log.quiet -= head.startswith("q")
            return
        handler = getattr(self, "cmd_" + head, None)
        if handler is not None:
            handler(self.expand(rest))
        elif head in COMMUNITY and head not in self.installed and not self._in_plus(head):
            raise StataErr(199, f"command {head} is unrecognized")

    def directive(self, text: str) -> None:
        words = text.split()
        if not words:
            return
        kind, args = words[0], words[1:]
        if kind == "fail":
            self.pending_fail = (int(args[0]), " ".join(args[1:]) or None)
        elif kind == "sleep":
            time.sleep(float(args[0]))
        elif kind == "spawn-child":
            child = subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL)
            target = self.env.get("SS_STATA_DOUBLE_PIDFILE") or "ss_double_child.pid"
            Path(target).write_text(f"{child.pid}\n")
        elif kind == "encoding":
            self.log.encoding = args[0]
        elif kind == "huge-log":
            filler = "filler output line of the test double " + "x" * 60
            for index in range(int(float(args[0]) * (1 << 20) // 110)):
                self.log.write(f"{index:08d} {filler}")
        elif kind == "skip-output":
            self.skip_outputs.update(args)
        elif kind == "stamp":
            Path(args[0]).write_text(f"{time.time():.6f}\n", encoding="utf-8")
        elif kind == "env-to":
            Path(args[0]).write_text(json.dumps(dict(os.environ), indent=1), encoding="utf-8")
        elif kind == "crash":
            self.log.batch.flush()
            os._exit(int(args[0]) if args else 139)

    def cmd_do(self, rest: str) -> None:
        self.run_do(Path(self.first_path(rest)))

    cmd_run = cmd_include = cmd_do

    def cmd_display(self, rest: str) -> None:
        rest = re.sub(r"^(as\s+\w+\s+)+", "", rest)
        strings = self.quoted(rest)
        self.log.write("".join(strings) if strings else rest)

    cmd_di = cmd_display

    def cmd_local(self, rest: str) -> None:
        name, _, value = rest.partition(" ")
        value = value.strip()
        if value.startswith("="):
            expr = value[1:].strip()
            value = str(self.rc) if expr == "_rc" else expr.strip('"')
        elif value.startswith(":"):
            value = ""
        self.locals[name] = value

    def cmd_tempname(self, rest: str) -> None:
        for name in rest.split():
            self.locals[name] = f"__{self.temp_counter:06d}"
            self.temp_counter += 1

    cmd_tempvar = cmd_tempname

    def cmd_tempfile(self, rest: str) -> None:
        """Temporary files live in STATATMP/TMPDIR (never in the working directory)."""
        folder = self.env.get("STATATMP") or self.env.get("TMPDIR") or "/tmp"
        for name in rest.split():
            self.locals[name] = f"{folder}/St{os.getpid()}.{self.temp_counter:06d}"
            self.temp_counter += 1

    def cmd_if(self, rest: str) -> None:
        """``if _rc[ op N] <cmd|{>``; any other condition counts as true."""
        match = re.match(r"(_rc(?:\s*(?:!=|==|>|<|>=|<=)\s*\d+)?)\s+(.*)$", rest)
        holds = True
        if match:
            cond = match.group(1).replace(" ", "")
            holds = (self.rc != 0 if cond == "_rc" else
                     bool(eval(cond.replace("_rc", str(self.rc)))))  # noqa: S307 - digits/ops
            body = match.group(2).strip()
        else:
            body = "{" if rest.rstrip().endswith("{") else ""
        self.last_if = holds
        if body == "{":
            if holds:
                self.blocks.append(True)
            else:
                self.skip_depth = 1
        elif holds and body:
            self.execute(body)

    def cmd_else(self, rest: str) -> None:
        """``last_if`` says whether a branch of the current if/else chain was taken."""
        block = rest.rstrip().endswith("{")
        if self.last_if:
            self.skip_depth = 1 if block else 0
        elif rest.startswith(("if ", "if\t")):
            self.cmd_if(rest[2:].strip())
        elif block:
            self.blocks.append(True)
        elif rest:
            self.execute(rest)

    def cmd_exit(self, rest: str) -> None:
        if "STATA" in rest.upper().split(",")[-1].split():
            raise ExitStata
        code = rest.split(",")[0].strip()
        if code.isdigit() and int(code):
            raise StataErr(int(code), "")
        raise ExitDo
