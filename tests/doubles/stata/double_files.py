"""File, log, dependency and result commands of the Stata double (a mixin of the machine)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from double_artifacts import write_csv, write_dta, write_graph, write_xlsx
from double_protocol import BUILTIN, StataErr


class FileCommands:
    """Needs ``log``, ``handles``, ``installed``, ``programs``, ``plus_dir``, ``skip_outputs``,
    ``first_path`` and ``quoted`` from the machine."""

    log: Any
    handles: dict[str, Any]
    installed: set[str]
    programs: set[str]
    plus_dir: str | None
    skip_outputs: set[str]

    def first_path(self, text: str) -> str:
        raise NotImplementedError

    def quoted(self, text: str) -> list[str]:
        raise NotImplementedError

    def _in_plus(self, name: str) -> bool:
        return bool(self.plus_dir) and (Path(self.plus_dir) / name[0] / f"{name}.ado").is_file()

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
