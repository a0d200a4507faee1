"""The one object that owns the database: engine, migrations and transactions (unit of work)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def script_heads() -> frozenset[str] | None:
    """The head revisions of the migration scripts, read from their ``revision`` and
    ``down_revision`` lines without importing alembic; None when a script is not in that plain
    form (then alembic decides)."""
    revisions: set[str] = set()
    below: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id in _HEADER:
                    try:
                        found[target.id] = ast.literal_eval(node.value)
                    except ValueError:
                        return None
        revision, down = found.get("revision"), found.get("down_revision")
        if not isinstance(revision, str) or found.get("branch_labels") or found.get("depends_on"):
            return None
        if isinstance(down, str):
            below.add(down)
        elif isinstance(down, tuple) and all(isinstance(d, str) for d in down):
            below.update(down)
        elif down is not None:
            return None
        revisions.add(revision)
    return frozenset(revisions - below) if revisions else None


_HEADER = ("revision", "down_revision", "branch_labels", "depends_on")


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'wbk.sqlite3').resolve()}"


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy (below) emit BEGIN itself; the driver's implicit BEGIN is deferred and
        # fails with "database is locked" when two writers upgrade their read locks at once.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for wbk's migrations; env.py runs on ``connection``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


class Database:
    """SQLite (WAL, BEGIN IMMEDIATE for writes) or PostgreSQL, with the same code paths."""

    def __init__(self, url: str) -> None:
        self.url = url
        # set by the workspace: the audit key (given to every write session, see audit.record)
        # and what runs after a write that appended to the audit trail commits (the witness)
        self.audit_key: bytes | None = None
        self.after_audited_commit: list = []
        # run with the session just before a write commits (the row digests)
        self.before_commit: list = []
        self.dialect = make_url(url).get_backend_name()
        if self.dialect == "sqlite":
            path = make_url(url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(url)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: commits when the block ends, rolls back on any exception.

        Writers are serialised from their first statement: SQLite by ``BEGIN IMMEDIATE``,
        PostgreSQL by locking the audit chain's head row, which every write appends to anyway.
        Taking it first means a writer never reads a row another writer is about to change
        (no false "changed by someone else" under READ COMMITTED) and locks are always taken
        in the same order (no deadlock)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            info = {"audit_key": self.audit_key}
            with Session(bind=conn, expire_on_commit=False, info=info) as session:
                with conn.begin():
                    if self.dialect == "postgresql":
                        session.execute(text("SELECT id FROM audit_head WHERE id = 1 FOR UPDATE"))
                    else:  # one writer at a time: rows noted before are not this write's
                        session.execute(text("DELETE FROM row_touch"))
                    yield session
                    for hook in self.before_commit:
                        hook(session)
                    session.flush()
                head = session.info.get("audit_head")  # (seq, hash) after the last event
            if head is not None:
                for hook in self.after_audited_commit:
                    hook(*head)

    @contextmanager
    def cache_write(self) -> Iterator[Session]:
        """A write transaction for the derived tables only (``info={"cache": True}``): it does
        not queue behind the audit chain, since nothing it writes is audited or trusted."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with Session(bind=conn, expire_on_commit=False) as session, conn.begin():
                yield session

    def upsert(self, table, rows: list[dict], keys: tuple[str, ...]):
        """INSERT ... ON CONFLICT (keys) DO UPDATE: the statement of this engine's dialect."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(rows)
        changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
        return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)

    def increment(self, table, key: dict, column: str):
        """Add 1 to ``column`` of the row at ``key``, inserting it with 1 when there is none:
        one atomic INSERT ... ON CONFLICT DO UPDATE on either engine (two processes counting
        at once both count), RETURNING the new value."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values({**key, column: 1})
        return statement.on_conflict_do_update(
            index_elements=list(key), set_={column: table.c[column] + 1}
        ).returning(table.c[column])

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (one consistent snapshot on both engines)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with Session(bind=conn, expire_on_commit=False) as session, conn.begin():
                yield session

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent).

        There is one head: a new migration revises the newest one, and branches made in
        parallel are joined by a merge revision (``alembic merge``);
        tests/integration/test_migrations.py fails while more than one head exists."""
        if self.at_heads():
            return  # every command opens the workspace: an up-to-date one costs no alembic
        from alembic import command

        with self.engine.connect() as conn:
            command.upgrade(alembic_config(conn), "head")
            if conn.in_transaction():
                conn.commit()

    def at_heads(self) -> bool:
        """The database is at exactly the migration scripts' heads (False when unsure)."""
        heads = script_heads()
        if heads is None:
            return False
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            current = {
                row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))
            }
        return current == heads

    def dispose(self) -> None:
        self.engine.dispose()
