"""The documented topology, run for real: Debian's nginx with deploy/nginx.conf (the file the
docs include) in front of two Streamlit processes and ``wbk api``, all on one PostgreSQL
database with the evidence in the S3 test server. Through the proxy: each browser stays on
its own process across reloads and two browsers land on different ones; the poster's link
opens the kiosk form; PortalRB reaches the API under /api and its evidence link opens; the
app and the API see each client's own address (WBK_TRUSTED_PROXIES), so the sign-in throttle
locks out the client that keeps failing and not the next one."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

import tests.integration.s3 as s3
from tests.integration.conftest import pg_url  # noqa: F401 - the PostgreSQL server fixture
from tests.integration.pg import create_database
from tests.support.server import ROOT, free_port, idle, sign_in, start_app, stop_app
from wbk.formats.simple_docs import simple_pdf
from wbk.services.assessment import assessments, evidence
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.demo import DEMO_PASSWORD, create_demo
from wbk.services.portalrb import proposals, tokens
from wbk.services.surveys import kiosk
from wbk.settings import Settings
from wbk.store.tables.core import LoginThrottle, UserSession

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
EXAMPLE = ROOT / "deploy" / "nginx.conf"
THROTTLED = "Terlalu banyak percobaan masuk yang gagal"
moto_endpoint = s3.moto_endpoint
s3_env = s3.s3_env


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and ::1 (the browser is told to accept it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wbk-test")])
    now = dt.datetime.now(dt.UTC)
    alt = [x509.IPAddress(ipaddress.ip_address(a)) for a in ("127.0.0.1", "::1")]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    crt, pem = folder / "cert.pem", folder / "key.pem"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return crt, pem


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx.conf no longer has {old!r}"
    return text.replace(old, new)


def nginx_config(folder: Path, port: int, apps: list[int], api: int) -> Path:
    """deploy/nginx.conf with this test's ports and certificate, in a minimal nginx.conf."""
    crt, key = _certificate(folder)
    site = EXAMPLE.read_text()
    site = _replace(
        site, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl; listen [::1]:{port} ssl;"
    )
    site = _replace(site, "/etc/ssl/certs/zi.example.go.id.pem", str(crt))
    site = _replace(site, "/etc/ssl/private/zi.example.go.id.key", str(key))
    site = _replace(site, "server 127.0.0.1:8501;", f"server 127.0.0.1:{apps[0]};")
    site = _replace(site, "server 127.0.0.1:8502;", f"server 127.0.0.1:{apps[1]};")
    site = _replace(
        site, "proxy_pass http://127.0.0.1:8600/;", f"proxy_pass http://127.0.0.1:{api}/;"
    )
    (folder / "wbk.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    main = f"""{user}
daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    {temp}
    include {folder}/wbk.conf;
    log_format wbk '$wbk_lb $upstream_addr $status $request_uri';
    access_log {folder}/access.log wbk;
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main)
    return path


def _start_nginx(config: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(config.parent)], stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx stopped: {proc.stderr.read() if proc.stderr else ''}")
        try:
            httpx.get(f"https://127.0.0.1:{port}/_stcore/health", verify=False, timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("nginx did not answer")


def _start_api(env: dict[str, str], data_dir: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wbk", "api", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env, "WBK_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("wbk api did not start")


def upstreams(log: Path) -> dict[str, set[str]]:
    """The app processes each browser's wbk_lb id was sent to, from nginx's access log."""
    seen: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        lb, upstream, _status, uri = line.split(" ", 3)
        if upstream != "-" and not uri.startswith("/api/"):
            seen.setdefault(lb, set()).update(u.strip() for u in upstream.split(","))
    return seen


def relay(source: str, port: int) -> tuple[str, socket.socket]:
    """A TCP relay on 127.0.0.1 whose connections reach nginx (on ``port``) from ``source``:
    a browser going through it is, to nginx, a client at that address (Chromium cannot pick
    its own source address, and every loopback connection would come from 127.0.0.1)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            upstream = socket.create_connection(("127.0.0.1", port), source_address=(source, 0))
            for pair in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=pump, args=pair, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return f"https://127.0.0.1:{listener.getsockname()[1]}", listener


def fail_until_locked(page, host: str) -> int:
    """Wrong passwords for agen until the throttle answers with a wait of 5 s or more (waiting
    out the shorter ones: 1 s, 2 s, 4 s ...); returns the number of tries."""
    page.goto(host)
    idle(page)
    for tries in range(1, 16):
        page.get_by_label("Nama pengguna").fill("agen")
        page.get_by_label("Kata sandi").fill("salah-sekali")
        page.get_by_role("button", name="Masuk").click()
        idle(page)
        refused = page.get_by_text(THROTTLED)
        if refused.count():
            seconds = int(re.search(r"(\d+) detik", refused.first.inner_text()).group(1))
            if seconds >= 5:
                return tries
            page.wait_for_timeout(seconds * 1000 + 300)
    raise AssertionError("fifteen wrong passwords and no lock")


@pytest.fixture
def pg_s3_env(pg_url, s3_env, tmp_path) -> dict[str, str]:  # noqa: F811
    """A fresh PostgreSQL database and an S3 bucket, as the processes' settings."""
    return {
        "WBK_DATABASE_URL": create_database(pg_url),
        "WBK_BLOB_URL": s3_env.url(),
        "WBK_BACKUP_KEY": str(tmp_path / "keys" / "backup.pem"),
        **{k: v for k, v in os.environ.items() if k.startswith("AWS_")},
    }


@pytest.fixture
def nginx_binary():
    if not Path(NGINX).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required under CI=true (.ci/run installs Debian's nginx)")
        pytest.skip("nginx not installed")
    return NGINX


def test_two_browsers_behind_nginx_as_documented(
    browser, nginx_binary, pg_s3_env, tmp_path, artifacts
):
    data_dir = tmp_path / "data"
    ws = open_workspace(
        Settings(
            data_dir=data_dir,
            database_url=pg_s3_env["WBK_DATABASE_URL"],
            blob_url=pg_s3_env["WBK_BLOB_URL"],
            backup_key=Path(pg_s3_env["WBK_BACKUP_KEY"]),
        )
    )
    aid = create_demo(ws)
    op = operator("tester")
    ev = evidence.add_file(ws, op, aid, ["P.MP.i.b"], io.BytesIO(simple_pdf("Notulen")), "n.pdf")
    year = assessments.get_assessment_view(ws, op, aid).year
    proposals.set_proposal(ws, op, "KK-CONTOH", year, "WBK", reason="uji")
    secret = tokens.create_token(ws, op, "portalrb", "KW-CONTOH").secret
    key = kiosk.create_key(ws, op, "KK-CONTOH", "2026-T1").secret

    port, api_port = free_port(), free_port()
    site = f"https://127.0.0.1:{port}"
    env = {
        **pg_s3_env,
        "WBK_APP_URL": site,
        "WBK_API_URL": f"{site}/api",
        "WBK_TRUSTED_PROXIES": "127.0.0.1,::1",
        "WBK_API_RATE_PER_MINUTE": "3",
    }
    one, url_one = start_app(data_dir, env_extra=env)
    two, url_two = start_app(data_dir, env_extra=env)
    api = _start_api(env, data_dir, api_port)
    folder = tmp_path / "nginx"
    folder.mkdir()
    apps = [int(url_one.rsplit(":", 1)[1]), int(url_two.rsplit(":", 1)[1])]
    proxy = _start_nginx(nginx_config(folder, port, apps, api_port), port)
    contexts, relays = [], []
    try:
        # sign in on browsers until two sit on different processes (each new one is placed by
        # a random id: the chance of ten on one process is 1 in 512)
        placed: dict[str, str] = {}  # process -> wbk_lb of the browser on it
        users = iter(["agen", "koordinator", "pimpinan", "tpi", "admin"] * 2)
        for n in range(10):
            host = site if n % 2 == 0 else f"https://[::1]:{port}"
            context = browser.new_context(ignore_https_errors=True)
            contexts.append(context)
            page = context.new_page()
            sign_in(page, host, next(users), DEMO_PASSWORD)
            page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
            lb = next(c["value"] for c in context.cookies() if c["name"] == "wbk_lb")
            for _ in range(2):  # reloads stay signed in, on the same process
                page.reload()
                idle(page)
                page.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
            (process,) = upstreams(folder / "access.log")[lb]  # exactly one process
            placed.setdefault(process, lb)
            if len(placed) == 2:
                break
        assert sorted(placed) == sorted(f"127.0.0.1:{p}" for p in apps)
        for lb, seen in upstreams(folder / "access.log").items():
            assert len(seen) == 1, f"browser {lb} was sent to {seen}"

        # the poster's link (the app's address) opens the kiosk form through the proxy
        poster_link = kiosk.form_url("KK-CONTOH", key, settings=Settings(app_url=site))
        assert poster_link.startswith(f"{site}/survei?")
        page = contexts[0].new_page()
        page.goto(poster_link)
        idle(page)
        page.get_by_role("heading", name="Survei Kepuasan dan Persepsi Layanan").wait_for()
        page.screenshot(path=str(artifacts / "nginx-kiosk-form.png"))

        # PortalRB through /api; the evidence link in its answer opens
        auth = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(verify=False, timeout=20) as portalrb:
            units = portalrb.get(f"{site}/api/pengusulan/unit-wbk", headers=auth)
            assert units.status_code == 200 and "KK-CONTOH" in units.text
            body = portalrb.get(f"{site}/api/lke/jawaban-unit/KK-CONTOH", headers=auth).json()
            links = re.findall(r"https://127\.0\.0\.1:\d+/api/bukti-dukung/[^\"' ]+", str(body))
            assert links, "no evidence link in the answers"
            page_link = next(link for link in links if "/P.MP.i.b?" in link)
            opened = portalrb.get(page_link, headers={"Accept": "application/json"})
            assert opened.status_code == 200, opened.text
            assert ev.latest.sha256 in opened.text  # the evidence page lists the file
            files = re.findall(r"https://127\.0\.0\.1:\d+/api/bukti-dukung/[^\"' ]+", opened.text)
            berkas = portalrb.get(next(f for f in files if ev.latest.sha256 in f))
            assert berkas.status_code == 200 and berkas.content.startswith(b"%PDF")

        # each client's own address counts: three requests without a token per address
        def without_token(source: str) -> int:
            transport = httpx.HTTPTransport(local_address=source, verify=False)
            with httpx.Client(transport=transport, timeout=20) as client:
                return client.get(f"{site}/api/bukti-dukung/KK-CONTOH/{year}/x").status_code

        first = [without_token("127.0.0.5") for _ in range(4)]
        assert first[-1] == 429 and 429 not in first[:3]
        assert without_token("127.0.0.6") != 429  # another client, its own allowance

        # the app's sessions name the browsers' own addresses (127.0.0.1 and ::1), which the
        # proxy writes in X-Forwarded-For and the app believes from WBK_TRUSTED_PROXIES
        with ws.db.read() as s:
            clients = set(s.execute(select(UserSession.client)).scalars())
        assert {"127.0.0.1", "::1"} <= clients

        # the sign-in throttle: one client (127.0.0.5) keeps failing as agen and is locked
        # out, its right password refused too; another client (127.0.0.6) signs in as agen
        # at once. Were every sign-in nginx's own 127.0.0.1, the second would be locked too.
        (host_a, relay_a), (host_b, relay_b) = relay("127.0.0.5", port), relay("127.0.0.6", port)
        relays += [relay_a, relay_b]
        locked, other = browser.new_context(ignore_https_errors=True), None
        contexts.append(locked)
        page_a = locked.new_page()
        tries = fail_until_locked(page_a, host_a)
        assert tries > 5  # the first five mistakes are free
        page_a.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page_a.get_by_role("button", name="Masuk").click()
        idle(page_a)
        page_a.get_by_text(THROTTLED).wait_for()  # locked, whatever the password
        other = browser.new_context(ignore_https_errors=True)
        contexts.append(other)
        page_b = other.new_page()
        sign_in(page_b, host_b, "agen", DEMO_PASSWORD)
        page_b.get_by_role("heading", name="Kesiapan WBK / WBBM").wait_for()
        page_b.screenshot(path=str(artifacts / "nginx-throttle-other-client.png"))
        with ws.db.read() as s:
            keys = set(s.execute(select(LoginThrottle.key)).scalars())
            clients = set(s.execute(select(UserSession.client)).scalars())
        assert "pair:127.0.0.5|agen" in keys and not any("127.0.0.6" in k for k in keys)
        assert "127.0.0.6" in clients and "127.0.0.5" not in clients

        assert ev.latest.sha256 in set(ws.blobs.names())  # the evidence is in the bucket
    finally:
        for context in contexts:
            context.close()
        for listener in relays:
            listener.close()
        proxy.terminate()
        proxy.wait(timeout=10)
        stop_app(api)
        stop_app(one)
        stop_app(two)
        ws.db.dispose()
