"""Plan tasks and the team's efforts on SQLite and PostgreSQL: who may create and close them,
what they record (audited), how they close themselves when the answer reaches the target, the
efforts the planner then uses, the forecast from them and the report's chapter.

Points used below (weight of the sub-area / questions in it): P.MP.i 0.5 / 2 = 0.25 per
question; P.MP.iv 1.5 / 4 = 0.375; R.MP.i 2.0 / 2 = 1. Ya/Tidak = 1/0, A/B/C = 1/0.5/0.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, date, timedelta
from fractions import Fraction as F

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from docx import Document
from sqlalchemy import select

from tests.conftest import best_answers
from wbk.errors import Conflict, PermissionDenied
from wbk.planner import EffortError
from wbk.reports.docx_report import build_report
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, reports
from wbk.services.assessment.context import load_context
from wbk.services.plan import planning, tasks
from wbk.services.plan.tasks import NewTask, TaskError
from wbk.store.tables import AuditEvent, Base

TODAY = date.today()
DUE = TODAY + timedelta(days=7)


@pytest.fixture(autouse=True)
def stricter_reading(ws):
    """The plans below fix one Pemenuhan area on its own (P.MP): the stricter per-area reading
    a workspace may choose as its target (WBK_AREA_READING=strict)."""
    ws.settings = ws.settings.model_copy(update={"area_reading": "strict"})


def audit(ws, action):
    with ws.db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        ).scalars()
        return [
            (e.actor, e.entity_id, json.loads(e.before or "null"), json.loads(e.after or "null"))
            for e in rows
        ]


def shown(ws, actor, aid, today=None):
    return {x.id: x for x in tasks.tasks_of(load_context(ws, actor, aid, today))}


def utc(view):
    """The view with its moments as naive UTC (SQLite gives them back without a zone)."""

    def plain(at):
        return at.astimezone(UTC).replace(tzinfo=None) if at and at.tzinfo else at

    return replace(view, created_at=plain(view.created_at), closed_at=plain(view.closed_at))


# --- schema ------------------------------------------------------------------------------------


def test_the_migration_builds_the_tables_the_code_uses(ws):
    with ws.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diff if "plan_task" in repr(d) or "plan_effort" in repr(d)]
    assert mine == []


# --- creating tasks ----------------------------------------------------------------------------


def test_a_koordinator_accepts_steps_as_tasks_with_gain_and_effort_recomputed(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    # P.MP.i.a unanswered (starts from Tidak): -> Ya is one level, +0.25 points.
    # P.MP.i.b answered C: -> A is two levels, +0.25 x 1 = 0.25 points.
    assessments.set_answer(ws, act["koordinator"], a, "P.MP.i.b", "C")
    made = tasks.create_tasks(
        ws,
        act["koordinator"],
        a,
        [
            NewTask("P.MP.i.a", "ya", "agen", DUE),
            NewTask("P.MP.i.b", "A", "koordinator", DUE, "WBBM"),
        ],
    )
    assert [(x.code, x.from_answer, x.target, x.gain, x.effort, x.owner) for x in made] == [
        ("P.MP.i.a", None, "Ya", F(1, 4), 1, "agen"),
        ("P.MP.i.b", "C", "A", F(1, 4), 2, "koordinator"),
    ]
    assert all(x.status == "open" and x.due_date == DUE for x in made)
    events = audit(ws, "task.create")
    assert [(who, eid) for who, eid, _, _ in events] == [
        ("koordinator", str(made[0].id)),
        ("koordinator", str(made[1].id)),
    ]
    after = events[1][3]
    assert (after["target"], after["gain"], after["effort"], after["predicate"]) == (
        "A",
        "1/4",
        "2",
        "WBBM",
    )
    listed = shown(ws, act["pimpinan"], a)  # read-only people see them
    assert [x.code for x in listed.values()] == ["P.MP.i.a", "P.MP.i.b"]


def test_a_write_returns_the_task_as_the_screens_read_it(world):
    """One mapper (task_data.task_view) serves the writes and the screen's read."""
    ws, a, koord = world["ws"], world["a"], world["actors"]["koordinator"]
    made, other = tasks.create_tasks(
        ws,
        koord,
        a,
        [NewTask("P.MP.i.a", "Ya", "agen", DUE), NewTask("P.TT.i.a", "A", "koordinator", DUE)],
    )
    closed = tasks.close_task(ws, koord, other.id, "bukan prioritas", other.version)
    read = shown(ws, koord, a)
    assert (utc(read[made.id]), utc(read[other.id])) == (utc(made), utc(closed))
    assert (made.owner, made.owner_name, made.assessment_id) == ("agen", "agen", a)


def test_a_percentage_target_is_written_as_a_ratio_and_costs_ten_percents(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    assessments.save_question(
        ws, act["agen"], a, "R.MP.i.a", None, None, {"perubahan": "7", "agen": "10"}
    )
    (task,) = tasks.create_tasks(ws, act["agen"], a, [NewTask("R.MP.i.a", "90%", "agen", DUE)])
    # 0.7 -> 0.9 reaches two whole ten percents; 1 point per unit of value: +0.2
    assert (task.from_answer, task.target, task.effort, task.gain) == ("0.7", "0.9", 2, F(1, 5))


def test_who_may_create_and_own_tasks(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    step = NewTask("P.TT.i.a", "A", "koordinator", DUE)
    with pytest.raises(PermissionDenied):  # the agen holds MP only
        tasks.create_tasks(ws, act["agen"], a, [step])
    for name in ("pimpinan", "tpi", "agen_b"):
        with pytest.raises(PermissionDenied):
            tasks.create_tasks(ws, act[name], a, [step])
    # owners: an agen of the question's area or a koordinator of the unit
    for owner in ("agen", "pimpinan", "agen_b", "tpi"):
        with pytest.raises(TaskError, match="bukan agen perubahan area"):
            tasks.create_tasks(ws, act["koordinator"], a, [NewTask("P.TT.i.a", "A", owner, DUE)])
    (made,) = tasks.create_tasks(ws, act["agen"], a, [NewTask("P.MP.i.a", "Ya", "agen", DUE)])
    assert made.created_by == "agen"
    data = load_context(ws, act["koordinator"], a).plan
    assert [p.username for p in data.owners_for("P.TT.i.a")] == ["koordinator"]
    assert [p.username for p in data.owners_for("P.MP.i.a")] == ["agen", "koordinator"]


def test_bad_steps_are_refused_and_nothing_is_created(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    koord = act["koordinator"]
    assessments.set_answer(ws, koord, a, "P.MP.i.a", "Ya")
    ok = NewTask("P.MP.i.b", "A", "agen", DUE)
    cases = [
        (NewTask("P.MP.i.a", "Ya", "agen", DUE), "tidak lebih baik"),  # already there
        (NewTask("P.MP.i.a", "Tidak", "agen", DUE), "tidak lebih baik"),  # a worse answer
        (NewTask("P.MP.ii.b", "Z", "agen", DUE), "Jawaban tujuan tidak sah"),
        (NewTask("H.I.a", "4", "koordinator", DUE), "bukan pertanyaan lembar kerja"),
        (NewTask("P.MP.ii.a", "Ya", "agen", TODAY - timedelta(days=1)), "sudah lewat"),
    ]
    for bad, message in cases:
        with pytest.raises(TaskError, match=message):
            tasks.create_tasks(ws, koord, a, [ok, bad])
    assert shown(ws, koord, a) == {}  # all or none
    tasks.create_tasks(ws, koord, a, [ok])
    with pytest.raises(TaskError, match=r"sudah punya tugas terbuka \(#"):
        tasks.create_tasks(ws, koord, a, [NewTask("P.MP.i.b", "B", "koordinator", DUE)])
    assessments.set_status(ws, koord, a, "locked")
    with pytest.raises(Conflict):
        tasks.create_tasks(ws, koord, a, [NewTask("P.MP.ii.a", "Ya", "agen", DUE)])


# --- closing ---------------------------------------------------------------------------------


def test_a_task_closes_itself_when_the_answer_reaches_the_target(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    koord, agen = act["koordinator"], act["agen"]
    (task,) = tasks.create_tasks(ws, koord, a, [NewTask("P.MP.i.b", "B", "agen", DUE)])
    assessments.set_answer(ws, agen, a, "P.MP.i.b", "C")  # not yet
    assert shown(ws, koord, a)[task.id].status == "open"
    assessments.set_answer(ws, agen, a, "P.MP.i.b", "A")  # better than planned: reached
    now = shown(ws, act["pimpinan"], a)[task.id]
    assert (now.status, now.reached, now.closed_by) == ("done", True, "agen")
    stored = assessments.answers_of(ws, koord, a)["P.MP.i.b"]
    assert now.closed_at == stored.updated_at  # the moment of the answer that reached it

    closed = tasks.close_reached(ws, act["pimpinan"], a)  # any reader records the fact
    assert [(x.id, x.status, x.closed_by) for x in closed] == [(task.id, "done", "agen")]
    ((who, eid, before, after),) = audit(ws, "task.done")
    assert (who, eid, before["status"], after["status"]) == (
        "pimpinan",
        str(task.id),
        "open",
        "done",
    )
    assert (after["auto"], after["answer"], after["closed_by"]) == (True, "A", "agen")
    assert tasks.close_reached(ws, koord, a) == []  # nothing left to record

    assessments.set_answer(ws, agen, a, "P.MP.i.b", "C")  # a later drop keeps it done
    assert shown(ws, koord, a)[task.id].status == "done"


def test_a_percentage_task_closes_on_its_counts(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    agen = act["agen"]
    (task,) = tasks.create_tasks(ws, agen, a, [NewTask("R.MP.i.a", "0.8", "agen", DUE)])
    assessments.save_question(ws, agen, a, "R.MP.i.a", None, None, {"perubahan": "7", "agen": "10"})
    assert shown(ws, agen, a)[task.id].status == "open"  # 70 % < 80 %
    assessments.save_question(ws, agen, a, "R.MP.i.a", None, None, {"perubahan": "8", "agen": "10"})
    assert shown(ws, agen, a)[task.id].status == "done"  # exactly 80 %
    assert [x.id for x in tasks.close_reached(ws, agen, a)] == [task.id]


def test_the_tpi_tier_does_not_close_a_task(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    (task,) = tasks.create_tasks(
        ws, act["koordinator"], a, [NewTask("P.MP.i.a", "Ya", "agen", DUE)]
    )
    assessments.set_answer(ws, act["tpi"], a, "P.MP.i.a", "Ya", tier="tpi")
    assert shown(ws, act["koordinator"], a)[task.id].status == "open"
    assert tasks.close_reached(ws, act["koordinator"], a) == []


def test_closing_by_hand_needs_a_reason_and_the_right(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    koord = act["koordinator"]
    mp, tt = tasks.create_tasks(
        ws,
        koord,
        a,
        [NewTask("P.MP.i.a", "Ya", "agen", DUE), NewTask("P.TT.i.a", "A", "koordinator", DUE)],
    )
    with pytest.raises(TaskError, match="alasan"):
        tasks.close_task(ws, koord, mp.id, "   ")
    with pytest.raises(PermissionDenied):  # TT is not the agen's area
        tasks.close_task(ws, act["agen"], tt.id, "bukan prioritas")
    with pytest.raises(PermissionDenied):
        tasks.close_task(ws, act["pimpinan"], mp.id, "bukan prioritas")
    with pytest.raises(Conflict):  # someone changed it since it was read
        tasks.close_task(ws, act["agen"], mp.id, "sudah diatur SK pusat", expected_version=7)
    done = tasks.close_task(ws, act["agen"], mp.id, "sudah diatur SK pusat", mp.version)
    assert (done.status, done.reason, done.closed_by) == ("closed", "sudah diatur SK pusat", "agen")
    ((who, eid, before, after),) = audit(ws, "task.close")
    assert (who, eid, before["status"], after["status"], after["reason"]) == (
        "agen",
        str(mp.id),
        "open",
        "closed",
        "sudah diatur SK pusat",
    )
    with pytest.raises(TaskError, match="tidak terbuka"):
        tasks.close_task(ws, koord, mp.id, "lagi")
    # a closed task frees the question for a new one
    (again,) = tasks.create_tasks(ws, koord, a, [NewTask("P.MP.i.a", "Ya", "agen", DUE)])
    assert again.id not in (mp.id, tt.id)


def test_a_persons_tasks_across_assessments_in_the_readers_rights(world):
    ws, a, b, act = world["ws"], world["a"], world["b"], world["actors"]
    tasks.create_tasks(ws, act["koordinator"], a, [NewTask("P.MP.i.a", "Ya", "agen", DUE)])
    tasks.create_tasks(ws, act["agen_b"], b, [NewTask("P.MP.i.a", "Ya", "agen_b", DUE)])
    mine = tasks.tasks_for_person(ws, act["agen"])
    assert [(p.task.code, p.unit_name, p.year) for p in mine] == [
        ("P.MP.i.a", "Kankemenag Kota A", 2026)
    ]
    assert tasks.tasks_for_person(ws, act["agen"], "agen_b") == []  # unit B is not readable
    assert len(tasks.tasks_for_person(ws, act["tpi"], "agen_b")) == 1  # the Kanwil's TPI reads B


# --- the team's efforts and the planner ---------------------------------------------------------


def one_area_answers(catalog):
    """Everything best but P.MP: iv.a Tidak, iv.b C, iv.c C, iv.d D, iii.a D. P.MP = 13/6
    < 2.4 (60 % of 4): short by 7/30; every other gate passes. Total = 100 - 11/6."""
    answers = best_answers(catalog)
    answers.update({"P.MP.iv.a": "Tidak", "P.MP.iv.b": "C", "P.MP.iv.c": "C", "P.MP.iv.d": "D"})
    answers["P.MP.iii.a"] = "D"
    return answers


@pytest.fixture
def one_area(world, catalog):
    ws, op = world["ws"], world["op"]
    rows = [AnswerRow(c, v) for c, v in one_area_answers(catalog).items()]
    answer_import.import_answers(ws, op, world["a"], rows)
    return world


def test_the_teams_effort_changes_the_plan(one_area):
    ws, a, act = one_area["ws"], one_area["a"], one_area["actors"]
    plan = planning.plan_for_assessment(ws, act["pimpinan"], a)
    # the single cheapest step: iv.a Tidak -> Ya, +0.375 >= 7/30, effort 1
    assert [(s.code, s.to_answer, s.effort) for s in plan.steps] == [("P.MP.iv.a", "Ya", 1)]

    saved = tasks.set_effort(ws, act["agen"], a, "P.MP.iv.a", "5", "perlu SK baru dari pusat")
    assert (saved.effort, saved.note) == (5, "perlu SK baru dari pusat")
    plan = planning.plan_for_assessment(ws, act["pimpinan"], a)
    # iv.a now costs 5; two levels elsewhere suffice. The most points for effort 2 is 0.375
    # (iv.b C -> A, iv.c C -> A, or both C -> B: 0.375 x 0.5 x 2)
    assert plan.effort == 2 and plan.gain == F(3, 8)
    assert "P.MP.iv.a" not in [s.code for s in plan.steps]
    # an effort file given on top wins over the team's number
    plan = planning.plan_for_assessment(ws, act["pimpinan"], a, efforts={"P.MP.iv.a": "1"})
    assert [(s.code, s.effort) for s in plan.steps] == [("P.MP.iv.a", 1)]

    assert audit(ws, "effort.set")[0][3] == {"effort": "5", "note": "perlu SK baru dari pusat"}
    assert tasks.set_effort(ws, act["koordinator"], a, "P.MP.iv.a", "") is None  # back to 1
    assert audit(ws, "effort.clear")[0][2] == {"effort": "5", "note": "perlu SK baru dari pusat"}
    plan = planning.plan_for_assessment(ws, act["pimpinan"], a)
    assert [s.code for s in plan.steps] == ["P.MP.iv.a"]


def test_bad_efforts_are_refused(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    with pytest.raises(EffortError) as exc:
        tasks.set_effort(ws, act["koordinator"], a, "P.MP.iv.a", "-1")
    assert "tidak boleh negatif" in exc.value.message()
    with pytest.raises(EffortError):
        tasks.set_effort(ws, act["koordinator"], a, "H.I.a", "2")  # a result item
    with pytest.raises(EffortError):
        tasks.set_effort(ws, act["koordinator"], a, "P.MP.iv.a", "banyak")
    with pytest.raises(PermissionDenied):
        tasks.set_effort(ws, act["agen"], a, "P.TT.i.a", "2")
    with pytest.raises(PermissionDenied):
        tasks.set_effort(ws, act["pimpinan"], a, "P.MP.iv.a", "2")
    assert load_context(ws, act["koordinator"], a).plan.efforts == []


# --- the forecast --------------------------------------------------------------------------------


def test_the_forecast_from_tasks_and_the_gates_an_overdue_task_holds_back(one_area, catalog):
    ws, act = one_area["ws"], one_area["actors"]
    koord = act["koordinator"]
    deadline = TODAY + timedelta(days=60)
    a = assessments.create_assessment(ws, one_area["op"], "A", 2027, deadline=deadline).id
    rows = [AnswerRow(c, v) for c, v in one_area_answers(catalog).items()]
    answer_import.import_answers(ws, one_area["op"], a, rows)
    due = TODAY + timedelta(days=5)
    tasks.create_tasks(ws, koord, a, [NewTask("P.MP.iv.a", "Ya", "agen", due)])

    view = planning.forecast_view(load_context(ws, koord, a))
    # no snapshots: the expected total comes from the tasks: 589/6 + 3/8 = 98.54...
    assert view.result.basis == "tasks" and not view.enough_history
    assert view.result.expected_total == pytest.approx(float(F(589, 6) + F(3, 8)))
    assert view.pass_dates["WBK"] == due  # the task lifts P.MP to 2.5417 >= 2.4
    # WBBM: P.MP needs 75 % (3.0); 2.5417 is still short
    assert view.pass_dates["WBBM"] is None and view.still_failing["WBBM"] == ["area:P.MP"]
    assert view.overdue == []

    later = due + timedelta(days=3)  # the task is now three days late
    view = planning.forecast_view(load_context(ws, koord, a, today=later))
    (late,) = view.overdue
    assert late.task.code == "P.MP.iv.a" and late.gain == F(3, 8)
    assert late.gates == (("WBK", "area:P.MP"), ("WBBM", "area:P.MP"))
    assert view.pass_dates["WBK"] == later  # done today at the earliest


# --- the report ----------------------------------------------------------------------------------


def test_the_report_has_the_plan_and_the_tasks(one_area):
    ws, a, act = one_area["ws"], one_area["a"], one_area["actors"]
    koord = act["koordinator"]
    tasks.create_tasks(ws, koord, a, [NewTask("P.MP.iv.a", "Ya", "agen", DUE)])
    (closed,) = tasks.create_tasks(ws, koord, a, [NewTask("P.MP.iv.b", "A", "koordinator", DUE)])
    tasks.close_task(ws, koord, closed.id, "digabung dengan iv.a")
    doc = Document(io.BytesIO(build_report(reports.report_data(ws, koord, a))))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    start = heads.index("Rencana tindak lanjut")
    assert heads[start + 1 : start + 3] == ["Rencana termurah menuju WBK", "Tugas tim"]
    text = "\n".join(p.text for p in doc.paragraphs)
    # 589/6 = 98.17, + 0.375 = 98.54
    assert (
        "Dengan 1 langkah berikut (jumlah upaya 1) semua syarat WBK terpenuhi; "
        "nilai total naik dari 98,17 menjadi 98,54." in text
    )
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    head = ["Kode", "Pertanyaan", "Dari", "Menjadi", "Nilai naik", "Upaya"]
    steps = next(t for t in tables if t[0] == head)
    assert len(steps) == 2 and steps[1][0] == "P.MP.iv.a"
    assert steps[1][2:] == ["Tidak", "Ya", "+0,38", "1"]
    listed = next(t for t in tables if t[0][0] == "#" and "Pemegang" in t[0])
    rows = {r[1].split(" ")[0]: r for r in listed[1:]}
    assert rows["P.MP.iv.a"][2:5] == ["Ya", "agen", f"{DUE.day} " + _month(DUE) + f" {DUE.year}"]
    assert rows["P.MP.iv.a"][5] == "Terbuka"
    assert rows["P.MP.iv.b"][5].startswith("Ditutup (") and rows["P.MP.iv.b"][5].endswith(
        ": digabung dengan iv.a"
    )
    tpi = Document(io.BytesIO(build_report(reports.report_data(ws, koord, a, "tpi"))))
    assert "Rencana tindak lanjut" not in [p.text for p in tpi.paragraphs]


def _month(day: date) -> str:
    from wbk.i18n import MONTHS

    return MONTHS["id"][day.month - 1]
