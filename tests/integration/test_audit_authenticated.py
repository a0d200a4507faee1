"""The audit chain cannot be extended by whoever can only write the database: each event is
authenticated with a key kept outside it, and every committed write is witnessed at once, so
cutting the tail off is seen too. Both engines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text
from typer.testing import CliRunner

from wbk.cli import app
from wbk.services.assessment import assessments
from wbk.services.core import audit, integrity
from wbk.services.core.workspace import open_workspace
from wbk.settings import Settings, get_settings
from wbk.store.tables import AuditEvent, AuditHead


def problems(ws, op, kind="audit"):
    return [d for k, d in integrity.verify(ws, op).problems if k == kind]


def test_a_forged_event_with_a_correct_hash_is_not_authenticated(world):
    ws, op = world["ws"], world["op"]
    assert problems(ws, op) == []
    with ws.db.engine.begin() as conn:  # an attacker with the database only
        head = conn.execute(select(AuditHead.seq, AuditHead.hash)).one()
        seq, at = head.seq + 1, datetime.now(UTC).isoformat(timespec="microseconds")
        after = '{"role":"admin","unit_id":null}'
        digest = audit.event_hash(seq, at, "x", "role.grant", "user", "1", None, after, head.hash)
        conn.execute(
            AuditEvent.__table__.insert().values(
                seq=seq,
                at=at,
                actor="x",
                action="role.grant",
                entity="user",
                entity_id="1",
                before=None,
                after=after,
                prev_hash=head.hash,
                hash=digest,
                mac=None,
            )
        )
        conn.execute(AuditHead.__table__.update().values(seq=seq, hash=digest))
    found = problems(ws, op)
    assert f"audit: event {seq} is not authenticated" in found
    assert not integrity.verify(ws, op).ok


def test_without_the_key_verify_cannot_pass(world, tmp_path):
    ws, op = world["ws"], world["op"]
    keyless = open_workspace(
        Settings(
            data_dir=ws.settings.data_dir,
            database_url=ws.settings.database_url,
            audit_key_file=tmp_path / "nowhere.key",
        )
    )
    try:
        report = integrity.verify(keyless, op)
        assert not report.ok
        assert any("cannot be authenticated" in d for _, d in report.problems)
    finally:
        keyless.db.dispose()


def test_a_cut_off_tail_is_seen_because_every_write_was_witnessed(world):
    ws, a, op = world["ws"], world["a"], world["op"]
    for value in ("A", "B", "C"):
        assessments.set_answer(ws, op, a, "P.MP.i.b", value)
    with ws.db.read() as s:
        head = s.get(AuditHead, 1)
        keep = head.seq - 3
        kept = s.execute(select(AuditEvent.hash).where(AuditEvent.seq == keep)).scalar_one()
    assert json.loads(ws.blobs.witness_records()[-1])["seq"] == head.seq  # no window
    with ws.db.engine.begin() as conn:  # three events deleted, the head reset to match
        conn.execute(text("DELETE FROM audit_event WHERE seq > :k"), {"k": keep})
        conn.execute(AuditHead.__table__.update().values(seq=keep, hash=kept))
        conn.execute(text("DELETE FROM answer WHERE code = 'P.MP.i.b'"))
    found = problems(ws, op, "witness")
    assert any(f"witnessed event {head.seq}" in d and "cut" in d for d in found), found


def test_init_adopts_a_trail_written_before_the_key_once_and_records_it(tmp_path, monkeypatch):
    data = tmp_path / "lama"
    ws = open_workspace(Settings(data_dir=data))
    op = integrity_operator()
    from wbk.services.people import people

    people.add_unit(ws, op, "U", "Unit Lama")
    ws.db.dispose()
    (data / "keys" / "audit-hmac.key").unlink()  # as a workspace from before the key
    with open_workspace(Settings(data_dir=data)).db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET mac = NULL"))
    monkeypatch.setenv("WBK_DATA_DIR", str(data))
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["init"])
        assert out.exit_code == 0, out.output
        assert "1 peristiwa audit yang sudah ada kini terautentikasi" in out.output
        again = CliRunner().invoke(app, ["init"])  # safe to repeat: nothing adopted again
        assert "terautentikasi" not in again.output
    finally:
        get_settings.cache_clear()
    ws = open_workspace(Settings(data_dir=data))
    try:
        assert integrity.verify(ws, op).ok
        with ws.db.read() as s:
            events = s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
        adopt, baseline = events[-2:]
        assert adopt.action == "audit.adopt" and json.loads(adopt.after) == {"events": 1}
        # and the rows as they are, from then on checked against their digests
        assert baseline.action == "rows.baseline" and json.loads(baseline.rows)
    finally:
        ws.db.dispose()


def integrity_operator():
    from wbk.services.core.actor import operator

    return operator("test")


def test_rotating_the_key_keeps_the_trail_verifiable_and_the_old_key(world):
    ws, a, op = world["ws"], world["a"], world["op"]
    old = ws.db.audit_key
    count, kept = integrity.rotate_audit_key(ws, op)
    assert count > 0 and kept.read_bytes() == old
    assert ws.db.audit_key != old
    assessments.set_answer(ws, op, a, "P.MP.i.b", "A")  # later events use the new key
    assert integrity.verify(ws, op).ok
    again = open_workspace(ws.settings)  # another process reads the new key file
    try:
        assert again.db.audit_key == ws.db.audit_key
        assert integrity.verify(again, op).ok
    finally:
        again.db.dispose()


def test_a_trail_that_fails_is_not_re_authenticated(world):
    import pytest

    from wbk.errors import InvalidInput

    ws, op = world["ws"], world["op"]
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET mac = NULL WHERE seq = 1"))
    with pytest.raises(InvalidInput):
        integrity.rotate_audit_key(ws, op)
    assert "audit: event 1 is not authenticated" in problems(ws, op)
