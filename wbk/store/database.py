"""The one object that owns the database: engine, migrations and transactions (unit of work)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


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
            with Session(bind=conn, expire_on_commit=False) as session, conn.begin():
                if self.dialect == "postgresql":
                    session.execute(text("SELECT id FROM audit_head WHERE id = 1 FOR UPDATE"))
                yield session
                session.flush()

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
        from alembic import command

        with self.engine.connect() as conn:
            command.upgrade(alembic_config(conn), "head")
            if conn.in_transaction():
                conn.commit()

    def dispose(self) -> None:
        self.engine.dispose()
