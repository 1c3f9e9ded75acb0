"""The real Stata batch runner against the executable Stata protocol double."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.stata import StataBatchRunner, StataSettings
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.errors import SSError
from ss_core.library.loader import load_library
from ss_core.ports.stata_runner import StagedInput, StataJob
from ss_core.preflight import missing_dependency_error
from ss_core.rendering.house import PUBLICATION_OUTPUTS, Header, epilogue, prologue
from ss_core.rendering.renderer import render
from tests.doubles.memory_object_store import MemoryObjectStore

DOUBLE = Path(__file__).resolve().parents[1] / "doubles" / "stata" / "stata"
PREFIX = "jobs/j1/runs/r1/"
HEADER = Header(template_id="ols_robust", template_version="1.0.0", content_sha256="0" * 64,
                plan_id="p1", stata_min_version=14)
BODY = [
    "local depvar wage",
    "local treatvar educ",
    "regress `depvar' `treatvar', vce(robust)",
    'ss_coef "main" "`treatvar\'"',
    'export delimited using "regression_table.csv", replace',
    'capture noisily export excel using "regression_table.xlsx", firstrow(variables) replace',
]


def rendered(*body: str) -> str:
    return "\n".join([*prologue(HEADER), *body, *epilogue()]) + "\n"


@pytest.fixture
def store() -> MemoryObjectStore:
    return MemoryObjectStore()


def make_settings(tmp_path: Path, **overrides: object) -> StataSettings:
    values: dict[str, object] = dict(command=str(DOUBLE), work_dir=str(tmp_path / "work"),
                                     env_path="/usr/bin:/bin", kill_grace_seconds=0.5)
    values.update(overrides)
    return StataSettings(**values)  # type: ignore[arg-type]


def make_runner(tmp_path: Path, store: MemoryObjectStore, **overrides: object
                ) -> StataBatchRunner:
    return StataBatchRunner(make_settings(tmp_path, **overrides), store)


async def make_job(store: MemoryObjectStore, do_file: str, *, run_id: str = "r1",
                   timeout: float = 30, commands: tuple[str, ...] = (),
                   packages: dict[str, str] | None = None) -> StataJob:
    await store.put_bytes("jobs/j1/inputs/primary.dta", b"<stata_dta>input</stata_dta>",
                          "application/x-stata-dta")
    return StataJob(
        run_id=run_id, claim=1, do_file=do_file,
        inputs=(StagedInput(filename="primary.dta", object_key="jobs/j1/inputs/primary.dta"),),
        commands_to_check=commands,
        declared_outputs=("regression_table.csv", "regression_table.xlsx", "ss_results.csv",
                          "analysis.log"),
        output_prefix=f"jobs/j1/runs/{run_id}/", timeout_seconds=timeout,
        package_of_command=packages or {})


async def test_success_collects_declared_outputs_results_and_log(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    result = await runner.run(await make_job(store, rendered(*BODY)))
    assert result.ok, result.diagnosis
    assert result.diagnosis.error_code is None and result.diagnosis.rc == 0
    assert result.command_line[1:] == ("-b", "-q", "do", result.command_line[-1])
    assert result.command_line[-1].startswith("ss_wrap_")
    names = {f.name: f for f in result.files}
    assert set(names) == {"regression_table.csv", "regression_table.xlsx", "analysis.log",
                          "ss_results.csv"}
    assert all(f.declared for f in result.files)
    for produced in result.files:
        data = await store.get_bytes(produced.object_key)
        assert produced.object_key == PREFIX + produced.name
        assert produced.size_bytes == len(data) > 0
        assert produced.sha256 == hashlib.sha256(data).hexdigest()
    results = (await store.get_bytes(PREFIX + "ss_results.csv")).decode().splitlines()
    assert results[0].startswith("step,term,estimate") and results[1].startswith("main,educ,")
    assert result.log is not None and result.log.key == PREFIX + "stata.log"
    raw = await store.get_bytes(result.log.key)
    assert result.log.size_bytes == len(raw)
    assert result.log.sha256 == hashlib.sha256(raw).hexdigest()
    log = raw.decode()
    assert "SS_TEMPLATE_DONE" in log and "SS_WRAPPER_END rc=0" in log
    assert not (tmp_path / "work" / "runs" / "r1-c1").exists()


async def test_extras_are_reported_undeclared_and_inputs_never_collected(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered(*BODY, 'graph export "extra_plot.png", replace',
                                         'save "derived.dta", replace'))
    result = await runner.run(job)
    names = {f.name: f.declared for f in result.files}
    assert names["extra_plot.png"] is False and names["derived.dta"] is False
    assert "primary.dta" not in names and "job.do" not in names
    png = await store.get_bytes(PREFIX + "extra_plot.png")
    assert png.startswith(b"\x89PNG")


async def test_missing_declared_output_is_reported_as_not_produced(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered("* ss-double: skip-output regression_table.csv", *BODY))
    result = await runner.run(job)
    assert result.ok
    names = {f.name for f in result.files}
    assert "regression_table.csv" not in names and "regression_table.xlsx" in names
    assert not await store.exists(PREFIX + "regression_table.csv")


async def test_preflight_reports_every_missing_command_at_once(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store,
                         extra_env={"SS_STATA_DOUBLE_INSTALLED": "ftools"})
    packages = {"reghdfe": "reghdfe", "esttab": "estout", "ftools": "ftools"}
    job = await make_job(store, rendered(*BODY), commands=("regress", "reghdfe", "ftools",
                                                           "esttab"), packages=packages)
    answer = await runner.preflight(job)
    assert answer.missing_commands == ("reghdfe", "esttab")
    assert answer.log_key == PREFIX + "preflight.log"
    assert "capture which reghdfe" in (await store.get_bytes(answer.log_key)).decode()
    error = missing_dependency_error(answer.missing_commands, packages)
    assert error.error_code == "STATA_DEPENDENCY_MISSING" and error.retryable
    assert error.context["missing_packages"] == ["reghdfe", "estout"]


async def test_preflight_finds_packages_in_the_configured_ado_dir(tmp_path, store) -> None:
    ado = tmp_path / "ado"
    (ado / "r").mkdir(parents=True)
    (ado / "r" / "reghdfe.ado").write_text("*! version 6\nprogram reghdfe\nend\n")
    runner = make_runner(tmp_path, store, ado_dir=str(ado))
    job = await make_job(store, rendered("reghdfe wage educ, absorb(id)"),
                         commands=("reghdfe", "esttab"), packages={"reghdfe": "reghdfe"})
    assert (await runner.preflight(job)).missing_commands == ("esttab",)
    assert (await runner.run(job)).ok


async def test_preflight_without_commands_does_not_start_stata(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store, command="/nonexistent/stata")
    job = await make_job(store, rendered(*BODY))
    assert (await runner.preflight(job)).missing_commands == ()


async def test_unrecognized_declared_command_in_run_names_the_package(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    do_file = rendered("reghdfe wage educ, absorb(firm)", *BODY)
    job = await make_job(store, do_file, packages={"reghdfe": "reghdfe"})
    result = await runner.run(job)
    diagnosis = result.diagnosis
    assert not result.ok
    assert diagnosis.error_code == "STATA_DEPENDENCY_MISSING" and diagnosis.retryable
    assert diagnosis.rc == 199
    assert diagnosis.missing_packages == ("reghdfe",)
    assert diagnosis.failing_command == "reghdfe wage educ, absorb(firm)"
    assert diagnosis.failing_line == do_file.splitlines().index(
        "reghdfe wage educ, absorb(firm)") + 1
    assert "analysis.log" in {f.name for f in result.files}


async def test_variable_not_found_is_a_binding_error(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered("* ss-double: fail 111", "regress wage nosuch"))
    result = await runner.run(job)
    assert result.diagnosis.error_code == "STATA_BINDING_ERROR"
    assert result.diagnosis.rc == 111 and not result.diagnosis.retryable
    assert result.diagnosis.failing_command == "regress wage nosuch"
    assert "variable wage not found" in result.diagnosis.log_excerpt


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


async def test_timeout_kills_the_whole_process_group(tmp_path, store) -> None:
    pidfile = tmp_path / "child.pid"
    runner = make_runner(tmp_path, store, extra_env={"SS_STATA_DOUBLE_PIDFILE": str(pidfile)})
    job = await make_job(store, rendered("* ss-double: spawn-child", "* ss-double: sleep 60"),
                         timeout=1.5)
    started = time.monotonic()
    result = await runner.run(job)
    assert time.monotonic() - started < 10
    assert result.diagnosis.error_code == "STATA_TIMEOUT" and result.diagnosis.retryable
    child = int(pidfile.read_text())
    for _ in range(40):
        if not _alive(child):
            break
        await asyncio.sleep(0.05)
    assert not _alive(child), "the child of Stata survived the timeout"


async def test_gbk_log_is_decoded_and_kept_raw(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered("* ss-double: encoding gbk", 'display "回归结果 工资"',
                                         "* ss-double: fail 198", "regress 工资 教育"))
    result = await runner.run(job)
    assert result.diagnosis.error_code == "STATA_TEMPLATE_ERROR"
    assert "回归结果 工资" in result.diagnosis.log_excerpt
    assert result.diagnosis.failing_command == "regress 工资 教育"
    raw = await store.get_bytes(result.log.key)
    assert "回归结果".encode("gbk") in raw and "回归结果".encode() not in raw


async def test_huge_log_is_stored_whole_and_diagnosed_on_head_and_tail(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store, diagnose_bytes=256 * 1024)
    job = await make_job(store, rendered("* ss-double: huge-log 12", "* ss-double: fail 2000",
                                         "regress wage educ"))
    result = await runner.run(job)
    assert result.diagnosis.error_code == "STATA_DATA_EMPTY"
    assert result.diagnosis.failing_command == "regress wage educ"
    assert len(result.diagnosis.log_excerpt) <= 4200
    assert len(await store.get_bytes(result.log.key)) > 11 * 1024 * 1024


async def test_crash_without_marker_or_side_file(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    result = await runner.run(await make_job(store, rendered("regress wage educ",
                                                             "* ss-double: crash 139", *BODY)))
    assert result.diagnosis.error_code == "STATA_CRASHED" and result.exit_code == 139
    assert not result.ok and result.diagnosis.retryable


async def test_licence_failure_in_run_and_probe(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store,
                         extra_env={"SS_STATA_DOUBLE_DIRECTIVES": "license-failure"})
    result = await runner.run(await make_job(store, rendered(*BODY)))
    assert result.diagnosis.error_code == "STATA_LICENSE_UNAVAILABLE"
    assert "license" in result.diagnosis.message.lower() and result.files == ()
    with pytest.raises(SSError) as caught:
        await runner.probe()
    assert caught.value.error_code == "STATA_LICENSE_UNAVAILABLE"


async def test_probe_reports_version_and_edition(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store, extra_env={"SS_STATA_DOUBLE_VERSION": "17",
                                                     "SS_STATA_DOUBLE_EDITION": "SE"})
    installation = await runner.probe()
    assert (installation.version, installation.edition) == ("17", "SE")
    assert installation.details["mode"] == "batch" and installation.command == str(DOUBLE)
    result = await runner.run(await make_job(store, rendered(*BODY)))
    assert result.stata_version == "17"


async def test_probe_of_an_old_stata_reads_the_edition_from_flags(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store, extra_env={"SS_STATA_DOUBLE_VERSION": "15",
                                                     "SS_STATA_DOUBLE_EDITION": "MP"})
    assert (await runner.probe()).edition == "MP"


async def test_unconfigured_and_unlaunchable_commands_raise(tmp_path, store) -> None:
    with pytest.raises(SSError) as caught:
        await make_runner(tmp_path, store, command="").probe()
    assert caught.value.error_code == "STATA_NOT_CONFIGURED"
    missing = make_runner(tmp_path, store, command=str(tmp_path / "no-such-stata"))
    with pytest.raises(SSError) as caught:
        await missing.run(await make_job(store, rendered(*BODY)))
    assert caught.value.error_code == "STATA_LAUNCH_FAILED"
    assert str(tmp_path) not in str(caught.value.to_body())


async def test_windows_cli_style(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store, cli_style="windows")
    result = await runner.run(await make_job(store, rendered(*BODY)))
    assert result.ok and result.command_line[1:3] == ("/e", "do")


async def _interval(runner: StataBatchRunner, store: MemoryObjectStore, job: StataJob
                    ) -> tuple[float, float]:
    result = await runner.run(job)
    assert result.ok
    started = float(await store.get_bytes(job.output_prefix + "started.txt"))
    ended = float(await store.get_bytes(job.output_prefix + "ended.txt"))
    return started, ended


@pytest.mark.parametrize(("seats", "overlap"), [(1, False), (2, True)])
async def test_seat_limit_serialises_runs(tmp_path, store, seats: int, overlap: bool) -> None:
    runner = make_runner(tmp_path, store, max_concurrent=seats)
    body = rendered("* ss-double: stamp started.txt", "* ss-double: sleep 0.8", *BODY,
                    "* ss-double: stamp ended.txt")
    jobs = [await make_job(store, body, run_id=f"r{i}") for i in range(2)]
    (a_start, a_end), (b_start, b_end) = await asyncio.gather(
        *(_interval(runner, store, job) for job in jobs))
    overlapping = a_start < b_end and b_start < a_end
    assert overlapping is overlap


async def test_environment_is_sanitised_and_private_to_the_run(tmp_path, store, monkeypatch
                                                                ) -> None:
    monkeypatch.setenv("SS_SECRET_FOR_TEST", "do-not-leak")
    runner = make_runner(tmp_path, store, keep_run_dirs=True)
    result = await runner.run(await make_job(store, rendered("* ss-double: env-to env.json",
                                                             *BODY)))
    env = json.loads(await store.get_bytes(PREFIX + "env.json"))
    run_dir = tmp_path / "work" / "runs" / "r1-c1"
    assert "SS_SECRET_FOR_TEST" not in env
    for key in ("HOME", "TMPDIR", "STATATMP"):
        assert Path(env[key]).is_relative_to(run_dir)
    assert env["PATH"] == "/usr/bin:/bin"
    assert run_dir.is_dir() and result.ok
    assert ".ss/home" not in {f.name for f in result.files}


async def test_input_name_must_be_plain(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered(*BODY))
    bad = StataJob(**{**{f: getattr(job, f) for f in job.__struct_fields__},
                      "inputs": (StagedInput(filename="../escape.dta",
                                             object_key="jobs/j1/inputs/primary.dta"),)})
    with pytest.raises(SSError) as caught:
        await runner.run(bad)
    assert caught.value.error_code == "INPUT_FILENAME_INVALID"


async def test_missing_input_object_is_an_infrastructure_error(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered(*BODY))
    await store.delete("jobs/j1/inputs/primary.dta")
    with pytest.raises(SSError) as caught:
        await runner.run(job)
    assert caught.value.error_code == "OBJECT_NOT_FOUND"
    assert not (tmp_path / "work" / "runs" / "r1-c1").exists()


async def test_cancelling_a_run_kills_the_process_group(tmp_path, store) -> None:
    pidfile = tmp_path / "child.pid"
    runner = make_runner(tmp_path, store, extra_env={"SS_STATA_DOUBLE_PIDFILE": str(pidfile)})
    job = await make_job(store, rendered("* ss-double: spawn-child", "* ss-double: sleep 60"))
    task = asyncio.create_task(runner.run(job))
    for _ in range(100):
        if pidfile.exists() and pidfile.read_text().strip():
            break
        await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    child = int(pidfile.read_text())
    for _ in range(40):
        if not _alive(child):
            break
        await asyncio.sleep(0.05)
    assert not _alive(child)
    assert not (tmp_path / "work" / "runs" / "r1-c1").exists()


async def test_preflight_that_cannot_run_raises_with_the_diagnosis(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store,
                         extra_env={"SS_STATA_DOUBLE_DIRECTIVES": "license-failure"})
    job = await make_job(store, rendered(*BODY), commands=("reghdfe",))
    with pytest.raises(SSError) as caught:
        await runner.preflight(job)
    assert caught.value.error_code == "STATA_LICENSE_UNAVAILABLE"
    assert caught.value.context["log_key"] is None  # Stata wrote nothing worth storing
    assert str(tmp_path) not in str(caught.value.to_body())


async def test_a_failing_store_is_an_infrastructure_error(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store)
    job = await make_job(store, rendered(*BODY))
    store.fail_writes = True
    with pytest.raises(SSError) as caught:
        await runner.run(job)
    assert caught.value.error_code == "STORAGE_UNAVAILABLE"


async def test_the_real_rendered_exemplar_template_runs_through_the_double(tmp_path, store
                                                                         ) -> None:
    library = load_library(Path(__file__).resolve().parents[2] / "assets" / "stata_do_library")
    template = library.get("ols_robust")
    schema = DatasetSchema(row_count=100, columns=tuple(
        Column(name=n, original_name=n, type=ColumnType.NUMERIC)
        for n in ("wage", "educ", "exper", "firm")))
    do_file = render(template, {"depvar": "wage", "treatvar": "educ", "controls": ["exper"],
                                "clustvar": "firm", "level": 95}, schema, plan_id="p1").text
    runner = make_runner(tmp_path, store)
    result = await runner.run(await make_job(store, do_file))
    assert result.ok, result.diagnosis
    produced = {f.name for f in result.files}
    # the double interprets the body's own writers, not the house publication-table program
    own = {o.file for o in template.meta.outputs} - set(PUBLICATION_OUTPUTS)
    assert own <= produced
    assert {"analysis.log", "ss_results.csv"} <= produced
    analysis = (await store.get_bytes(PREFIX + "analysis.log")).decode()
    assert "SS_STEP 3" in analysis and "SS_TEMPLATE_DONE" in analysis


async def test_inputs_from_the_local_store_are_linked_read_only(tmp_path) -> None:
    local = LocalDirectoryStore(tmp_path / "objects")
    runner = StataBatchRunner(make_settings(tmp_path, keep_run_dirs=True), local)
    job = await make_job(local, rendered(*BODY))  # type: ignore[arg-type]
    result = await runner.run(job)
    assert result.ok, result.diagnosis
    staged = tmp_path / "work" / "runs" / "r1-c1" / "primary.dta"
    assert staged.stat().st_ino == local.file_path("jobs/j1/inputs/primary.dta").stat().st_ino
    assert staged.stat().st_mode & 0o222 == 0
    assert "primary.dta" not in {f.name for f in result.files}


async def test_inputs_are_copied_when_the_store_is_on_another_file_system(
        tmp_path, monkeypatch) -> None:
    local = LocalDirectoryStore(tmp_path / "objects")
    runner = StataBatchRunner(make_settings(tmp_path, keep_run_dirs=True), local)
    job = await make_job(local, rendered(*BODY))  # type: ignore[arg-type]

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    result = await runner.run(job)
    assert result.ok, result.diagnosis
    staged = tmp_path / "work" / "runs" / "r1-c1" / "primary.dta"
    stored = local.file_path("jobs/j1/inputs/primary.dta")
    assert staged.stat().st_ino != stored.stat().st_ino
    assert staged.read_bytes() == stored.read_bytes() == b"<stata_dta>input</stata_dta>"
    assert staged.stat().st_mode & 0o222 == 0


async def test_inputs_streamed_from_another_store_are_read_only(tmp_path, store) -> None:
    runner = make_runner(tmp_path, store, keep_run_dirs=True)
    result = await runner.run(await make_job(store, rendered(*BODY)))
    assert result.ok, result.diagnosis
    staged = tmp_path / "work" / "runs" / "r1-c1" / "primary.dta"
    assert staged.read_bytes() == b"<stata_dta>input</stata_dta>"
    assert staged.stat().st_mode & 0o222 == 0
