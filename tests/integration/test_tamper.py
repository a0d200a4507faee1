"""Tampering an attacker would try: direct edits of the tables, a cut-off audit tail, crash
leftovers. ``verify`` must name each one; the untouched workspace must verify clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wbk.services import demo
from wbk.services.assessment import assessments, dashboard, evidence
from wbk.services.core import integrity
from wbk.services.people import people
from wbk.services.yearly import carry
from wbk.store.tables import AuditEvent, AuditHead


def _kinds(report) -> list[str]:
    return sorted({k for k, _ in report.problems})


def test_the_demo_workspace_verifies_clean(ws, op):
    demo.create_demo(ws)
    report = integrity.verify(ws, op)
    assert report.problems == []
    assert report.events_checked > 100


def test_direct_answer_edit_is_named_and_the_score_it_fakes_is_caught(ws, op):
    aid = demo.create_demo(ws)
    before = assessments.score_assessment(ws, op, aid)[1].total
    with Session(ws.db.engine) as s, s.begin():  # SQL typed by hand, not a wbk write
        s.execute(
            text(
                "UPDATE answer SET value = 'A' WHERE tier = 'self' "
                "AND value IN ('B', 'C', 'D') AND assessment_id = :a"
            ),
            {"a": aid},
        )
    assert assessments.score_assessment(ws, op, aid)[1].total > before  # the forgery works...
    report = integrity.verify(ws, op)
    assert not report.ok  # ...but does not pass verify
    state = [d for k, d in report.problems if k == "state"]
    assert state and all(d.startswith(f"answer {aid}:self:") for d in state)
    assert any("table 'A'" in d for d in state)


def test_a_deleted_answer_row_is_named(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya")
    assert integrity.verify(ws, op).ok
    with Session(ws.db.engine) as s, s.begin():  # SQL typed by hand, not a wbk write
        s.execute(text("DELETE FROM answer"))
    state = [d for k, d in integrity.verify(ws, op).problems if k == "state"]
    assert state == [f"answer {a}:self:P.MP.i.a: table (no row), audit trail 'Ya'"]


def test_forged_role_grant_and_widened_areas_are_named(world):
    ws, act, op = world["ws"], world["actors"], world["op"]
    assert integrity.verify(ws, op).ok
    agen = act["agen"].user_id
    with Session(ws.db.engine) as s, s.begin():  # SQL typed by hand, not a wbk write
        s.execute(
            text("INSERT INTO role_grant (user_id, unit_id, role) VALUES (:u, NULL, 'admin')"),
            {"u": agen},
        )
        s.execute(
            text("UPDATE role_grant SET areas = NULL WHERE user_id = :u AND role = 'agen'"),
            {"u": agen},
        )
    state = [d for k, d in integrity.verify(ws, op).problems if k == "state"]
    assert f"role_grant user {agen} admin@None: not in the audit trail" in state
    assert any(d.startswith(f"role_grant user {agen} agen@") and "areas" in d for d in state)


def test_audited_changes_of_every_kind_replay_clean(world, tmp_path):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya", narrative="SK")
    ev = evidence.add_link(ws, act["agen"], a, ["P.MP.i.a"], "https://contoh.go.id/sk", "SK")
    evidence.link_question(ws, act["agen"], ev.id, "P.MP.i.b")
    evidence.unlink_question(ws, act["agen"], ev.id, "P.MP.i.a")
    people.grant_role(ws, op, "agen_b", "agen", unit_code="A", areas=["PP"])
    assessments.set_status(ws, act["koordinator"], a, "submitted")
    assert integrity.verify(ws, op).problems == []
    nxt = carry.create_from(ws, op, "A", 2027, a)
    assert nxt.rows >= 1 and nxt.links >= 1
    assert integrity.verify(ws, op).problems == []
    with Session(ws.db.engine) as s, s.begin():  # SQL typed by hand, not a wbk write
        s.execute(text("UPDATE assessment SET status = 'draft' WHERE id = :a"), {"a": a})
        s.execute(text("DELETE FROM evidence_link"))
    state = [d for k, d in integrity.verify(ws, op).problems if k == "state"]
    assert f"assessment {a} status: table draft, audit trail submitted" in state
    assert any(d.startswith(f"evidence_link {ev.id} P.MP.i.b: missing") for d in state)


def _cut_tail(ws, keep_seq: int) -> None:
    with Session(ws.db.engine) as s, s.begin():  # SQL typed by hand, not a wbk write
        prev = s.execute(select(AuditEvent.hash).where(AuditEvent.seq == keep_seq)).scalar_one()
        s.execute(text("DELETE FROM audit_event WHERE seq > :k"), {"k": keep_seq})
        head = s.get(AuditHead, 1)
        head.seq, head.hash = keep_seq, prev


def test_a_cut_off_tail_passes_the_chain_but_not_the_witness(world):
    ws, a, act, op = world["ws"], world["a"], world["actors"], world["op"]
    with ws.db.read() as s:
        keep = s.get(AuditHead, 1).seq
    assessments.set_answer(ws, act["agen"], a, "P.MP.i.a", "Ya")
    dashboard.take_snapshot(ws, op, a)  # witnesses the head
    assert integrity.verify(ws, op).ok
    _cut_tail(ws, keep)
    with Session(ws.db.engine) as s, s.begin():  # hide the answer too
        s.execute(text("DELETE FROM answer"))
        s.execute(text("DELETE FROM score_snapshot"))
    report = integrity.verify(ws, op)
    assert "witness" in _kinds(report)  # and the rows deleted by hand, under "rows"
    assert any("the audit trail was cut" in d for k, d in report.problems if k == "witness")


def test_witness_log_lives_beside_the_blobs_and_only_grows(world, tmp_path):
    ws, op = world["ws"], world["op"]
    first = ws.witness("manual")
    ws.witness("manual")
    log = Path(ws.settings.data_dir) / "blobs" / "witness.log"
    lines = log.read_text().splitlines()
    assert len(lines) >= 2 and json.loads(lines[-2])["seq"] == first["seq"]
    assert integrity.verify(ws, op).witnesses_checked == len(lines)


def test_stale_staging_files_are_cleaned_fresh_ones_kept(ws):
    staging = ws.blobs.staging_dir()
    staging.mkdir(parents=True, exist_ok=True)
    stale, fresh = staging / "crash.part", staging / "now.part"
    stale.write_bytes(b"x" * 10)
    fresh.write_bytes(b"y")
    old = time.time() - 2 * integrity.STALE_STAGING_SECONDS
    os.utime(stale, (old, old))
    assert integrity.clean_staging(ws) == 1
    assert not stale.exists() and fresh.exists()


def test_verify_command_names_a_forged_row_and_exits_1(tmp_path):
    env = {**os.environ, "WBK_DATA_DIR": str(tmp_path / "data"), "WBK_LANG": "en"}
    env.pop("WBK_DATABASE_URL", None)

    def wbk(*args):
        return subprocess.run(
            [sys.executable, "-m", "wbk", *args], env=env, capture_output=True, text=True
        )

    assert wbk("init").returncode == 0
    assert wbk("demo").returncode == 0
    assert wbk("verify").returncode == 0
    db = tmp_path / "data" / "wbk.sqlite3"
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE answer SET value = 'A' WHERE tier = 'self' AND value = 'B'")
    result = wbk("verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "answer " in result.stdout and "table 'A'" in result.stdout
