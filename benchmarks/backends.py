"""The storage backends a benchmark runs against, as environment variables for `ssctl serve`.

``embedded``: the defaults (SQLite file + local object directory under SS_DATA_DIR).
``pg-s3``: a throwaway PostgreSQL database on the local server (dropped afterwards) and an
S3-compatible server on 127.0.0.1 (moto's server in its own process; it does not check
credentials) with a fresh bucket.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get("SS_BENCH_POSTGRES_URL",
                                    "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("embedded", "pg-s3")


async def _admin(statement: str) -> None:
    url = make_url(POSTGRES_ADMIN_URL)
    conn = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                 password=url.password, database=url.database, timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new empty database on the local server; its URL. Dropped on exit."""
    name = f"ss_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(
            hide_password=False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def s3_bucket() -> Iterator[dict[str, str]]:
    """An S3-compatible server (moto) in its own process on 127.0.0.1 with a fresh bucket; the
    SS_* variables pointing at it. Its own process: in this one it would compete for the GIL
    with the load-generating client."""
    import boto3
    import httpx

    from tests.e2e.stack import free_port

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    keys = {"SS_S3_REGION": "us-east-1", "SS_S3_ACCESS_KEY_ID": "bench-key",
            "SS_S3_SECRET_ACCESS_KEY": "bench-secret", "SS_S3_ENDPOINT_URL": endpoint}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the S3 server (moto) did not start") from None
                time.sleep(0.1)
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id=keys["SS_S3_ACCESS_KEY_ID"],
                     aws_secret_access_key=keys["SS_S3_SECRET_ACCESS_KEY"]).create_bucket(
                         Bucket="ss-bench")
        yield {**keys, "SS_OBJECT_STORE": "s3://ss-bench/ss"}
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def backend_env(kind: str) -> Iterator[dict[str, str]]:
    """The extra environment of one backend (empty for the embedded default)."""
    if kind == "embedded":
        yield {}
        return
    if kind != "pg-s3":
        raise ValueError(f"unknown backend {kind!r}; one of {BACKENDS}")
    with postgres_database() as url, s3_bucket() as s3:
        yield {"SS_DATABASE_URL": url, **s3}
