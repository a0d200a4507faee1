"""Benchmark: peak memory of a backup and of the TPN binder over a 2 GB evidence store.

Both must stream: the process's peak memory may not grow with the store. Each operation runs
in its own process; its peak resident set size (ru_maxrss) is printed beside the baseline of
a process that only opens the workspace. Run: ``.venv/bin/python bench/bench_memory.py
[--gb 2]`` (needs about 3x the store size in free disk for the store, the backup and the
binder).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FILE_MB = 50  # the upload limit: the largest file a unit can have


def build(data_dir: Path, gigabytes: float) -> int:
    """The demo workspace plus enough 50 MB files (random, incompressible) to reach the size.
    Files go straight into the store (the upload checks are not what is measured here)."""
    from wbk.services import demo
    from wbk.services.assessment import evidence
    from wbk.services.core.actor import operator
    from wbk.services.core.workspace import open_workspace
    from wbk.settings import Settings
    from wbk.uploads import UploadInfo

    ws = open_workspace(Settings(data_dir=data_dir))
    aid = demo.create_demo(ws)
    op = operator("bench")
    codes = list(ws.catalog("lke-zi-2021").items)
    count = int(gigabytes * 1000 / FILE_MB)
    for i in range(count):
        staged = ws.blobs.staging_dir() / f"bench-{i}"
        import hashlib

        digest = hashlib.sha256()
        with staged.open("wb") as out:
            for _ in range(FILE_MB):
                chunk = os.urandom(1_000_000)
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        ws.blobs.put_file(staged, sha)
        info = UploadInfo("application/pdf", "pdf", f"besar-{i}.pdf", FILE_MB * 1_000_000)
        with ws.db.write() as s:
            evidence.insert_file(ws, s, op, aid, [codes[i % 80]], info, sha, f"Dokumen {i}")
    ws.db.dispose()
    return aid


CHILD = {
    "baseline": "from wbk.services.core.workspace import open_workspace; open_workspace()",
    "backup": (
        "from wbk.services.core.workspace import open_workspace;"
        "from wbk.services.core import backups;"
        "from wbk.services.core.actor import operator; from pathlib import Path;"
        "backups.backup(open_workspace(), operator('bench'), Path({out!r}))"
    ),
    "binder": (
        "from wbk.services.core.workspace import open_workspace;"
        "from wbk.services.assessment import reports;"
        "from wbk.services.core.actor import operator; from pathlib import Path;"
        "reports.evidence_binder(open_workspace(), operator('bench'), 1, target=Path({out!r}))"
    ),
}


REPORT = "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def run_child(name: str, data_dir: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one operation in a fresh process (it reports its own)."""
    env = {**os.environ, "WBK_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD[name].format(out=str(out)) + REPORT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gb", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("WBK_BENCH_TMP")) as tmp:
        data_dir = Path(tmp) / "data"
        start = time.perf_counter()
        build(data_dir, args.gb)
        store = sum(f.stat().st_size for f in (data_dir / "blobs").rglob("*") if f.is_file())
        print(f"evidence store: {store / 1e9:.2f} GB built in {time.perf_counter() - start:.0f} s")
        results = {}
        for name in ("baseline", "binder", "backup"):
            out = Path(tmp) / f"{name}.zip"
            seconds, peak = run_child(name, data_dir, out)
            size = out.stat().st_size / 1e9 if out.exists() else 0
            results[name] = peak
            print(f"{name:<9} {seconds:6.1f} s   peak RSS {peak:6.0f} MB   output {size:.2f} GB")
            out.unlink(missing_ok=True)
        print(
            "growth over the baseline process: "
            f"binder {results['binder'] - results['baseline']:.0f} MB, "
            f"backup {results['backup'] - results['baseline']:.0f} MB "
            f"(store {store / 1e6:.0f} MB)"
        )


if __name__ == "__main__":
    main()
