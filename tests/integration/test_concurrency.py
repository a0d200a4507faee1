"""Several processes writing answers and uploading evidence at once on SQLite."""

from __future__ import annotations

import io
import multiprocessing as mp
from pathlib import Path

from wbk.services import assessments, integrity, people
from wbk.services.actor import operator
from wbk.services.workspace import open_workspace
from wbk.settings import Settings

WORKERS = 4
INCREMENTS = 10
COUNTER = "R.AK.i.a#sasaran"


def _worker(data_dir: str, worker: int, assessment_id: int, queue) -> None:
    from pypdf import PdfWriter

    from wbk.errors import Conflict
    from wbk.services import evidence

    try:
        ws = open_workspace(Settings(data_dir=Path(data_dir)), migrate=False)
        actor = operator(f"w{worker}")
        codes = [c for c in ws.catalog("lke-zi-2021").questions if c.startswith("P.")]
        mine = codes[worker::WORKERS][:15]
        conflicts = 0
        for i in range(INCREMENTS):
            while True:  # read-modify-write with optimistic locking: retry on conflict
                current = assessments.answers_of(ws, actor, assessment_id).get(COUNTER)
                version = current.version if current else 0
                value = int(current.value) + 1 if current else 1
                try:
                    assessments.set_answer(
                        ws, actor, assessment_id, COUNTER, str(value), expected_version=version
                    )
                    break
                except Conflict:
                    conflicts += 1
            assessments.set_answer(
                ws,
                actor,
                assessment_id,
                mine[i],
                "Ya" if ws.catalog("lke-zi-2021").questions[mine[i]].scale == "ya_tidak" else "A",
            )
            if i % 3 == 0:
                writer = PdfWriter()
                for _ in range(worker * 10 + i + 1):
                    writer.add_blank_page(100, 100)
                buf = io.BytesIO()
                writer.write(buf)
                buf.seek(0)
                evidence.add_file(ws, actor, assessment_id, [mine[i]], buf, f"w{worker}-{i}.pdf")
        queue.put(("ok", worker, conflicts))
    except Exception as exc:
        queue.put(("error", worker, repr(exc)))


def test_parallel_writers_lose_nothing(tmp_path):
    data_dir = tmp_path / "data"
    ws = open_workspace(Settings(data_dir=data_dir))
    op = operator("setup")
    people.add_unit(ws, op, "A", "Unit A")
    assessment = assessments.create_assessment(ws, op, "A", 2026).id
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(str(data_dir), w, assessment, queue))
        for w in range(WORKERS)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [r for r in results if r[0] == "error"]
    assert not errors  # in particular no "database is locked"
    answers = assessments.answers_of(ws, op, assessment)
    assert answers[COUNTER].value == str(WORKERS * INCREMENTS)  # no lost update
    assert len(answers) == 1 + WORKERS * INCREMENTS
    from wbk.services import evidence

    assert len(evidence.list_evidence(ws, op, assessment)) == WORKERS * 4
    report = integrity.verify(ws, op)
    assert report.ok, report.problems
    # setup (unit + assessment) + counter writes + answers + uploads, each one audited
    assert report.events_checked == 2 + WORKERS * INCREMENTS * 2 + WORKERS * 4
