"""A local S3 endpoint for the tests: moto's server on 127.0.0.1 (real HTTP), dummy keys.

A test module takes the fixtures over with ``moto_endpoint = s3.moto_endpoint`` and
``s3_env = s3.s3_env`` (``import tests.integration.s3 as s3``).

Under CI=true a missing moto is a failure, elsewhere a skip.
"""

from __future__ import annotations

import itertools
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

IN_CI = os.environ.get("CI") == "true"
REGION = "us-east-1"
_buckets = itertools.count()


def _server_class() -> Any:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        if IN_CI:
            pytest.fail(f"moto[server] is required under CI=true: {exc}")
        pytest.skip(f"moto[server] not installed: {exc}")
    return ThreadedMotoServer


def use_dummy_credentials(monkeypatch: pytest.MonkeyPatch, endpoint: str, home: Path) -> None:
    """Point boto3 at the local endpoint with throwaway keys; the developer's own
    credentials, profiles and config files are hidden for the test's duration."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@dataclass
class S3Env:
    """One fresh bucket on the local endpoint and a plain client to inspect or damage it."""

    endpoint: str
    bucket: str
    client: Any

    def url(self, prefix: str = "evidence") -> str:
        return f"s3://{self.bucket}/{prefix}"

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return [item["Key"] for page in pages for item in page.get("Contents", ())]

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 server in a thread of this process, on a free port of 127.0.0.1."""
    server_class = _server_class()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request
    server = server_class(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(moto_endpoint, monkeypatch, tmp_path) -> S3Env:
    import boto3

    use_dummy_credentials(monkeypatch, moto_endpoint, tmp_path)
    client = boto3.session.Session().client("s3", endpoint_url=moto_endpoint, region_name=REGION)
    bucket = f"wbk-test-{os.getpid()}-{next(_buckets)}"
    client.create_bucket(Bucket=bucket)
    return S3Env(endpoint=moto_endpoint, bucket=bucket, client=client)
