"""SS_OBJECT_STORE and the S3 settings: defaults, forms, and errors naming each missing key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ss_adapters.blob.factory import build_object_store
from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.blob.s3_store import S3ObjectStore
from ss_adapters.blob.settings import ObjectStoreSettings
from ss_core.errors import ConfigError

S3_ENV = {
    "SS_OBJECT_STORE": "s3://ss-bucket/prod/blobs/",
    "SS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "SS_S3_REGION": "eu-west-1",
    "SS_S3_ACCESS_KEY_ID": "AK",
    "SS_S3_SECRET_ACCESS_KEY": "very-secret",
}


def test_default_is_a_directory_under_the_data_dir(tmp_path: Path) -> None:
    settings = ObjectStoreSettings.from_env({}, tmp_path)
    assert settings.local_root == tmp_path / "objects"
    assert isinstance(build_object_store(settings), LocalDirectoryStore)


def test_file_url_names_the_root(tmp_path: Path) -> None:
    settings = ObjectStoreSettings.from_env({"SS_OBJECT_STORE": f"file://{tmp_path}/o"}, tmp_path)
    assert settings.local_root == tmp_path / "o"


@pytest.mark.parametrize("value", ["file://relative/path", "file:///", "file://host/x"])
def test_file_url_must_be_absolute_and_local(value: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as excinfo:
        ObjectStoreSettings.from_env({"SS_OBJECT_STORE": value}, tmp_path)
    assert excinfo.value.context["invalid"] == ["SS_OBJECT_STORE"]


def test_s3_url_with_credentials_builds_an_s3_store(tmp_path: Path) -> None:
    settings = ObjectStoreSettings.from_env(S3_ENV, tmp_path)
    assert settings.s3 is not None
    assert (settings.s3.bucket, settings.s3.prefix) == ("ss-bucket", "prod/blobs")
    assert settings.s3.endpoint_url == "http://127.0.0.1:9000"
    assert "very-secret" not in repr(settings.s3)
    assert isinstance(build_object_store(settings), S3ObjectStore)


def test_s3_missing_settings_are_each_named(tmp_path: Path) -> None:
    env = {"SS_OBJECT_STORE": "s3://ss-bucket", "SS_S3_REGION": "eu-west-1"}
    with pytest.raises(ConfigError) as excinfo:
        ObjectStoreSettings.from_env(env, tmp_path)
    assert excinfo.value.error_code == "CONFIG_INVALID"
    assert excinfo.value.context["missing"] == ["SS_S3_ACCESS_KEY_ID", "SS_S3_SECRET_ACCESS_KEY"]


def test_s3_without_bucket_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as excinfo:
        ObjectStoreSettings.from_env({**S3_ENV, "SS_OBJECT_STORE": "s3://"}, tmp_path)
    assert excinfo.value.context["missing"] == ["SS_OBJECT_STORE (bucket)"]


def test_unknown_scheme_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ObjectStoreSettings.from_env({"SS_OBJECT_STORE": "ftp://x/y"}, tmp_path)


def test_endpoint_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as excinfo:
        ObjectStoreSettings.from_env({**S3_ENV, "SS_S3_ENDPOINT_URL": "tcp://x"}, tmp_path)
    assert excinfo.value.context["invalid"] == ["SS_S3_ENDPOINT_URL"]
