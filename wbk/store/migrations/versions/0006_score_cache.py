"""The portfolio's score cache: ``answer_rev`` (kept by triggers on ``answer``) and
``score_cache``. Both are derived tables (see wbk/store/tables/cache.py).

PostgreSQL counts once per statement (transition tables, assessments locked in id order);
SQLite once per row. Either way every INSERT, UPDATE or DELETE on ``answer`` moves the count
of each assessment it touched, whoever issued it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION wbk_answer_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO answer_rev (assessment_id, rev)
        SELECT DISTINCT assessment_id, 1 FROM changed_new ORDER BY assessment_id
        ON CONFLICT (assessment_id) DO UPDATE SET rev = answer_rev.rev + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO answer_rev (assessment_id, rev)
        SELECT DISTINCT assessment_id, 1 FROM changed_old ORDER BY assessment_id
        ON CONFLICT (assessment_id) DO UPDATE SET rev = answer_rev.rev + 1;
    ELSE
        INSERT INTO answer_rev (assessment_id, rev)
        SELECT assessment_id, 1 FROM (
            SELECT assessment_id FROM changed_new
            UNION SELECT assessment_id FROM changed_old
        ) AS touched ORDER BY assessment_id
        ON CONFLICT (assessment_id) DO UPDATE SET rev = answer_rev.rev + 1;
    END IF;
    RETURN NULL;
END
$$
"""

_PG_TRIGGERS = (
    "CREATE TRIGGER answer_rev_insert AFTER INSERT ON answer REFERENCING NEW TABLE AS "
    "changed_new FOR EACH STATEMENT EXECUTE FUNCTION wbk_answer_rev()",
    "CREATE TRIGGER answer_rev_update AFTER UPDATE ON answer REFERENCING OLD TABLE AS "
    "changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION wbk_answer_rev()",
    "CREATE TRIGGER answer_rev_delete AFTER DELETE ON answer REFERENCING OLD TABLE AS "
    "changed_old FOR EACH STATEMENT EXECUTE FUNCTION wbk_answer_rev()",
)


def _sqlite_trigger(event: str, rows: tuple[str, ...]) -> str:
    body = "".join(
        f"INSERT OR IGNORE INTO answer_rev (assessment_id, rev) VALUES ({r}.assessment_id, 0);"
        f" UPDATE answer_rev SET rev = rev + 1 WHERE assessment_id = {r}.assessment_id;"
        for r in rows
    )
    return f"CREATE TRIGGER answer_rev_{event.lower()} AFTER {event} ON answer BEGIN {body} END"


_SQLITE_TRIGGERS = (
    _sqlite_trigger("INSERT", ("NEW",)),
    _sqlite_trigger("UPDATE", ("OLD", "NEW")),  # moved to another assessment: both count
    _sqlite_trigger("DELETE", ("OLD",)),
)


def upgrade() -> None:
    for name in ("answer_rev", "score_cache"):
        columns = [
            sa.Column("assessment_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("rev", sa.BigInteger(), nullable=False),
        ]
        if name == "score_cache":
            columns += [
                sa.Column("stamp", sa.String(length=64), nullable=False),
                sa.Column("payload", sa.Text(), nullable=False),
            ]
        op.create_table(
            name,
            *columns,
            sa.ForeignKeyConstraint(
                ["assessment_id"],
                ["assessment.id"],
                name=op.f(f"fk_{name}_assessment_id_assessment"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("assessment_id", name=op.f(f"pk_{name}")),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for statement in _PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    for event in ("insert", "update", "delete"):
        op.execute(
            f"DROP TRIGGER IF EXISTS answer_rev_{event}"
            + (" ON answer" if op.get_bind().dialect.name == "postgresql" else "")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS wbk_answer_rev()")
    op.drop_table("score_cache")
    op.drop_table("answer_rev")
