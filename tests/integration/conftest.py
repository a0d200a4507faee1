"""Workspaces on SQLite and on a real PostgreSQL server (required under CI=true)."""

from __future__ import annotations

import os

import pytest

from tests.integration.pg import PgServer, create_database, find_pg_bin
from wbk.services.assessment import assessments
from wbk.services.core.actor import operator
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.settings import Settings

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def pg_url():
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if IN_CI:
            pytest.fail("PostgreSQL server binaries (initdb) are required under CI=true")
        pytest.skip("PostgreSQL server not installed")
    server = PgServer(bin_dir)
    try:
        url = server.start()
    except Exception as exc:
        server.stop()
        if IN_CI:
            pytest.fail(f"could not start PostgreSQL: {exc}")
        pytest.skip(f"could not start PostgreSQL: {exc}")
    yield url
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def ws(request, tmp_path):
    """A fresh, migrated workspace on each engine."""
    url = None
    if request.param == "postgresql":
        url = create_database(request.getfixturevalue("pg_url"))
    workspace = open_workspace(Settings(data_dir=tmp_path / "data", database_url=url))
    yield workspace
    workspace.db.dispose()


@pytest.fixture
def op():
    return operator("tester")


class OneHashPerPassword:
    """The product's argon2 hasher, hashing each password once per process: the fixtures'
    users share one password, and a hash with the product's parameters costs ~0.16 s on a
    quiet machine (six users in each of ~500 tests). The stored hashes stay real argon2id
    hashes with the product's parameters; only their salt is shared between test users."""

    def __init__(self, real) -> None:
        self._real = real
        self._hashes: dict[str, str] = {}

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = self._real.hash(password)
        return self._hashes[password]

    def __getattr__(self, name: str):
        return getattr(self._real, name)


FIXTURE_HASHER = OneHashPerPassword(people._hasher)


@pytest.fixture
def world(ws, op):
    """Two units under a Kanwil, one assessment, and one user per role."""
    people.add_unit(ws, op, "KW", "Kanwil Contoh", kind="kanwil")
    people.add_unit(ws, op, "A", "Kankemenag Kota A", parent_code="KW")
    people.add_unit(ws, op, "B", "Kankemenag Kota B", parent_code="KW")
    users = {
        "admin": ("admin", None, None),
        "koordinator": ("koordinator", "A", None),
        "agen": ("agen", "A", ["MP"]),
        "pimpinan": ("pimpinan", "A", None),
        "tpi": ("tpi", "KW", None),
        "agen_b": ("agen", "B", None),
    }
    with pytest.MonkeyPatch.context() as patch:  # the tests' own users get their own hash
        patch.setattr(people, "_hasher", FIXTURE_HASHER)
        for name, (role, unit, areas) in users.items():
            people.add_user(
                ws, op, name, password="rahasia-123", role=role, unit_code=unit, areas=areas
            )
    a = assessments.create_assessment(ws, op, "A", 2026)
    b = assessments.create_assessment(ws, op, "B", 2026)
    actors = {name: people.actor_for(ws, name) for name in users}
    return {"ws": ws, "a": a.id, "b": b.id, "actors": actors, "op": op}
