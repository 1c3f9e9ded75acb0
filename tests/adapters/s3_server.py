"""A local S3-compatible server for adapter tests (moto's threaded server on a random port)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from moto.server import ThreadedMotoServer

from ss_adapters.blob.settings import S3Settings

REGION = "us-east-1"


@contextmanager
def running_s3_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def create_bucket(endpoint_url: str, bucket: str) -> None:
    sync_client(endpoint_url).create_bucket(Bucket=bucket)


def s3_settings(endpoint_url: str, bucket: str, prefix: str = "ss", **extra: object) -> S3Settings:
    return S3Settings(
        bucket=bucket, prefix=prefix, region=REGION, access_key_id="test-key",
        secret_access_key="test-secret-do-not-leak", endpoint_url=endpoint_url,
        part_size_bytes=5 * 1024 * 1024, **extra,  # type: ignore[arg-type]
    )


def sync_client(endpoint_url: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3", endpoint_url=endpoint_url, region_name=REGION,
        aws_access_key_id="test-key", aws_secret_access_key="test-secret",
    )
