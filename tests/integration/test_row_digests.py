"""Every table that carries state is covered: a row changed, inserted or deleted by SQL
outside wbk is named by ``wbk verify``, on both engines. The cases are the edits an attacker
with write access to the database would try (SQLite: every case; PostgreSQL: a sample, each
on a copy of the same workspace made from a template database)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.integration.pg import create_database
from wbk.services import demo
from wbk.services.core import integrity
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import auth, people
from wbk.services.portalrb import tokens
from wbk.services.surveys import kiosk
from wbk.settings import Settings
from wbk.store.rowdigest import CHAIN, TRANSIENT, state_tables, trigger_names
from wbk.store.tables import Base, is_cache

OP = operator("tester")
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000"

# (name, table the problem names, SQL); :a is the demo assessment
CASES = [
    (
        "token moved to another unit",
        "api_token",
        "UPDATE api_token SET unit_id = (SELECT max(id) FROM unit)",
    ),
    (
        "token inserted",
        "api_token",
        "INSERT INTO api_token (name, unit_id, token_hash, created_by, created_at) "
        "SELECT 'x', unit_id, substr('f' || token_hash, 1, 64), created_by, created_at "
        "FROM api_token",
    ),
    (
        "password hash replaced",
        "user_account",
        f"UPDATE user_account SET password_hash = '{HASH}' WHERE username = 'admin'",
    ),
    (
        "account re-activated",
        "user_account",
        "UPDATE user_account SET active = NOT active WHERE username = 'admin'",
    ),
    (
        "user inserted",
        "user_account",
        "INSERT INTO user_account (username, display_name, lang, active, created_at) "
        "SELECT 'eve', 'Eve', lang, active, created_at FROM user_account WHERE username = 'admin'",
    ),
    (
        "session forged",
        "user_session",
        "INSERT INTO user_session (token_hash, user_id, created_at, last_seen_at, "
        "expires_at) "
        "SELECT substr('ab' || token_hash, 1, 64), user_id, created_at, last_seen_at, expires_at "
        "FROM user_session",
    ),
    ("session lengthened", "user_session", "UPDATE user_session SET expires_at = created_at"),
    ("unit moved", "unit", "UPDATE unit SET parent_id = NULL WHERE parent_id IS NOT NULL"),
    ("unit code renamed", "unit", "UPDATE unit SET code = code || 'X'"),
    (
        "role granted",
        "role_grant",
        "INSERT INTO role_grant (user_id, unit_id, role, source) SELECT id, NULL, 'admin', 'local' "
        "FROM user_account WHERE username = 'agen'",
    ),
    (
        "answer by another hand",
        "answer",
        "UPDATE answer SET updated_by = 'someone' WHERE assessment_id = :a",
    ),
    ("evidence retitled", "evidence", "UPDATE evidence SET title = title || ' (palsu)'"),
    ("evidence dated", "evidence", "UPDATE evidence SET document_date = NULL"),
    ("evidence valid longer", "evidence", "UPDATE evidence SET valid_until = NULL"),
    ("evidence retired", "evidence", "UPDATE evidence SET retired_by = 'x'"),
    (
        "evidence moved",
        "evidence",
        "UPDATE evidence SET assessment_id = assessment_id"
        " WHERE 1 = 0; UPDATE evidence SET created_by = 'x'",
    ),
    ("revision filename", "evidence_revision", "UPDATE evidence_revision SET filename = 'x.pdf'"),
    (
        "revision hash swapped",
        "evidence_revision",
        "UPDATE evidence_revision SET sha256 = (SELECT min(sha256) FROM evidence_revision)",
    ),
    (
        "link deleted",
        "evidence_link",
        "DELETE FROM evidence_link WHERE id = (SELECT min(id) FROM evidence_link)",
    ),
    ("note edited", "review_note", "UPDATE review_note SET text = 'beres'"),
    (
        "note deleted",
        "review_note",
        "DELETE FROM review_note WHERE id = (SELECT max(id) FROM review_note)",
    ),
    ("survey result raised", "survey_result", "UPDATE survey_result SET ikm = 99.9"),
    ("kiosk key un-revoked", "kiosk_key", "UPDATE kiosk_key SET period = period || 'x'"),
    (
        "kiosk responses inserted",
        "kiosk_response",
        "INSERT INTO kiosk_response (key_id, unit_id, period, service, answers, submitted_at, "
        "outside_hours) SELECT id, unit_id, period, '', '{}', created_at, false FROM kiosk_key",
    ),
    ("snapshot raised", "score_snapshot", "UPDATE score_snapshot SET total = 99"),
    ("assessment deadline", "assessment", "UPDATE assessment SET deadline = NULL"),
]
PG_SAMPLE = {
    "token moved to another unit",
    "password hash replaced",
    "session forged",
    "unit moved",
    "answer by another hand",
    "revision hash swapped",
    "kiosk responses inserted",
    "note deleted",
}


def build(ws):
    aid = demo.create_demo(ws)
    people.add_unit(ws, OP, "LAIN", "Unit Lain")
    tokens.create_token(ws, OP, "portalrb", "DEMO" if _has(ws, "DEMO") else _first_unit(ws))
    kiosk.create_key(ws, OP, _first_unit(ws), "2026-I", services=["Loket"])
    admin = people.actor_for(ws, "admin")
    auth.start_session(ws, admin, 8.0)
    return aid


def _first_unit(ws) -> str:
    with ws.db.read() as s:
        return s.execute(text("SELECT code FROM unit ORDER BY id")).scalars().first()


def _has(ws, code: str) -> bool:
    with ws.db.read() as s:
        return (
            s.execute(text("SELECT 1 FROM unit WHERE code = :c"), {"c": code}).first() is not None
        )


def apply(url: str, sql: str, aid: int) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in sql.split("; "):
                conn.execute(text(statement), {"a": aid} if ":a" in statement else {})
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def sqlite_base(tmp_path_factory):
    data = tmp_path_factory.mktemp("base") / "data"
    ws = open_workspace(Settings(data_dir=data))
    aid = build(ws)
    assert integrity.verify(ws, OP).ok, integrity.verify(ws, OP).problems
    ws.db.dispose()
    return data, aid


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_sql_edit_is_named_by_verify_sqlite(sqlite_base, tmp_path, case):
    name, table, sql = case
    base, aid = sqlite_base
    data = tmp_path / "data"
    shutil.copytree(base, data)
    ws = open_workspace(Settings(data_dir=data))
    try:
        apply(ws.db.url, sql, aid)
        report = integrity.verify(ws, OP)
        assert not report.ok, name
        assert any(k == "rows" and d.startswith(f"{table} ") for k, d in report.problems), (
            name,
            report.problems,
        )
    finally:
        ws.db.dispose()


@pytest.fixture(scope="module")
def pg_base(pg_url, tmp_path_factory):
    url = create_database(pg_url)
    data = tmp_path_factory.mktemp("pgbase") / "data"
    ws = open_workspace(Settings(data_dir=data, database_url=url))
    aid = build(ws)
    assert integrity.verify(ws, OP).ok
    ws.db.dispose()
    return url, data, aid


def test_the_sample_of_sql_edits_is_named_on_postgresql(pg_base):
    url, data, aid = pg_base
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    base_db = url.rsplit("/", 1)[1]
    caught = []
    try:
        for i, (name, table, sql) in enumerate(c for c in CASES if c[0] in PG_SAMPLE):
            copy = f"{base_db}_case{i}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{base_db}"'))
            copy_url = url.rsplit("/", 1)[0] + "/" + copy
            ws = open_workspace(Settings(data_dir=data, database_url=copy_url))
            try:
                apply(copy_url, sql, aid)
                report = integrity.verify(ws, OP)
                if any(k == "rows" and d.startswith(f"{table} ") for k, d in report.problems):
                    caught.append(name)
            finally:
                ws.db.dispose()
    finally:
        admin.dispose()
    assert sorted(caught) == sorted(PG_SAMPLE)


def test_every_table_is_covered_or_listed_as_a_cache():
    for table in Base.metadata.sorted_tables:
        listed = is_cache(table) or table.name in CHAIN or table.name in TRANSIENT
        assert listed or table in state_tables(), table.name


def test_every_state_table_has_its_triggers(ws):
    engine = ws.db.engine
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        else:
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        installed = {r[0] for r in rows}
    missing = trigger_names(state_tables()) - installed
    assert not missing, f"tables without row triggers (add them in their migration): {missing}"
    assert inspect(engine).has_table("row_touch")
