"""Hostile files through the real HTTP upload endpoint: whatever the bytes, encoding, delimiter
or file name, the answer is 200 or a 4xx input error - never a 5xx - and an accepted upload is
stored under a key SS generated, with the user's name kept as a bare display name."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.journey import new_job
from tests.hostile.conftest import MAX_UPLOAD_BYTES, Stack

pytestmark = pytest.mark.slow

ACCEPTED_ERRORS = {"INPUT_PARSE_FAILED", "INPUT_EMPTY", "INPUT_UNSUPPORTED_FORMAT",
                   "INPUT_FILENAME_INVALID", "INPUT_VALIDATION_FAILED", "PAYLOAD_TOO_LARGE"}
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "latin-1", "utf-16", "cp1252")
HOSTILE_NAMES = ("../../../../etc/passwd.csv", "..\\..\\windows\\system32\\x.csv",
                 "/etc/shadow.csv", "C:\\boot.csv", "a\x00b.csv", "....csv", ".csv",
                 "%2e%2e%2fx.csv", "x.csv/", "名前 with spaces.csv", "x" * 400 + ".csv",
                 "run.sh", "data.CSV", "data.csv.exe", "\u202egnp.csv", "con.csv", "")

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(['"', '""', "'", ",", ";", "\t", "\n", "\r\n", "\x00", "1e309", "-0",
                     "NaN", "工资", "=cmd|' /C calc'!A0", "`shell rm`", "${x}", "\\", "\ufeff"]),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    width = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=6))
    quote = draw(st.booleans())
    lines = []
    for row in rows:
        if quote:
            row = ['"' + c.replace('"', '""') + '"' for c in row]
        lines.append(delimiter.join(row))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        position = draw(st.integers(0, len(data)))
        data = data[:position] + b"\x00" * draw(st.integers(1, 3)) + data[position:]
    return data


payloads = st.one_of(csv_bytes(), st.binary(max_size=2048))
names = st.one_of(st.sampled_from(HOSTILE_NAMES),
                  st.tuples(st.text(max_size=30),
                            st.sampled_from([".csv", ".xlsx", ".xls", ".dta", ".txt", ""]))
                  .map("".join))


@pytest.fixture(scope="module")
def target(stack: Stack) -> tuple[str, dict[str, str]]:
    with stack.client() as client:
        return new_job(client)


def post_file(client: httpx.Client, job_id: str, auth: dict[str, str], name: str,
              data: bytes) -> httpx.Response:
    return client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                       files={"file": (name, data, "application/octet-stream")})


def check_answer(r: httpx.Response, job_id: str) -> dict:
    assert r.status_code < 500, r.text[:500]
    body = r.json()
    if r.status_code == 200:
        (dataset,) = body["datasets"]
        name = dataset["original_name"]
        assert name and "/" not in name and "\\" not in name and "\x00" not in name
        assert len(name) <= 200 and dataset["dataset_key"] == "ds1"
    else:
        assert 400 <= r.status_code < 500
        assert body["error_code"] in ACCEPTED_ERRORS, body
        assert "Traceback" not in r.text and "/tmp/" not in r.text and "ss-data" not in r.text
    return body


@given(name=names, data=payloads)
@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_any_file_is_accepted_or_refused_as_input(stack: Stack, target: tuple, name: str,
                                                  data: bytes) -> None:
    job_id, auth = target
    with stack.client() as client:
        check_answer(post_file(client, job_id, auth, name, data), job_id)


def xlsx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (64 << 20) + b">")
    return buffer.getvalue()


def many_members() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(12_000):
            archive.writestr(f"x/{i}", b"")
    return buffer.getvalue()


SPECIAL = {
    "wide.csv": (",".join(f"c{i}" for i in range(10_000)) + "\n"
                 + ",".join(str(i) for i in range(10_000)) + "\n").encode(),
    "one-row.csv": b"y,x\n1,2\n",
    "header-only.csv": b"y,x\n",
    "empty.csv": b"",
    "bom-only.csv": b"\xef\xbb\xbf",
    "nul-only.csv": b"\x00" * 4096,
    "bomb.xlsx": xlsx_bomb(),
    "members.xlsx": many_members(),
    "truncated.xlsx": xlsx_bomb()[:5000],
    "csv-named.xlsx": b"y,x\n1,2\n",
    "garbage.dta": b"\x72\x02\x01" + b"\xff" * 500,
    "garbage.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    "deep-quote.csv": b'"' * 100_000,
    "long-line.csv": b"y,x\n" + b"9" * (2 << 20) + b",1\n",
}


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_crafted_files_are_never_a_server_error(stack: Stack, target: tuple, name: str) -> None:
    job_id, auth = target
    with stack.client() as client:
        body = check_answer(post_file(client, job_id, auth, name, SPECIAL[name]), job_id)
    if name in ("bomb.xlsx", "members.xlsx", "truncated.xlsx", "empty.csv"):
        assert body["error_code"].startswith("INPUT_"), body
    if name in ("wide.csv", "one-row.csv"):
        assert "datasets" in body, body


def test_too_large_upload_is_413_and_nothing_is_listed(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        big = b"y,x\n" + b"1,2\n" * (MAX_UPLOAD_BYTES // 4)
        r = post_file(client, job_id, auth, "big.csv", big)
        assert r.status_code == 413 and r.json()["error_code"] == "PAYLOAD_TOO_LARGE"
        assert client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth).json()["artifacts"] == []


def test_traversal_names_never_leave_the_job_prefix(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        for name in ("../../../../escape.csv", "..\\..\\escape.csv", "/abs/escape.csv"):
            r = post_file(client, job_id, auth, name, b"y,x\n1,2\n3,4\n")
            assert r.status_code == 200, r.text
            assert r.json()["datasets"][0]["original_name"] == "escape.csv"
    data: Path = stack.data_dir
    assert not list(data.parent.rglob("escape.csv"))
    stored = sorted(p.name for p in (data / "objects" / "jobs" / job_id / "inputs").iterdir())
    assert stored == [hashlib.sha256(b"y,x\n1,2\n3,4\n").hexdigest() + ".csv"]
