"""The yearly cycle in the app (AppTest): the dashboard's "dibanding tahun lalu", the carried
marker and confirm buttons on the LKE page, and "start from" on the Admin page."""

from __future__ import annotations

from pathlib import Path

from tests.ui.test_pages import open_page
from wbk.services.assessment import assessments
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.yearly import carry
from wbk.settings import Settings

# The demo assessment (id 1) answers 104 questions: 83 of the Pemenuhan grid (87 entries, 4
# left blank), 18 Reform questions and the 3 result items. Its documents: six dated in the
# demo year (or the year before), the PPID link and two survey summaries without any date.
DEMO_ANSWERED = 104


def next_year(data_dir: Path) -> tuple[int, int]:
    """Carry the demo assessment to the next year and change P.MP.i.a there (Ya -> Tidak)."""
    ws = open_workspace(Settings(data_dir=data_dir))
    koordinator = people.actor_for(ws, "koordinator")
    year = assessments.get_assessment_view(ws, koordinator, 1).year
    new = carry.create_from(ws, koordinator, "KK-CONTOH", year + 1, 1).assessment.id
    assessments.set_answer(ws, people.actor_for(ws, "agen"), new, "P.MP.i.a", "Tidak")
    ws.db.dispose()
    return year, new


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def frame(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_dashboard_compares_with_last_year(app_as, data_dir):
    year, new = next_year(data_dir)
    at = app_as("pimpinan")
    at.selectbox(key="assessment_picker").set_value(new).run()
    assert not at.exception
    assert f"Dibanding tahun lalu ({year})" in [s.value for s in at.subheader]
    # P.MP.i.a weighs 0.50 / 2 = 0.25: the demo's 74.00 becomes 73.75
    total = metric(at, f"Nilai total dibanding {year}")
    assert (total.value, total.delta) == ("73,75", "-0,25")
    assert metric(at, "Jawaban dibawa, belum dikonfirmasi").value == str(DEMO_ANSWERED - 1)
    assert metric(at, "Dokumen perlu diperbarui").value == "6"  # dated in last year's cycle
    assert metric(at, "Dokumen tanpa tanggal").value == "3"  # the link, two survey summaries

    scores = frame(at, "Komponen / area").set_index("Komponen / area")
    assert scores.loc["Total"].tolist() == ["74,00", "73,75", "-0,25"]
    assert scores.loc["Area MP"].tolist()[2] == "-0,25"
    gates = frame(at, f"Status {year}")
    total_gate = gates[(gates["Predikat"] == "WBK") & (gates["Syarat"] == "Nilai total")]
    assert total_gate.iloc[0].tolist()[2:] == ["74,00", "gagal", "73,75", "gagal"]
    down = frame(at, "Selisih poin")
    assert down["Kode"].tolist() == ["P.MP.i.a"]
    assert down.iloc[0].tolist()[2:] == ["1,00", "0,00", "-0,25"]
    assert "**Turun (1 pertanyaan)**" in [m.value for m in at.markdown]


def test_last_year_has_nothing_to_compare(app_as):
    at = app_as("pimpinan")  # the demo assessment is the unit's first
    assert not any(s.value.startswith("Dibanding tahun lalu") for s in at.subheader)


def test_the_lke_page_marks_and_confirms_carried_answers(app_as, data_dir):
    year, new = next_year(data_dir)
    at = app_as("agen")  # areas MP and TT
    at.selectbox(key="assessment_picker").set_value(new).run()
    open_page(at, "assessment")
    assert any(f"{DEMO_ANSWERED - 1} jawaban dibawa dari tahun lalu" in i.value for i in at.info)
    marker = f"dibawa dari {year}, belum dikonfirmasi"
    assert sum(marker in c.value for c in at.caption) == 11  # P.MP: 12 answered, one changed
    at.button(key="confirm:P.MP.i.b").click().run()
    assert not at.exception
    assert sum(marker in c.value for c in at.caption) == 10
    assert not [b for b in at.button if b.key == "confirm:P.MP.i.b"]
    area = at.button(key="confirm_area:P.MP.")
    assert area.label == "Konfirmasi semua di area ini (10)"
    area.click().run()
    assert "10 jawaban dikonfirmasi." in [s.value for s in at.success]
    assert sum(marker in c.value for c in at.caption) == 0
    ws = open_workspace(Settings(data_dir=data_dir))
    stored = assessments.answers_of(ws, people.actor_for(ws, "admin"), new)
    assert stored["P.MP.i.b"].carried_from is None and stored["P.TT.i.a"].carried_from == year
    ws.db.dispose()


def test_pimpinan_sees_the_marker_without_a_button(app_as, data_dir):
    year, new = next_year(data_dir)
    at = app_as("pimpinan")
    at.selectbox(key="assessment_picker").set_value(new).run()
    open_page(at, "assessment")
    assert any(f"dibawa dari {year}" in c.value for c in at.caption)
    assert not [b for b in at.button if (b.key or "").startswith("confirm")]


def test_admin_starts_the_next_year_from_this_one(app_as):
    at = open_page(app_as("koordinator"), "admin")
    year = next(n for n in at.number_input if n.label == "Tahun")
    source = at.selectbox(key="assessment_source")
    this_year = int(year.value)
    year.set_value(this_year + 1)
    source.set_value(1)
    at.button(key="assessment_submit").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        f"Penilaian {this_year + 1} dibuat dari penilaian {this_year}: {DEMO_ANSWERED} jawaban "
        "dan 9 dokumen dibawa, menunggu konfirmasi."
    ]
