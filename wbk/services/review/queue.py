"""The reading queue and the text cache: every file is read once per SHA-256.

An upload queues its file in the upload's own transaction (``enqueue``). Workers (the app's
background thread, ``wbk review --worker``, the CLI while it waits) claim rows with
``UPDATE ... SET status='working' WHERE id=:id AND status='queued'``: one statement that
only one worker can win on SQLite and PostgreSQL alike, so several processes share one
queue. A row claimed by a worker that died is queued again after ``STALE``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wbk.review.extract import extract, ocr_available
from wbk.review.facts import document_facts
from wbk.review.match import vocabulary
from wbk.review.terms import load_terms
from wbk.services.core.workspace import Workspace
from wbk.store.tables import ReviewQueue, ReviewText

STALE = timedelta(minutes=10)
BATCH = 16
READER = "r1"  # moves when the reader changes: every file is read again
_log = logging.getLogger("wbk.review")


def stamp() -> str:
    """The reader that reads a file today: one without OCR leaves scans for a later one."""
    return f"{READER}-{'ocr' if ocr_available() else 'text'}"


def _now() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}"


def _fresh(row: ReviewText | None) -> bool:
    """A cached text is kept unless it waits for OCR that is now installed."""
    return row is not None and (not row.needs_ocr or row.stamp == stamp())


def enqueue(s: Session, sha256: str, media_type: str, filename: str) -> bool:
    """Queue a file in the caller's write transaction unless its text is known or it is
    already waiting; True when queued."""
    if _fresh(s.get(ReviewText, sha256)):
        return False
    row = s.execute(select(ReviewQueue).where(ReviewQueue.sha256 == sha256)).scalar()
    if row is None:
        s.add(
            ReviewQueue(
                sha256=sha256,
                media_type=media_type,
                filename=filename,
                status="queued",
                attempts=0,
                queued_at=_now(),
            )
        )
        s.flush()
        return True
    if row.status in ("done", "failed"):
        row.status, row.worker, row.queued_at = "queued", None, _now()
        return True
    return False


def pending(s: Session, shas: set[str] | None = None) -> int:
    """Files queued or being read (of ``shas``, or all)."""
    q = select(func.count()).select_from(ReviewQueue)
    q = q.where(ReviewQueue.status.in_(("queued", "working")))
    if shas is not None:
        if not shas:
            return 0
        q = q.where(ReviewQueue.sha256.in_(sorted(shas)))
    return int(s.execute(q).scalar() or 0)


@dataclass(frozen=True)
class Claimed:
    id: int
    sha256: str
    media_type: str
    filename: str


def claim(ws: Workspace, worker: str, limit: int = BATCH) -> list[Claimed]:
    """Take up to ``limit`` queued files for ``worker``."""
    now = _now()
    with ws.db.read() as s:  # an idle queue costs a reader, never a write lock
        waiting = s.execute(
            select(ReviewQueue.id)
            .where(
                (ReviewQueue.status == "queued")
                | ((ReviewQueue.status == "working") & (ReviewQueue.claimed_at < now - STALE))
            )
            .limit(1)
        ).first()
    if waiting is None:
        return []
    with ws.db.write() as s:
        s.execute(
            update(ReviewQueue)
            .where(ReviewQueue.status == "working", ReviewQueue.claimed_at < now - STALE)
            .values(status="queued", worker=None)
        )
        rows = s.execute(
            select(ReviewQueue.id, ReviewQueue.sha256, ReviewQueue.media_type, ReviewQueue.filename)
            .where(ReviewQueue.status == "queued")
            .order_by(ReviewQueue.id)
            .limit(limit)
        ).all()
        out = []
        for row in rows:
            won = s.execute(
                update(ReviewQueue)
                .where(ReviewQueue.id == row.id, ReviewQueue.status == "queued")
                .values(
                    status="working",
                    worker=worker,
                    claimed_at=now,
                    attempts=ReviewQueue.attempts + 1,
                )
            ).rowcount
            if won == 1:
                out.append(Claimed(row.id, row.sha256, row.media_type, row.filename))
        return out


def read_file(ws: Workspace, item: Claimed) -> dict:
    """Read one file's text and facts (outside any transaction: OCR takes seconds)."""
    started = time.perf_counter()
    try:
        with ws.blobs.open(item.sha256) as f:
            data = f.read()
    except (OSError, KeyError) as exc:
        data, error = b"", f"{type(exc).__name__}: {exc}"[:300]
    else:
        error = None
    extracted = extract(data, item.media_type, item.filename) if data else None
    if extracted is None:
        values = {"source": "none", "needs_ocr": False, "error": error, "pages": [], "facts": {}}
    else:
        facts = document_facts(vocabulary(load_terms(ws.settings.criteria_dir)), extracted)
        values = {
            "source": extracted.source,
            "needs_ocr": extracted.needs_ocr,
            "error": extracted.error,
            "pages": list(extracted.pages),
            "facts": facts.to_json() | {"signature_field": extracted.signature_field},
        }
    return values | {"seconds": time.perf_counter() - started}


def _store(ws: Workspace, worker: str, done: list[tuple[Claimed, dict]]) -> None:
    now = _now()
    with ws.db.write() as s:
        for item, values in done:
            row = s.get(ReviewText, item.sha256)
            if row is None:
                row = ReviewText(sha256=item.sha256)
                s.add(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.stamp, row.read_at = stamp(), now
            s.execute(
                update(ReviewQueue)
                .where(ReviewQueue.id == item.id, ReviewQueue.worker == worker)
                .values(status="done")
            )


def work(ws: Workspace, worker: str | None = None, limit: int | None = None) -> int:
    """Read queued files until the queue is empty (or ``limit`` files); how many were read."""
    worker = worker or worker_name()
    count = 0
    while limit is None or count < limit:
        batch = claim(ws, worker, BATCH if limit is None else min(BATCH, limit - count))
        if not batch:
            break
        done = []
        for item in batch:
            try:
                done.append((item, read_file(ws, item)))
            except Exception:  # one bad file must not stop the queue
                _log.exception("reading %s failed", item.sha256)
                with ws.db.write() as s:
                    s.execute(
                        update(ReviewQueue).where(ReviewQueue.id == item.id).values(status="failed")
                    )
        _store(ws, worker, done)
        count += len(batch)
    return count


def run_worker(ws: Workspace, stop: threading.Event, poll_seconds: float = 2.0) -> None:
    """Work the queue until ``stop`` is set, looking for new files every ``poll_seconds``."""
    worker = worker_name()
    while not stop.is_set():
        try:
            read = work(ws, worker)
        except Exception:  # a lost connection: try again on the next round
            _log.exception("review worker round failed")
            read = 0
        if not read:
            stop.wait(poll_seconds)


def texts(s: Session, shas: set[str]) -> dict[str, ReviewText]:
    if not shas:
        return {}
    rows = s.execute(select(ReviewText).where(ReviewText.sha256.in_(sorted(shas)))).scalars()
    return {r.sha256: r for r in rows if _fresh(r)}
