"""Evidence on S3-compatible storage: the blob store contract on a local directory and on S3
(moto's server over real HTTP), the store URL, and ``wbk blobs migrate`` both ways."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.integration import s3 as s3_fixtures
from tests.integration.s3 import S3Env
from wbk.blobs import BlobMissing, BlobUrlError, LocalBlobStore, StoredBlob, open_blob_store
from wbk.blobs.s3 import BlobStoreUnavailable, S3BlobStore
from wbk.cli import app
from wbk.errors import WbkError
from wbk.settings import get_settings

MiB = 1024 * 1024
# The local S3 server and a fresh bucket per test (fixtures of the helper module).
moto_endpoint = s3_fixtures.moto_endpoint
s3_env = s3_fixtures.s3_env


def stage(store, data: bytes) -> tuple[Path, str]:
    """A spooled upload as evidence._spool leaves it: a file in staging and its hash."""
    path = store.staging_dir() / f"up-{uuid.uuid4().hex}"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def put(store, data: bytes) -> str:
    staged, sha = stage(store, data)
    store.put_file(staged, sha)
    return sha


def overwrite(store, sha: str, data: bytes) -> None:
    """Change what is stored under ``sha`` behind the store's back."""
    if isinstance(store, LocalBlobStore):
        path = store.path_of(sha)
        path.chmod(0o644)
        path.write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.key_of(sha), Body=data)


def remove(store, sha: str) -> None:
    if isinstance(store, LocalBlobStore):
        store.path_of(sha).unlink()
    else:
        store.client.delete_object(Bucket=store.bucket, Key=store.key_of(sha))


def count_calls(store: S3BlobStore, *operations: str) -> dict[str, int]:
    """Requests the store's client sends, by S3 operation name."""
    counts = dict.fromkeys(operations, 0)

    def hook(model, **_):
        counts[model.name] += 1

    for op in operations:
        store.client.meta.events.register(f"before-call.s3.{op}", hook)
    return counts


@pytest.fixture
def no_aws_env(monkeypatch, tmp_path):
    """The URL tests build stores without the developer's AWS settings leaking in."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return open_blob_store(None, tmp_path / "data")
    env: S3Env = request.getfixturevalue("s3_env")
    return open_blob_store(env.url(), tmp_path / "data")


# --- the contract, on both stores -------------------------------------------------------


def test_content_is_stored_once_under_its_hash(store):
    data = b"SK Tim ZI 2026\n" * 1000  # 15 bytes x 1,000 = 15,000 bytes
    staged, sha = stage(store, data)
    assert store.put_file(staged, sha) == StoredBlob(sha, 15_000)
    assert not staged.exists()  # the spool file is consumed
    assert store.exists(sha) and store.size_of(sha) == 15_000
    with store.open(sha) as fh:
        assert fh.read() == data
    again, _ = stage(store, data)
    store.put_file(again, sha)
    assert list(store.names()) == [sha]
    assert not again.exists()

    unknown = "0" * 64
    assert not store.exists(unknown)
    assert store.size_of(unknown) is None and store.hash_of(unknown) is None
    with pytest.raises(FileNotFoundError):
        store.open(unknown)


def test_hash_of_reports_what_is_stored_now(store):
    sha_a = put(store, b"notulen rapat 1")
    sha_b = put(store, b"notulen rapat 2")
    assert store.hash_of(sha_a) == sha_a
    overwrite(store, sha_a, b"notulen rapat 1 (diubah)")
    assert store.hash_of(sha_a) == hashlib.sha256(b"notulen rapat 1 (diubah)").hexdigest()
    remove(store, sha_b)
    assert store.hash_of(sha_b) is None
    assert list(store.names()) == [sha_a]


def test_quarantine_moves_a_blob_aside_and_never_deletes(store):
    sha = put(store, b"berkas yatim")
    keep = put(store, b"berkas dipakai")
    first = store.quarantine(sha)
    assert list(store.names()) == [keep]
    assert not store.exists(sha)
    # The same name again (re-uploaded, then quarantined) must not replace the first copy.
    put(store, b"berkas yatim")
    second = store.quarantine(sha)
    if isinstance(store, LocalBlobStore):
        assert first == str(store.root / ".quarantine" / sha)
        assert second == str(store.root / ".quarantine" / f"{sha}.1")
        assert Path(first).read_bytes() == Path(second).read_bytes() == b"berkas yatim"
    else:
        assert first == f"s3://{store.bucket}/evidence/quarantine/{sha}"
        assert second == f"s3://{store.bucket}/evidence/quarantine/{sha}.1"
        for address in (first, second):
            key = address.removeprefix(f"s3://{store.bucket}/")
            body = store.client.get_object(Bucket=store.bucket, Key=key)["Body"].read()
            assert body == b"berkas yatim"
    with pytest.raises(BlobMissing) as refused:
        store.quarantine(sha)
    assert sha in refused.value.message("id")


def test_clean_staging_removes_only_abandoned_spool_files(store):
    staging = store.staging_dir()
    old = staging / "up-crashed"
    old.write_bytes(b"x" * 100)
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    fresh = staging / "up-running"
    fresh.write_bytes(b"y" * 100)
    assert store.clean_staging(3600) == 1
    assert not old.exists() and fresh.exists()
    assert store.clean_staging(3600) == 0


# --- S3 only -----------------------------------------------------------------------------


def test_s3_uploads_identical_content_once(s3_env, tmp_path):
    store = open_blob_store(s3_env.url(), tmp_path / "data")
    calls = count_calls(store, "PutObject", "CreateMultipartUpload")
    sha = put(store, b"SOP pelayanan")
    put(store, b"SOP pelayanan")
    assert calls == {"PutObject": 1, "CreateMultipartUpload": 0}
    assert s3_env.keys() == [f"evidence/{sha[:2]}/{sha}"]
    assert s3_env.body(f"evidence/{sha[:2]}/{sha}") == b"SOP pelayanan"
    assert not list(store.staging_dir().iterdir())


def test_s3_large_file_goes_multipart(s3_env, tmp_path):
    store = open_blob_store(s3_env.url() + "?multipart_mb=5", tmp_path / "data")
    staged = store.staging_dir() / "up-large"
    digest = hashlib.sha256()
    with staged.open("wb") as out:
        for _ in range(20):
            chunk = os.urandom(MiB)
            digest.update(chunk)
            out.write(chunk)
    sha = digest.hexdigest()
    calls = count_calls(store, "PutObject", "CreateMultipartUpload", "UploadPart")
    assert store.put_file(staged, sha) == StoredBlob(sha, 20 * MiB)
    # 20 MiB in parts of 5 MiB (the threshold) = 4 parts, one multipart upload, no plain PUT.
    assert calls == {"PutObject": 0, "CreateMultipartUpload": 1, "UploadPart": 4}
    head = s3_env.client.head_object(Bucket=s3_env.bucket, Key=store.key_of(sha))
    assert head["ContentLength"] == 20 * MiB
    assert head["ETag"].endswith('-4"')  # S3 marks a 4-part object in its ETag
    assert store.hash_of(sha) == sha


def test_s3_open_streams_the_object(s3_env, tmp_path):
    store = open_blob_store(s3_env.url(), tmp_path / "data")
    data = os.urandom(3 * MiB)
    sha = put(store, data)
    with store.open(sha) as fh:
        assert fh.read(10) == data[:10]
        # Only the reader's buffer (1 MiB) has come over the network, not the 3 MiB object.
        assert fh.raw._body._amount_read <= MiB
        rest = b"".join(iter(lambda: fh.read(64 * 1024), b""))
    assert data[:10] + rest == data
    assert fh.closed


def test_s3_names_pages_through_more_than_1000_objects(s3_env, tmp_path):
    store = open_blob_store(s3_env.url(), tmp_path / "data")
    bodies = [f"bukti {i}".encode() for i in range(1005)]
    shas = [hashlib.sha256(b).hexdigest() for b in bodies]

    def upload(pair):
        body, sha = pair
        s3_env.client.put_object(Bucket=s3_env.bucket, Key=store.key_of(sha), Body=body)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(upload, zip(bodies, shas, strict=True)))
    for key in ("evidence/quarantine/" + shas[0], "evidence/README.txt", "lain/ab/" + "ab" * 32):
        s3_env.client.put_object(Bucket=s3_env.bucket, Key=key, Body=b"bukan blob")
    calls = count_calls(store, "ListObjectsV2")
    assert sorted(store.names()) == sorted(shas)
    # 1,005 blobs + the quarantined copy + README = 1,007 keys under evidence/: two pages.
    assert calls == {"ListObjectsV2": 2}


def test_s3_clean_staging_aborts_stale_multipart_uploads(s3_env, tmp_path, monkeypatch):
    store = open_blob_store(s3_env.url(), tmp_path / "data")
    mine = store.key_of("cd" * 32)
    s3_env.client.create_multipart_upload(Bucket=s3_env.bucket, Key=mine)
    s3_env.client.create_multipart_upload(Bucket=s3_env.bucket, Key="lain/cd/" + "cd" * 32)
    uploads = s3_env.client.list_multipart_uploads(Bucket=s3_env.bucket)["Uploads"]
    started = next(u["Initiated"] for u in uploads if u["Key"] == mine)

    monkeypatch.setattr(store, "_now", lambda: started + timedelta(minutes=10))
    assert store.clean_staging(3600) == 0  # 10 minutes old: may still be running
    monkeypatch.setattr(store, "_now", lambda: started + timedelta(hours=2))
    assert store.clean_staging(3600) == 1
    left = s3_env.client.list_multipart_uploads(Bucket=s3_env.bucket).get("Uploads", [])
    assert [u["Key"] for u in left] == ["lain/cd/" + "cd" * 32]  # another prefix: not ours


def test_s3_failure_names_the_store(s3_env, tmp_path):
    store = open_blob_store("s3://tidak-ada-bucket/evidence", tmp_path / "data")
    staged, sha = stage(store, b"isi")
    with pytest.raises(BlobStoreUnavailable) as failed:
        store.put_file(staged, sha)
    text = failed.value.message("id")
    assert "s3://tidak-ada-bucket/evidence" in text and "NoSuchBucket" in text
    assert isinstance(failed.value, WbkError)


# --- the store URL -------------------------------------------------------------------


def test_url_names_the_local_store(tmp_path, no_aws_env):
    data = tmp_path / "data"
    for url in (None, "", "  "):
        store = open_blob_store(url, data)
        assert isinstance(store, LocalBlobStore) and store.root == data / "blobs"
    there = tmp_path / "elsewhere"
    assert open_blob_store(there.as_uri(), data).root == there
    assert open_blob_store(str(there), data).root == there
    assert open_blob_store(f"file://localhost{there}", data).root == there


def test_url_names_an_s3_bucket_and_prefix(tmp_path, no_aws_env, monkeypatch):
    sha = "ab" * 32
    store = open_blob_store("s3://bkt-zi/kanwil/jateng/?multipart_mb=5", tmp_path / "data")
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("bkt-zi", "kanwil/jateng")
    assert store.key_of(sha) == f"kanwil/jateng/ab/{sha}"
    assert store.location == "s3://bkt-zi/kanwil/jateng"
    assert store.staging_dir() == tmp_path / "data" / "staging" and store.staging_dir().is_dir()
    assert store.multipart_threshold == 5_242_880  # 5 x 1,048,576
    assert store.addressing_style == "auto"  # AWS itself: no endpoint configured

    bare = open_blob_store("s3://bkt-zi", tmp_path / "data")
    assert bare.prefix == "" and bare.key_of(sha) == f"ab/{sha}"
    assert bare.multipart_threshold == 8 * MiB  # the default

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://minio.local:9000")
    minio = open_blob_store("s3://bkt-zi/p", tmp_path / "data")
    assert (minio.endpoint_url, minio.addressing_style) == ("http://minio.local:9000", "path")
    assert open_blob_store("s3://bkt-zi/p?addressing=virtual", tmp_path).addressing_style == (
        "virtual"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("s3://", "nama bucket tidak ada"),
        ("s3:///evidence", "nama bucket tidak ada"),
        ("s3://Bukti_ZI/evidence", "nama bucket 'Bukti_ZI' tidak sah"),
        ("s3://zi/evidence", "nama bucket 'zi' tidak sah"),
        ("s3://bkt-zi/../evidence", "prefix tidak boleh"),
        ("s3://bkt-zi/e?multipart_mb=0", "multipart_mb=0 tidak sah"),
        ("s3://bkt-zi/e?multipart_mb=banyak", "multipart_mb=banyak tidak sah"),
        ("s3://bkt-zi/e?addressing=miring", "addressing=miring tidak sah"),
        ("s3://bkt-zi/e?region=jakarta", "opsi 'region' tidak dikenal"),
        ("gs://bkt-zi/evidence", "skema 'gs' tidak dikenal"),
        ("https://storage.example.go.id/zi", "skema 'https' tidak dikenal"),
        ("file://server/share", "tidak boleh menyebut host (server)"),
    ],
)
def test_url_that_names_no_store_is_refused(url, reason, tmp_path, no_aws_env):
    with pytest.raises(BlobUrlError) as refused:
        open_blob_store(url, tmp_path / "data")
    assert isinstance(refused.value, WbkError)
    text = refused.value.message("id")
    assert text.startswith(f"Alamat penyimpanan berkas '{url}' tidak dapat dipakai: ")
    assert reason in text


def test_url_with_keys_is_refused_without_echoing_them(tmp_path, no_aws_env):
    with pytest.raises(BlobUrlError) as refused:
        open_blob_store("s3://AKIAXXXX:rahasia@bkt-zi/evidence", tmp_path / "data")
    for lang in ("id", "en"):
        text = refused.value.message(lang)
        assert "rahasia" not in text and "AKIAXXXX" not in text
        assert "s3://***@bkt-zi/evidence" in text and "AWS_SECRET_ACCESS_KEY" in text


# --- wbk blobs migrate ---------------------------------------------------------------


@pytest.fixture
def migrate(monkeypatch, tmp_path):
    """``wbk blobs migrate`` in this process (so a failure can be injected), on a fresh
    data directory; ``blob_url`` is the store the workspace uses now."""
    runner = CliRunner()
    monkeypatch.setenv("WBK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WBK_LANG", "id")

    def run(*args: str, blob_url: str | None = None):
        if blob_url:
            monkeypatch.setenv("WBK_BLOB_URL", blob_url)
        else:
            monkeypatch.delenv("WBK_BLOB_URL", raising=False)
        get_settings.cache_clear()
        return runner.invoke(app, ["blobs", "migrate", *args])

    yield run
    get_settings.cache_clear()


def summary(result) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith("Selesai:"))


def test_migrate_local_to_s3_resumes_and_comes_back(migrate, s3_env, tmp_path, monkeypatch):
    local = LocalBlobStore(tmp_path / "data" / "blobs")
    contents = [b"a" * 1_000, b"b" * 2_000, os.urandom(2_000_000)]
    shas = [put(local, c) for c in contents]
    target = s3_env.url("zi")

    first = migrate("--to", target)
    assert first.exit_code == 0, first.output
    # 1,000 + 2,000 + 2,000,000 bytes = 2.003 MB, shown with one decimal: 2,0
    assert summary(first) == "Selesai: 3 berkas; 3 disalin (2,0 MB), 0 dilewati, 0 gagal"
    assert f"WBK_BLOB_URL={target}" in first.stdout
    assert sorted(s3_env.keys("zi/")) == sorted(f"zi/{s[:2]}/{s}" for s in shas)
    for sha, content in zip(shas, contents, strict=True):
        assert s3_env.body(f"zi/{sha[:2]}/{sha}") == content

    uploads: list[str] = []
    real_put = S3BlobStore.put_file

    def spy(self, path, sha256):
        uploads.append(sha256)
        return real_put(self, path, sha256)

    monkeypatch.setattr(S3BlobStore, "put_file", spy)
    again = migrate("--to", target)
    assert again.exit_code == 0, again.output
    assert summary(again) == "Selesai: 3 berkas; 0 disalin (0,0 MB), 3 dilewati, 0 gagal"
    assert uploads == []

    # An interrupted run: the network drops on one upload, one file vanished from the
    # local store (its name is still listed), one was altered on disk.
    dropped = put(local, b"d" * 500)
    fine = put(local, b"e" * 500)
    gone_content, altered_content = b"f" * 300, b"g" * 300
    gone = hashlib.sha256(gone_content).hexdigest()
    (local.root / gone[:2]).mkdir(exist_ok=True)
    (local.root / gone[:2] / gone).symlink_to(tmp_path / "hilang")
    altered = put(local, altered_content)
    overwrite(local, altered, b"G" * 300)

    def flaky(self, path, sha256):
        if sha256 == dropped:
            raise ConnectionResetError("koneksi terputus")
        return real_put(self, path, sha256)

    monkeypatch.setattr(S3BlobStore, "put_file", flaky)
    broken = migrate("--to", target)
    assert broken.exit_code == 1
    # 3 earlier + dropped, fine, gone, altered = 7 names; 1 copied (fine), 3 skipped, 3 failed
    assert summary(broken) == "Selesai: 7 berkas; 1 disalin (0,0 MB), 3 dilewati, 3 gagal"
    assert f"Gagal: {dropped}: ConnectionResetError: koneksi terputus" in broken.stderr
    assert f"Gagal: {gone}: berkas tidak ada di penyimpanan asal" in broken.stderr
    assert f"Gagal: {altered}: isi berkas di penyimpanan asal tidak cocok" in broken.stderr
    in_s3 = set(s3_env.keys("zi/"))
    assert f"zi/{fine[:2]}/{fine}" in in_s3
    assert not {f"zi/{s[:2]}/{s}" for s in (dropped, gone, altered)} & in_s3
    assert not list((tmp_path / "data" / "staging").iterdir())  # no spool left behind

    # The causes fixed, the same command finishes the job and skips what arrived before.
    (local.root / gone[:2] / gone).unlink()
    put(local, gone_content)
    overwrite(local, altered, altered_content)
    monkeypatch.setattr(S3BlobStore, "put_file", spy)
    resumed = migrate("--to", target)
    assert resumed.exit_code == 0, resumed.output
    assert summary(resumed) == "Selesai: 7 berkas; 3 disalin (0,0 MB), 4 dilewati, 0 gagal"
    assert sorted(uploads) == sorted([dropped, gone, altered])

    # And back: the workspace on S3, copied to a local directory with the same command.
    back = tmp_path / "kembali"
    returned = migrate("--to", back.as_uri(), blob_url=target)
    assert returned.exit_code == 0, returned.output
    assert summary(returned).startswith("Selesai: 7 berkas; 7 disalin")
    restored = LocalBlobStore(back)
    expected = dict(zip(shas, contents, strict=True))
    expected |= {dropped: b"d" * 500, fine: b"e" * 500}
    expected |= {gone: gone_content, altered: altered_content}
    assert sorted(restored.names()) == sorted(expected)
    for sha, content in expected.items():
        assert restored.path_of(sha).read_bytes() == content


def test_migrate_keeps_a_damaged_copy_aside_and_copies_again(migrate, s3_env, tmp_path):
    local = LocalBlobStore(tmp_path / "data" / "blobs")
    sha = put(local, b"laporan kinerja")
    target = s3_env.url("zi")
    assert migrate("--to", target).exit_code == 0
    key = f"zi/{sha[:2]}/{sha}"
    s3_env.client.put_object(Bucket=s3_env.bucket, Key=key, Body=b"laporan kinerjA")

    repaired = migrate("--to", target)
    assert repaired.exit_code == 0, repaired.output
    assert summary(repaired) == "Selesai: 1 berkas; 1 disalin (0,0 MB), 0 dilewati, 0 gagal"
    assert s3_env.body(key) == b"laporan kinerja"
    assert s3_env.body(f"zi/quarantine/{sha}") == b"laporan kinerjA"


def test_migrate_refuses_a_bad_or_identical_target(migrate, tmp_path):
    bad = migrate("--to", "gs://bkt-zi/evidence")
    assert bad.exit_code == 2
    assert "skema 'gs' tidak dikenal" in bad.stderr and "Traceback" not in bad.output
    same = migrate("--to", str(tmp_path / "data" / "blobs"))
    assert same.exit_code == 2
    assert "tujuan sama dengan penyimpanan yang sedang dipakai" in same.stderr


def test_the_witness_of_the_local_store_is_checked_after_the_move(migrate, s3_env, tmp_path):
    """Chain heads witnessed in the old witness.log still catch a cut-off audit tail once the
    workspace reads its evidence (and witness) from S3."""
    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from wbk.services.core import integrity
    from wbk.services.core.actor import operator
    from wbk.services.core.workspace import open_workspace
    from wbk.services.demo import create_demo
    from wbk.settings import Settings
    from wbk.store.tables.core import AuditEvent, AuditHead

    local = open_workspace(Settings(data_dir=tmp_path / "data"))
    create_demo(local)  # every audited write is witnessed in blobs/witness.log
    old = local.blobs.witness_records()
    assert old
    with local.db.read() as s:
        head = s.get(AuditHead, 1).seq
    local.db.dispose()
    target = s3_env.url("zi")
    moved = migrate("--to", target)
    assert moved.exit_code == 0, moved.output
    assert f"dibawa: {len(old)} baru" in moved.stdout
    again = migrate("--to", target)  # run again: nothing carried twice
    assert "dibawa: 0 baru" in again.stdout

    ws = open_workspace(Settings(data_dir=tmp_path / "data", blob_url=target))
    op = operator("test")
    report = integrity.verify(ws, op)
    assert report.ok, report.problems
    assert report.witnesses_checked >= len(old)
    with Session(ws.db.engine) as s, s.begin():  # cut the tail witnessed before the move
        keep = head - 3
        prev = s.execute(select(AuditEvent.hash).where(AuditEvent.seq == keep)).scalar_one()
        s.execute(text("DELETE FROM audit_event WHERE seq > :k"), {"k": keep})
        row = s.get(AuditHead, 1)
        row.seq, row.hash = keep, prev
    problems = [d for k, d in integrity.verify(ws, op).problems if k == "witness"]
    assert any(f"witnessed event {head} " in d and "cut" in d for d in problems), problems
    ws.db.dispose()
