"""The migrations form one line with a single head, and upgrading an empty database to it
builds exactly the tables the code declares, on SQLite and on PostgreSQL. A workspace created
while the feature branches were separate heads upgrades to the merge revision."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.integration.pg import create_database
from wbk.store.database import Database, alembic_config, default_url
from wbk.store.tables import Base

# The heads every workspace was upgraded to before the merge revision existed.
OLD_HEADS = ("carry1", "followup3", "kiosk1", "portalrb1", "surveyprefs1", "tasks1")


def the_head() -> str:
    [head] = ScriptDirectory.from_config(alembic_config()).get_heads()
    return head


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    """An empty database on each engine, nothing created in it yet."""
    if request.param == "postgresql":
        url = create_database(request.getfixturevalue("pg_url"))
    else:
        url = default_url(tmp_path)
    db = Database(url)
    yield db
    db.dispose()


def versions(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def schema_diff(db: Database) -> list:
    """What alembic would have to change to make the database match ``Base.metadata``."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, Base.metadata)


def test_the_migration_graph_has_exactly_one_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"more than one head, join them with `alembic merge`: {heads}"


def test_the_merge_revision_joins_the_old_heads():
    script = ScriptDirectory.from_config(alembic_config())
    merge = script.get_revision("0005")
    assert set(merge.down_revision) == set(OLD_HEADS)
    assert all(script.get_revision(old).nextrev == {"0005"} for old in OLD_HEADS)


def test_upgrading_an_empty_database_builds_the_declared_tables(empty_db):
    empty_db.migrate()
    assert versions(empty_db) == {the_head()}
    assert schema_diff(empty_db) == []
    empty_db.migrate()  # idempotent
    assert versions(empty_db) == {the_head()}


def test_a_database_at_the_old_heads_upgrades_to_the_merge(empty_db):
    with empty_db.engine.connect() as conn:
        cfg = alembic_config(conn)
        for old in OLD_HEADS:
            command.upgrade(cfg, old)
        conn.commit()
    assert versions(empty_db) == set(OLD_HEADS)
    with empty_db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO unit (code, name, kind, created_at) VALUES (:c, :n, :k, :at)"),
            {"c": "A", "n": "Kankemenag Kota A", "k": "satker", "at": datetime.now(UTC)},
        )

    empty_db.migrate()

    assert versions(empty_db) == {the_head()}
    assert schema_diff(empty_db) == []
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM unit")).scalars().all() == ["A"]
