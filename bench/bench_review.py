"""The pre-review: N text PDFs of two pages reviewed from cold (read, matched, judged), the
same review again with nothing changed, OCR seconds per page at the resolution used, and
what the LKE page waits for its review while a worker drains the queue.

    .venv/bin/python bench/bench_review.py [--documents 500] [--database-url URL]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.review_corpus import NOTULEN, SCANNED_SK, SK, scan_pdf, text_pdf
from wbk.review.extract import OCR_DPI, extract, ocr_available
from wbk.services.assessment import assessments, evidence
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.review import queue, reviews
from wbk.settings import Settings


def _workspace(tmp: Path, url: str | None, n: int):
    ws = open_workspace(Settings(data_dir=tmp, database_url=url))
    op = operator("bench")
    people.add_unit(ws, op, "A", "Unit A")
    aid = assessments.create_assessment(ws, op, "A", 2026).id
    codes = list(ws.catalog("lke-zi-2021").questions)
    for i in range(n):
        pages = [
            [*SK[0], f"Lampiran dokumen nomor {i}"],
            [*(NOTULEN[1] if i % 2 else SK[1]), f"Halaman kedua dokumen {i}"],
        ]
        evidence.add_file(
            ws, op, aid, [codes[i % len(codes)]], io.BytesIO(text_pdf(pages)), f"d{i}.pdf",
            f"Dokumen {i}",
        )  # fmt: skip
    return ws, op, aid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws, op, aid = _workspace(Path(tmp), args.database_url, args.documents)
        start = time.perf_counter()
        r = reviews.review_assessment(ws, op, aid)
        cold = time.perf_counter() - start
        assert r.pending == 0 and len(r.documents) == args.documents
        start = time.perf_counter()
        reviews.review_assessment(ws, op, aid)
        warm = time.perf_counter() - start
        print(
            f"review of {args.documents} two-page text PDFs ({ws.db.dialect}): "
            f"cold {cold:.1f} s (target < 30 s), again with nothing changed {warm:.2f} s "
            f"(target < 1 s); summary {r.summary()}"
        )
        ws.db.dispose()
    with tempfile.TemporaryDirectory() as tmp:  # the page's wait while a worker reads
        ws, op, aid = _workspace(Path(tmp), args.database_url, min(args.documents, 200))
        stop = threading.Event()
        worker = threading.Thread(target=queue.run_worker, args=(ws, stop, 0.2))
        worker.start()
        waits = []
        while True:
            start = time.perf_counter()
            r = reviews.review_assessment(ws, op, aid, wait=False)
            waits.append(time.perf_counter() - start)
            if not r.pending:
                break
            time.sleep(0.5)
        stop.set()
        worker.join()
        print(
            f"LKE page's review while a worker drains {min(args.documents, 200)} files: "
            f"median {statistics.median(waits) * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms "
            f"over {len(waits)} page loads"
        )
        ws.db.dispose()
    if ocr_available():
        pages = 3
        seconds = []
        for _ in range(pages):
            scan = scan_pdf(SCANNED_SK, dpi=OCR_DPI)
            start = time.perf_counter()
            assert extract(scan, "application/pdf", "scan.pdf").source == "ocr"
            seconds.append(time.perf_counter() - start)
        print(f"OCR at {OCR_DPI} DPI (tesseract ind): {statistics.median(seconds):.2f} s per page")
    else:
        print("OCR: tesseract with its Indonesian model not installed, not measured")


if __name__ == "__main__":
    main()
