"""The deployment files the docs show are the files that run: deploy/nginx.conf (run by
tests/e2e/test_proxy_nginx.py) is the block in docs/operations.md, and compose.yaml starts in
order and writes nothing into a read-only mount (parsed here), and Compose itself accepts it
(``docker-compose config``, Debian's Compose 1.29, which needs no Docker daemon)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
IN_CI = os.environ.get("CI") == "true"


def test_the_documented_nginx_site_is_the_tested_file():
    docs = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", docs, re.S)
    assert (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8") in blocks


def test_nginx_sets_the_cookie_it_hashes_on():
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    hashed = re.search(r"hash \$(\w+) consistent;", conf).group(1)
    assert re.search(rf"map \$cookie_wbk_lb \${hashed}\b", conf)  # the cookie or a new id
    assert re.search(rf'add_header Set-Cookie "wbk_lb=\${hashed};', conf)


def _depends(name: str) -> dict[str, str]:
    deps = SERVICES[name].get("depends_on", {})
    if isinstance(deps, list):
        return {d: "service_started" for d in deps}
    return {d: spec.get("condition", "service_started") for d, spec in deps.items()}


def test_setup_waits_for_the_bucket_and_the_database():
    assert _depends("setup")["minio-init"] == "service_completed_successfully"
    assert _depends("setup")["db"] == "service_healthy"
    for name in ("app1", "app2", "api"):
        assert _depends(name)["setup"] == "service_completed_successfully"


def test_the_package_is_built_into_the_image_not_into_a_mount():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^RUN pip install .*/app", dockerfile, re.M)
    for name, service in SERVICES.items():
        command = str(service.get("command", "")) + str(service.get("entrypoint", ""))
        assert "pip install" not in command, f"{name} installs at start"
        for volume in service.get("volumes", []):  # the code comes from the image
            assert str(volume).partition(":")[0] not in (".", "./"), f"{name} mounts the checkout"


def test_the_proxy_runs_the_tested_site_in_front_of_the_app_and_api():
    mounts = [str(v) for v in SERVICES["proxy"]["volumes"]]
    assert any(m.startswith("./deploy/nginx.conf:") for m in mounts)
    for name in ("app1", "app2", "api"):  # 127.0.0.1 in deploy/nginx.conf is theirs
        assert SERVICES[name]["network_mode"] == "service:proxy"
    ports = {
        re.search(r"--(?:server\.)?port (\d+)", SERVICES[n]["command"]).group(1)
        for n in ("app1", "app2", "api")
    }
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert ports == set(re.findall(r"127\.0\.0\.1:(\d+)", conf))


def _compose() -> str:
    found = shutil.which("docker-compose")
    if not found:
        if IN_CI:
            pytest.fail("docker-compose is required under CI=true (.ci/run installs it)")
        pytest.skip("docker-compose not installed")
    return found


def test_compose_accepts_the_file(tmp_path):
    required = sorted(set(re.findall(r"\$\{(\w+):\?", (ROOT / "compose.yaml").read_text())))
    assert "POSTGRES_PASSWORD" in required  # the secrets .env must supply
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    (tmp_path / "empty.env").write_text("")  # never a developer's own .env
    run = [_compose(), "-f", str(ROOT / "compose.yaml"), "--env-file", str(tmp_path / "empty.env")]
    run += ["config", "-q"]
    without = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert without.returncode != 0 and "set in .env" in without.stderr  # no silent defaults
    env.update({name: f"dummy-{name.lower()}" for name in required})
    result = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
