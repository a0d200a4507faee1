"""Benchmark: a 200 MB evidence file through the S3 blob store (moto's server in a separate
process on 127.0.0.1): upload and download throughput, and how far this process's memory
grows meanwhile (target: far below the file size; the store streams, never holds a file).

Run: ``.venv/bin/python bench/bench_blobs.py [size_mb]``. Dummy AWS keys are set for this
process only; no real credentials are read.
"""

from __future__ import annotations

import hashlib
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import boto3

from wbk.blobs import open_blob_store
from wbk.blobs.s3 import S3BlobStore

MB = 1_000_000
# Memory must not grow with the file: 10 % of the default 200 MB file, for any file size.
MEMORY_LIMIT = 20 * MB
CHUNK = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto(port: int) -> subprocess.Popen:
    """moto in its own process, so its copy of the object does not count as ours."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto server did not start")


def current_rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


class RssPeak:
    """The highest resident size seen while the block runs, minus the size at its start
    (sampled every 5 ms), and the growth of the process's lifetime peak (getrusage)."""

    def __enter__(self) -> RssPeak:
        self.start = current_rss()
        self.peak = self.start
        self.maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, current_rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, current_rss())
        self.growth = self.peak - self.start
        maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.maxrss_growth = maxrss_after - self.maxrss_before


def write_random(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(CHUNK, left))
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def read_all(store: S3BlobStore, sha: str) -> str:
    digest = hashlib.sha256()
    with store.open(sha) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def traced_peak(fn: Callable[[], object]) -> int:
    """Python allocations at their highest while ``fn`` runs (all threads of this process)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    size = int(float(sys.argv[1]) * MB) if len(sys.argv) > 1 else 200 * MB
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    moto = start_moto(port)
    try:
        with tempfile.TemporaryDirectory(prefix="wbk-bench-blobs-") as tmp:
            boto3.session.Session().client("s3").create_bucket(Bucket="wbk-bench")
            store = open_blob_store("s3://wbk-bench/evidence", Path(tmp))
            assert isinstance(store, S3BlobStore)
            store.size_of("0" * 64)  # connect once, outside the measurements

            staged = store.staging_dir() / "up-bench"
            sha = write_random(staged, size)
            with RssPeak() as up_mem:
                up_s, _ = timed(lambda: store.put_file(staged, sha))
            with RssPeak() as down_mem:
                down_s, got = timed(lambda: read_all(store, sha))
            if got != sha:
                print("download does not match the uploaded file's SHA-256")
                return 1
            verify_s, _ = timed(lambda: store.hash_of(sha))

            staged = store.staging_dir() / "up-bench-2"
            sha2 = write_random(staged, size)
            up_traced = traced_peak(lambda: store.put_file(staged, sha2))
            down_traced = traced_peak(lambda: read_all(store, sha2))
    finally:
        moto.terminate()
        moto.wait(timeout=30)

    mb = size / MB
    parts = -(-size // store.transfer.multipart_chunksize)
    print(
        f"S3 blob store against moto (separate process), a {mb:.0f} MB file, "
        f"multipart above {store.multipart_threshold / CHUNK:.0f} MiB ({parts} parts), "
        f"{store.transfer.max_concurrency} parts in flight"
    )
    for label, seconds, mem, traced in (
        ("upload  ", up_s, up_mem, up_traced),
        ("download", down_s, down_mem, down_traced),
    ):
        print(
            f"  {label} {seconds:6.2f} s  {mb / seconds:6.1f} MB/s   "
            f"peak RSS growth {mem.growth / MB:5.1f} MB ({100 * mem.growth / size:4.1f} % "
            f"of the file; getrusage peak +{mem.maxrss_growth / MB:.1f} MB), "
            f"Python allocations peak {traced / MB:5.1f} MB"
        )
    print(f"  verify (hash_of) {verify_s:6.2f} s  {mb / verify_s:6.1f} MB/s")
    worst = max(up_mem.growth, down_mem.growth, up_traced, down_traced)
    ok = worst < MEMORY_LIMIT
    print(
        f"  memory target (growth < {MEMORY_LIMIT / MB:.0f} MB whatever the file size): "
        f"{'met' if ok else 'MISSED'} (worst {worst / MB:.1f} MB)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
