"""Synthetic workspaces for benchmarks: the demo unit plus many documents and snapshots."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wbk.formats.simple_docs import simple_pdf
from wbk.services import demo
from wbk.services.assessment import evidence
from wbk.services.assessment.dashboard import take_snapshot
from wbk.services.core.actor import operator
from wbk.services.core.workspace import Workspace, open_workspace
from wbk.services.review import queue as review_queue
from wbk.settings import Settings


def read_demo(data_dir: Path) -> None:
    """The demo workspace at ``data_dir``, its documents already read by the pre-review. While
    any is queued, an app's pages redraw every 2 s and once more when the reading ends, which
    replaces what a test is about to click (the queue and its progress have their own tests)."""
    ws = open_workspace(Settings(data_dir=data_dir))
    demo.create_demo(ws)
    review_queue.work(ws)
    ws.db.dispose()


def build_workspace(data_dir: Path, documents: int = 0, months: int = 0) -> tuple[Workspace, int]:
    """The demo workspace with ``documents`` extra evidence files and ``months`` snapshots."""
    ws = open_workspace(Settings(data_dir=data_dir))
    aid = demo.create_demo(ws)
    op = operator("bench")
    codes = list(ws.catalog("lke-zi-2021").items)
    for i in range(documents):
        code = codes[i % len(codes)]
        evidence.add_file(
            ws,
            op,
            aid,
            [code],
            io.BytesIO(simple_pdf(f"Dokumen {i}", [code])),
            f"dokumen-{i}.pdf",
            title=f"Dokumen pendukung {i}",
        )
    now = datetime.now(UTC)
    for m in range(months):
        take_snapshot(ws, op, aid, taken_at=now - timedelta(days=30 * (months - m)))
    return ws, aid
