"""An executable protocol double of batch Stata (see README.md next to this file).

Honours the batch command line (``-b -q do FILE.do``, ``/e do FILE.do``) and the log
contract: ``FILE.log`` in the working directory, commands echoed as ``. cmd``, errors as a
message then ``r(N);``, ``end of do-file`` when a do-file ends, exit status 0 even when the
do-file failed. It interprets a small subset of commands and accepts every other line.
Stdlib only: it runs under the system ``python3`` with a sanitised environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from artifacts import write_csv, write_dta, write_graph, write_xlsx  # noqa: E402

BUILTIN = frozenset("""
display di log file which set clear use save export import graph twoway scatter line putexcel
regress reg logit probit logistic ologit oprobit mlogit poisson nbreg tobit xtreg xtset tsset
summarize sum su tabulate tab tab1 tab2 correlate corr pwcorr generate gen egen replace drop
keep rename label describe count sort gsort by bysort preserve restore merge append reshape
collapse foreach forvalues while if else local global tempname tempvar tempfile matrix scalar
program end capture quietly noisily version exit assert confirm predict estimates margins test
lincom ttest ranksum areg ivregress xtlogit xtprobit heckman qreg sqreg stset stcox streg
format encode decode destring tostring recode sample duplicates order mata return ereturn
sysdir adopath do run include findfile cd pwd help set_more more quantile histogram kdensity
""".split())
COMMUNITY = frozenset("""
reghdfe ivreghdfe ppmlhdfe ftools estout esttab eststo estadd outreg2 winsor2 asdoc coefplot
psmatch2 xtabond2 ivreg2 ranktest rdrobust synth did_multiplegt csdid boottest gtools
""".split())
MESSAGES = {
    9: "assertion is false", 109: "type mismatch", 111: "variable {arg} not found",
    198: "invalid syntax", 199: "command {arg} is unrecognized", 430: "convergence not achieved",
    601: "file {arg} not found", 602: "file {arg} already exists", 603: "file could not be opened",
    604: "log file already open", 606: "no log file open", 900: "no room to add more variables",
    2000: "no observations", 3000: "(error occurred while loading {arg}.ado)",
}
_MACRO = re.compile(r"`((?:c\()?[A-Za-z_][A-Za-z0-9_]*\)?)'")
_STRING = re.compile(r'`"(.*?)"\'|"([^"]*)"')


class StataErr(Exception):
    def __init__(self, rc: int, message: str | None = None) -> None:
        super().__init__(rc)
        self.rc = rc
        self.message = message


class ExitStata(Exception):
    pass


class Log:
    """The batch log plus any named logs; every output line goes to all open logs."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.encoding = encoding
        self.batch = path.open("wb")
        self.named: dict[str, object] = {}
        self.quiet = 0
        self.captured = 0

    def write(self, line: str, force: bool = False) -> None:
        """Output is hidden under ``capture``; under ``quietly`` only errors (force) show."""
        if self.captured or (self.quiet and not force):
            return
        data = (line + "\n").encode(self.encoding, errors="replace")
        self.batch.write(data)
        for handle in self.named.values():
            handle.write(data)  # type: ignore[attr-defined]
        self.batch.flush()


class Machine:
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
            "flavor": "IC" if edition in ("BE", "IC") else "SE",
            "MP": "1" if edition == "MP" else "0", "SE": "1" if edition == "SE" else "0",
            "processors_lic": "2" if edition == "MP" else "1", "machine_type": "PC (64-bit x86-64)",
            "born_date": "15 Oct 2025", "sysdir_plus": "~/ado/plus/",
        }

    # ---- text helpers -----------------------------------------------------------------

    def expand(self, text: str) -> str:
        for _ in range(10):
            new = _MACRO.sub(self._macro, text)
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
                for m in _STRING.finditer(text)]

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
            except _ExitDo:
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

    def _in_plus(self, name: str) -> bool:
        return bool(self.plus_dir) and (Path(self.plus_dir) / name[0] / f"{name}.ado").is_file()

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

    def cmd_log(self, rest: str) -> None:
        words = rest.replace(",", " , ").split()
        if words and words[0] == "using":
            name_match = re.search(r"name\((\w+)\)", rest)
            name = name_match.group(1) if name_match else "<unnamed>"
            if name in self.log.named:
                raise StataErr(604, "log file already open")
            path = Path(self.first_path(rest))
            mode = "wb" if "replace" in words else "ab"
            self.log.named[name] = path.open(mode)
        elif words and words[0] == "close":
            names = [w for w in words[1:] if w != ","] or ["<unnamed>"]
            if names == ["_all"]:
                names = list(self.log.named)
            for name in names:
                handle = self.log.named.pop(name, None)
                if handle is None:
                    raise StataErr(606, "no log file open")
                handle.close()  # type: ignore[attr-defined]

    def cmd_file(self, rest: str) -> None:
        words = rest.split()
        action, handle = words[0], words[1] if len(words) > 1 else ""
        if action == "open":
            path = Path(self.first_path(rest.split("using", 1)[1]))
            if re.search(r",.*\bread\b", rest):
                if not path.is_file():
                    raise StataErr(601, f"file {path} not found")
                self.handles[handle] = path.open("rb")
            else:
                self.handles[handle] = path.open("a" if "append" in rest else "w",
                                                 encoding="utf-8")
        elif action == "write":
            body = rest.split(None, 2)[2] if len(words) > 2 else ""
            out = []
            for token in re.finditer(r'`"(.*?)"\'|"([^"]*)"|(_n|_newline)|(_tab)|(\S+)', body):
                if token.group(1) is not None or token.group(2) is not None:
                    out.append(token.group(1) if token.group(1) is not None else token.group(2))
                elif token.group(3):
                    out.append("\n")
                elif token.group(4):
                    out.append("\t")
            self.handles[handle].write("".join(out))  # type: ignore[attr-defined]
        elif action == "close":
            self.handles.pop(handle).close()  # type: ignore[attr-defined]

    def cmd_which(self, rest: str) -> None:
        name = rest.split()[0] if rest.split() else ""
        if name in BUILTIN:
            self.log.write(f"built-in command:  {name}")
        elif name in self.installed or name in self.programs or self._in_plus(name):
            self.log.write(f"{self.plus_dir or '~/ado/plus'}/{name[:1]}/{name}.ado")
        else:
            raise StataErr(111, f"command {name} not found as either built-in or ado-file")

    def cmd_sysdir(self, rest: str) -> None:
        words = rest.split()
        if words[:2] == ["set", "PLUS"]:
            self.plus_dir = self.first_path(rest.split("PLUS", 1)[1])

    def _target(self, rest: str, maker: object, kind: str) -> None:
        path = Path(self.first_path(rest))
        if path.name in self.skip_outputs:
            return
        if path.exists() and "replace" not in rest.split(",")[-1]:
            raise StataErr(602, f"file {path} already exists")
        maker(path)  # type: ignore[operator]
        self.log.write(f"file {path} {kind}")

    def cmd_export(self, rest: str) -> None:
        words = rest.split()
        using = rest.split("using", 1)[1] if "using" in rest else ""
        if words[:1] in (["delimited"], ["delim"]):
            self._target(using, write_csv, "saved")
        elif words[:1] == ["excel"]:
            self._target(using, write_xlsx, "saved")

    def cmd_graph(self, rest: str) -> None:
        if rest.split()[:1] == ["export"]:
            self._target(rest.split(None, 1)[1], write_graph, "written")

    def cmd_save(self, rest: str) -> None:
        self._target(rest, write_dta, "saved")

    def cmd_putexcel(self, rest: str) -> None:
        if rest.split()[:1] == ["set"]:
            self._target(rest.split(None, 1)[1] + " , replace", write_xlsx, "set")

    def cmd_use(self, rest: str) -> None:
        path = Path(self.first_path(rest.split("using", 1)[-1]))
        if not path.is_file():
            raise StataErr(601, f"file {path} not found")

    def cmd_confirm(self, rest: str) -> None:
        if rest.split()[:1] == ["file"] and not Path(self.first_path(rest[4:])).is_file():
            raise StataErr(601, f"file {self.first_path(rest[4:])} not found")

    def _result_row(self, step: str, term: str) -> None:
        with open("ss_results.csv", "a", encoding="utf-8") as handle:
            handle.write(f"{step},{term},0.5,0.1,5,0.0001,0.3,0.7,100,0.25\n")

    def cmd_ss_coef(self, rest: str) -> None:
        args = self.quoted(rest) or rest.split()
        self._result_row(*(args + ["", ""])[:2])

    def cmd_ss_res(self, rest: str) -> None:
        step = re.search(r"\bs(?:tep)?\(([^)]*)\)", rest)
        term = re.search(r"\bt(?:erm)?\(([^)]*)\)", rest)
        self._result_row(step.group(1).strip('"') if step else "",
                         term.group(1).strip('"') if term else "")

    def cmd_exit(self, rest: str) -> None:
        if "STATA" in rest.upper().split(",")[-1].split():
            raise ExitStata
        code = rest.split(",")[0].strip()
        if code.isdigit() and int(code):
            raise StataErr(int(code), "")
        raise _ExitDo


class _ExitDo(Exception):
    pass


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
