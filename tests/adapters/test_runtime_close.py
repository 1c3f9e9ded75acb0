"""Shutting a runtime down releases the S3 store's pooled client (no connection or session
left open at exit), as it already did for the LLM client."""

from __future__ import annotations

from pathlib import Path

from ss_adapters.blob.s3_store import S3ObjectStore
from ss_adapters.runtime import Runtime
from tests.adapters.s3_server import REGION, create_bucket, running_s3_server


async def test_close_releases_the_s3_client(tmp_path: Path) -> None:
    with running_s3_server() as endpoint:
        create_bucket(endpoint, "closing")
        runtime = Runtime({"SS_DATA_DIR": str(tmp_path), "SS_OBJECT_STORE": "s3://closing/ss",
                           "SS_S3_REGION": REGION, "SS_S3_ACCESS_KEY_ID": "k",
                           "SS_S3_SECRET_ACCESS_KEY": "s", "SS_S3_ENDPOINT_URL": endpoint})
        await runtime.start()
        store = runtime.services.store
        assert isinstance(store, S3ObjectStore)
        await store.put_bytes("a.txt", b"x", "text/plain")
        assert store._client is not None
        await runtime.close()
        assert store._client is None
