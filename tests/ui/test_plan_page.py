"""Rencana aksi in the app (AppTest): the plan and its steps, accepting them as tasks, the task
list and closing by hand, the team's efforts, the what-if sandbox per role, and the forecast on
the dashboard.

Demo numbers used (the demo assessment, id 1): total 74,00. R.MP.ii.a is C on A..E
(1 / 0.75 / 0.5 / 0.25 / 0) and R.MP.ii weighs 1.0 for one question: C -> A adds 0.5.
IPKP (H.II.a) is 3.35: 3.35 / 4 x 17.5 = 14.66 points, WBBM needs 15.75 (index 3.60).
The agen holds the areas MP and TT.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from wbk.i18n import fmt_date
from wbk.services.assessment import assessments
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.plan import tasks
from wbk.settings import Settings
from wbk.store.tables.tasks import PlanTask

PAGE = "wbk/ui/pages/plan.py"
TITLE = "Rencana aksi"
AGEN_STEPS = [  # the demo's WBK plan, the steps in the agen's areas (MP, TT)
    "R.MP.ii.a",
    "R.MP.iii.a",
    "R.TT.i.a",
    "R.TT.ii.a",
    "R.TT.ii.b",
    "R.TT.iii.a",
    "R.TT.iii.c",
]
WRITE_KEYS = ("accept_submit_WBK", "close_submit", "effort_submit", "sb_submit")


@pytest.fixture(autouse=True)
def stricter_reading(monkeypatch):
    """The plans below were worked out under the stricter per-area reading (each Pemenuhan and
    Reform area on its own), which a workspace may choose as its target; the page's mechanics
    are the same under the regulation's reading (tests/ui/test_daily.py)."""
    from wbk.settings import get_settings

    monkeypatch.setenv("WBK_AREA_READING", "strict")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def plan_page(at):
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def workspace(data_dir):
    return open_workspace(Settings(data_dir=data_dir))


def frames(at, column):
    """The tables on the page that have this column, in page order."""
    return [d.value for d in at.dataframe if column in d.value.columns]


def frame(at, column):
    found = frames(at, column)
    assert len(found) == 1, (column, len(found))
    return found[0]


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def button_keys(at):
    return {b.key for b in at.button}


@pytest.mark.parametrize("role", ["agen", "koordinator", "pimpinan", "admin"])
def test_the_page_is_there_for_the_team_and_leadership(app_as, role):
    at = plan_page(app_as(role))
    assert [x.value for x in at.title] == [TITLE]
    assert [x.label for x in at.tabs] == [
        "Rencana WBK",
        "Rencana WBBM",
        "Simulasi (what-if)",
        "Tugas (0 terbuka)",
        "Upaya tim",
    ]


def test_the_tpi_has_no_plan_page(app_as):
    at = app_as("tpi")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_the_plan_shows_each_step_and_what_blocks_wbbm(app_as):
    at = plan_page(app_as("agen"))
    assert metric(at, "Sebelum").value == "74,00"
    steps = frame(at, "Kriteria opsi tujuan")
    assert steps.columns.tolist() == [
        "Kode",
        "Pertanyaan",
        "Dari",
        "Menjadi",
        "Kriteria opsi tujuan",
        "Data dukung yang lazim",
        "Nilai naik",
        "Upaya",
        "Tugas",
    ]
    first = steps.set_index("Kode").loc["R.MP.ii.a"]
    assert (first["Dari"], first["Menjadi"], first["Upaya"]) == ("C", "B", "1")
    assert first["Nilai naik"] == "+0,25"  # 1 point x (0.75 - 0.5)
    assert first["Kriteria opsi tujuan"].startswith("Target capaian zona integritas sudah ada")
    assert "Dokumen perencanaan memuat target ZI/RB" in first["Data dukung yang lazim"]
    assert metric(at, "Langkah").value == str(len(steps))
    # WBBM: the IPKP of the survey, not the worksheet, must rise (14,66 < 15,75)
    assert "- Nilai IPKP 14,66 < 15,75: hasil survei, bukan lembar kerja, yang harus naik" in [
        m.value.replace("\\", "") for m in at.markdown
    ]


def test_an_agen_accepts_the_steps_of_its_areas_as_tasks(app_as, data_dir):
    at = plan_page(app_as("agen"))
    chosen = at.multiselect(key="accept_steps_WBK")
    assert chosen.value == AGEN_STEPS  # R.SDM / R.PP steps are not the agen's
    owner = at.selectbox(key="accept_owner_WBK")
    assert owner.options == [
        "Budi Santoso (Pokja MP & TT) (agen)",
        "Siti Rahmawati (Koordinator Tim ZI) (koordinator)",
    ]
    chosen.set_value(["R.MP.ii.a", "R.TT.i.a"]).run()
    due = date.today() + timedelta(days=14)
    at.button(key="accept_submit_WBK").click().run()
    assert not at.exception
    assert "2 tugas dibuat." in [s.value for s in at.success]
    assert [x.label for x in at.tabs][3] == "Tugas (2 terbuka)"
    steps = frame(at, "Kriteria opsi tujuan").set_index("Kode")
    assert steps.loc["R.MP.ii.a", "Tugas"] == f"#1 Budi Santoso (Pokja MP & TT), {fmt_date(due)}"
    assert at.multiselect(key="accept_steps_WBK").value == [
        c for c in AGEN_STEPS if c not in ("R.MP.ii.a", "R.TT.i.a")
    ]
    listed = frame(at, "Jawaban → tujuan")
    assert listed["Kode"].tolist() == ["R.MP.ii.a", "R.TT.i.a"]
    assert listed["Status"].tolist() == ["Terbuka", "Terbuka"]
    assert listed["Jawaban → tujuan"].tolist() == ["C → B", "C → B"]


def test_tasks_close_by_hand_with_a_reason_and_by_themselves(app_as, data_dir):
    ws = workspace(data_dir)
    koord = people.actor_for(ws, "koordinator")
    due = date.today() + timedelta(days=5)
    tasks.create_tasks(
        ws,
        koord,
        1,
        [
            tasks.NewTask("R.MP.ii.a", "B", "agen", due),
            tasks.NewTask("R.SDM.i.a", "A", "koordinator", due),
        ],
    )
    at = plan_page(app_as("agen"))
    # the agen may close only the task in its area (MP)
    assert at.selectbox(key="close_task").options == [
        "#1 R.MP.ii.a → B (Budi Santoso (Pokja MP & TT))"
    ]
    at.button(key="close_submit").click().run()  # no reason
    assert [e.value for e in at.error if "#1" in e.value] == ["Tugas #1: tuliskan alasan penutupan"]
    at.text_input(key="close_reason").input("Dikerjakan bersama R.MP.iii.a").run()
    at.button(key="close_submit").click().run()
    assert "Tugas #1 ditutup." in [s.value for s in at.success]
    at.toggle(key="tasks_only_open").set_value(False).run()
    status = frame(at, "Jawaban → tujuan").set_index("Kode")["Status"]
    assert status["R.MP.ii.a"] == "Ditutup: Dikerjakan bersama R.MP.iii.a"

    # R.SDM.i.a reaches its target on the LKE page: the plan page records it as done
    assessments.set_answer(ws, koord, 1, "R.SDM.i.a", "A")
    at = plan_page(app_as("pimpinan"))
    at.toggle(key="tasks_only_open").set_value(False).run()
    status = frame(at, "Jawaban → tujuan").set_index("Kode")["Status"]
    today = fmt_date(date.today())
    assert status["R.SDM.i.a"] == f"Selesai {today} (jawaban oleh koordinator)"
    stored = {x.code: x.status for x in _context(ws, koord).plan.tasks}
    assert stored == {"R.MP.ii.a": "closed", "R.SDM.i.a": "done"}
    assert [x.label for x in at.tabs][3] == "Tugas (0 terbuka)"
    ws.db.dispose()


def _context(ws, actor):
    from wbk.services.assessment.context import load_context

    return load_context(ws, actor, 1)


def test_the_team_sets_an_effort_and_the_plan_follows(app_as):
    at = plan_page(app_as("koordinator"))
    assert "R.TT.ii.a" in frame(at, "Kriteria opsi tujuan")["Kode"].tolist()
    at.selectbox(key="effort_code").set_value("R.TT.ii.a").run()
    at.text_input(key="effort_value:R.TT.ii.a").input("5").run()
    at.text_input(key="effort_note:R.TT.ii.a").input("perlu SK baru dari kantor pusat").run()
    at.button(key="effort_submit").click().run()
    assert not at.exception
    assert "Upaya R.TT.ii.a disimpan." in [s.value for s in at.success]
    efforts = frame(at, "Upaya per tingkat")
    assert efforts[["Kode", "Upaya per tingkat", "Catatan"]].values.tolist() == [
        ["R.TT.ii.a", "5", "perlu SK baru dari kantor pusat"]
    ]
    # one level of R.TT.ii.a now costs 5: another step of 1 or 2 takes its place
    assert "R.TT.ii.a" not in frame(at, "Kriteria opsi tujuan")["Kode"].tolist()


def test_the_sandbox_moves_the_score_gates_and_plan_without_saving(app_as, data_dir):
    at = plan_page(app_as("agen"))
    assert metric(at, "Nilai total (simulasi)").value == "74,00"
    assert "**WBK**  \n:red-badge[BELUM MEMENUHI]" in [m.value for m in at.markdown]
    at.selectbox(key="sb_code").set_value("R.MP.ii.a").run()
    at.radio(key="sb:1:R.MP.ii.a").set_value("A").run()
    assert not at.exception
    total = metric(at, "Nilai total (simulasi)")
    assert (total.value, total.delta) == ("74,50", "0,50")  # C -> A: +0.5
    changes = frame(at, "Simulasi")
    assert changes.values.tolist() == [["R.MP.ii.a", "C", "A", "+0,50"]]

    blocked = "Tidak ada rencana yang memenuhi semua syarat WBBM; yang menghalangi:"
    assert [e.value for e in at.error].count(blocked) == 2  # the WBBM tab and the sandbox
    at.selectbox(key="sb_code").set_value("H.II.a").run()
    at.text_input(key="sb:1:H.II.a").input("3,6").run()
    # IPKP 3.6 / 4 x 17.5 = 15.75 (from 14.65625): 74.50 + 1.09375 = 75.59
    assert metric(at, "Nilai total (simulasi)").value == "75,59"
    assert [e.value for e in at.error].count(blocked) == 1  # no longer in the sandbox
    gates = frames(at, "Syarat")[1].set_index("Syarat")
    assert gates.loc["Nilai IPKP"].tolist() == ["15,75", "15,75", "lulus"]
    assert metric(at, "Sebelum").value == "74,00"  # the real plan did not move

    # turn them into tasks: the IPKP is a survey result, only R.MP.ii.a becomes one
    assert at.button(key="sb_submit").label == "Jadikan tugas (1)"
    at.button(key="sb_submit").click().run()
    assert "1 tugas dibuat." in [s.value for s in at.success]
    listed = frame(at, "Jawaban → tujuan")
    assert listed[["Kode", "Jawaban → tujuan", "Predikat"]].values.tolist() == [
        ["R.MP.ii.a", "C → A", "WBK"]
    ]
    assert frame(at, "Simulasi")["Kode"].tolist() == ["H.II.a"]
    at.button(key="sb_reset").click().run()
    assert metric(at, "Nilai total (simulasi)").value == "74,00"
    assert frames(at, "Simulasi") == []

    ws = workspace(data_dir)  # nothing was written to the answers
    stored = assessments.answers_of(ws, people.actor_for(ws, "admin"), 1)
    assert (stored["R.MP.ii.a"].value, stored["H.II.a"].value) == ("C", "3.35")
    ws.db.dispose()


def test_an_answer_the_scale_lacks_is_named_in_the_sandbox(app_as):
    at = plan_page(app_as("koordinator"))
    at.selectbox(key="sb_code").set_value("H.I.a").run()
    at.text_input(key="sb:1:H.I.a").input("7").run()
    assert not at.exception
    assert any("H.I.a" in e.value and "7" in e.value for e in at.error)
    assert metric(at, "Nilai total (simulasi)").value == "74,00"


def test_pimpinan_reads_the_plan_and_plays_in_the_sandbox_but_writes_nothing(app_as):
    at = plan_page(app_as("pimpinan"))
    assert not button_keys(at) & set(WRITE_KEYS)
    assert "Anda hanya dapat melihat rencana ini" in " ".join(c.value for c in at.caption)
    at.selectbox(key="sb_code").set_value("R.MP.ii.a").run()
    at.radio(key="sb:1:R.MP.ii.a").set_value("A").run()
    assert metric(at, "Nilai total (simulasi)").value == "74,50"
    assert not button_keys(at) & set(WRITE_KEYS)


# --- the forecast on the dashboard ---------------------------------------------------------------


def demo_deadline(today: date) -> date:
    deadline = date(today.year, 5, 31)  # as the demo sets it: the next proposal window
    return deadline if deadline >= today else date(today.year + 1, 5, 31)


def test_the_dashboard_forecasts_the_deadline(app_as):
    at = app_as("pimpinan")
    assert "Perkiraan" in [s.value for s in at.subheader]
    expected = f"Perkiraan nilai pada {fmt_date(demo_deadline(date.today()))}"
    assert expected in [m.label for m in at.metric]
    # four snapshots over three months: enough history for a pace
    assert any(c.value.startswith("Laju sejauh ini:") for c in at.caption)
    assert metric(at, "Bila semua tugas tepat waktu").value == "74,00"  # no tasks yet
    assert "Belum ada tugas terbuka: terima langkah di halaman Rencana aksi." in [
        c.value for c in at.caption
    ]


def test_the_dashboard_says_when_history_is_short_and_flags_overdue_tasks(app_as, data_dir):
    ws = workspace(data_dir)
    op = people.actor_for(ws, "admin")
    year = assessments.get_assessment_view(ws, op, 1).year + 1
    deadline = date.today() + timedelta(days=90)
    new = assessments.create_assessment(ws, op, "KK-CONTOH", year, deadline=deadline).id
    assessments.set_answer(ws, op, new, "P.MP.i.a", "Tidak")
    (task,) = tasks.create_tasks(
        ws, op, new, [tasks.NewTask("P.MP.i.a", "Ya", "agen", date.today())]
    )
    late = date.today() - timedelta(days=3)
    with ws.db.write() as s:  # as if it had been due three days ago
        s.execute(update(PlanTask).where(PlanTask.id == task.id).values(due_date=late))
    ws.db.dispose()

    at = app_as("pimpinan")
    at.selectbox(key="assessment_picker").set_value(new).run()
    assert not at.exception
    assert (
        "Riwayat belum cukup untuk memperkirakan laju nilai: baru 0 snapshot, perlu minimal 2 "
        "yang berjarak 14 hari atau lebih. Perkiraan di atas hanya dari tugas."
    ) in [i.value for i in at.info]
    # P.MP.i.a Tidak -> Ya: 0.25 points, the only answer: the total 0.25 once the task is done
    assert metric(at, f"Perkiraan nilai pada {fmt_date(deadline)}").value == "0,25"
    assert "1 tugas melewati tenggat dan menahan syarat berikut:" in [w.value for w in at.warning]
    late_rows = frame(at, "Syarat yang tertahan")
    row = late_rows.iloc[0]
    assert (row["Kode"], row["Hari terlambat"], row["Nilai naik"]) == ("P.MP.i.a", 3, "+0,25")
    # with one answer every gate fails; P.MP.i.a feeds the total, pengungkit, P.MP and MP
    held = row["Syarat yang tertahan"]
    assert held.startswith("WBK: Nilai total, Nilai pengungkit, Area P.MP")
    assert "; WBBM: Nilai total, Nilai pengungkit, Area P.MP" in held
