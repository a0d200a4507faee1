"""Every page for every role, as the Streamlit script runs it (AppTest)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.ui.conftest import new_app
from wbk.formats.simple_docs import simple_pdf

PAGES = {
    "dashboard": "wbk/ui/pages/dashboard.py",
    "assessment": "wbk/ui/pages/assessment.py",
    "evidence": "wbk/ui/pages/evidence.py",
    "notes": "wbk/ui/pages/notes.py",
    "surveys": "wbk/ui/pages/surveys.py",
    "reports": "wbk/ui/pages/reports.py",
    "admin": "wbk/ui/pages/admin.py",
}
TITLES = {
    "dashboard": "Kesiapan WBK / WBBM",
    "assessment": "Penilaian LKE",
    "evidence": "Data dukung",
    "notes": "Catatan TPI",
    "surveys": "Survei kepuasan dan persepsi",
    "reports": "Laporan dan ekspor",
    "admin": "Admin",
}
ALL = {"dashboard", "assessment", "evidence", "notes", "surveys", "reports"}
ROLE_PAGES = {
    "admin": ALL | {"admin"},
    "koordinator": ALL | {"admin"},
    "agen": ALL,
    "pimpinan": ALL,
    "tpi": ALL,
}
WRITE_LABELS = {
    "Simpan",
    "Unggah",
    "Kirim tanggapan",
    "Nonaktifkan",
    "Kaitkan",
    "Tutup",
    "Buka kembali",
}


def open_page(at, page):
    at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    return at


def titles(at):
    return [x.value for x in at.title]


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_login_refuses_a_wrong_password(data_dir):
    at = new_app()
    at.run()
    assert titles(at) == ["wbk · Zona Integritas"]
    at.text_input(key="login_user").input("agen")
    at.text_input(key="login_password").input("salah-sekali")
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert "user_id" not in at.session_state


def test_first_run_creates_the_admin(tmp_path, monkeypatch):
    from wbk.settings import get_settings

    monkeypatch.setenv("WBK_DATA_DIR", str(tmp_path / "kosong"))
    get_settings.cache_clear()
    at = new_app()
    at.run()
    assert "Belum ada akun" in at.info[0].value
    at.text_input(key="first_password").input("rahasia-admin-1")
    at.text_input(key="first_confirm").input("rahasia-admin-1")
    at.button(key="first_submit").click().run()
    assert not at.exception
    assert at.session_state["user_id"] is not None
    assert "Admin" in [p for p in titles(open_page(at, "admin"))]
    get_settings.cache_clear()


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_each_role_sees_exactly_its_pages(app_as, role):
    at = app_as(role)
    assert titles(at) == [TITLES["dashboard"]]  # everyone lands on the dashboard
    for page in PAGES:
        if page in ROLE_PAGES[role]:
            open_page(at, page)
            assert titles(at) == [TITLES[page]], (role, page)
        else:  # the page is not registered for this role at all
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(PAGES[page])


def test_dashboard_tells_the_story(app_as):
    at = app_as("pimpinan")
    assert metric(at, "Nilai total") == "74,00"
    errors = [e.value for e in at.error]
    assert "**WBK**: BELUM MEMENUHI" in errors
    assert any(
        "Syarat yang belum terpenuhi: Nilai total, Nilai pengungkit" in m.value for m in at.markdown
    )
    assert len(at.dataframe) >= 3  # gates (WBK, WBBM) and the gaps


def test_pimpinan_has_no_write_widgets(app_as):
    at = app_as("pimpinan")
    for page in ("dashboard", "assessment", "evidence", "notes", "surveys", "reports"):
        open_page(at, page)
        labels = {b.label for b in at.button}
        assert not labels & WRITE_LABELS, (page, labels & WRITE_LABELS)
        if page != "reports":  # the report page has tier/language choices for the download
            assert len(at.radio) == 1  # only the language switch
        assert len(at.file_uploader) == 0


def test_editing_an_answer_saves_it_and_changes_the_score(app_as):
    at = open_page(app_as("agen"), "assessment")
    before = metric(at, "Nilai total")
    at.radio(key="w:self:P.MP.i.a").set_value("Tidak").run()  # saved on change, no button
    assert not at.exception
    # P.MP.i.a weighs 0.50 / 2 = 0.25: 74.00 -> 73.75
    assert [s.value for s in at.success] == [
        "Jawaban P.MP.i.a tersimpan. Nilai total sekarang 73,75."
    ]
    after = metric(at, "Nilai total")
    assert (before, after) == ("74,00", "73,75")


def test_agen_edits_only_assigned_areas(app_as):
    at = open_page(app_as("agen"), "assessment")  # areas MP and TT
    assert at.radio(key="w:self:P.MP.i.a")
    at.selectbox(key="lke_area_P").set_value("SDM").run()
    radios = [r.key for r in at.radio]
    assert radios == ["lang_choice"]  # SDM answers are read-only for this agen


def test_a_concurrent_change_is_reported_not_overwritten(app_as, data_dir):
    at = open_page(app_as("agen"), "assessment")
    # meanwhile the koordinator changes the same answer
    from wbk.services.assessment import assessments
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people
    from wbk.settings import Settings

    ws = open_workspace(Settings(data_dir=data_dir))
    assessments.set_answer(ws, people.actor_for(ws, "koordinator"), 1, "P.MP.i.b", "B")
    at.radio(key="w:self:P.MP.i.b").set_value("C").run()
    message = at.error[0].value
    assert "diubah oleh koordinator" in message
    assert assessments.answers_of(ws, people.actor_for(ws, "admin"), 1)["P.MP.i.b"].value == "B"
    ws.db.dispose()


def test_upload_refused_with_the_reason(app_as):
    at = open_page(app_as("agen"), "evidence")
    at.file_uploader(key="upload_file").upload(
        "laporan.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf"
    )
    at.text_input(key="upload_title").input("Notulen pemilihan anggota tim")
    at.multiselect(key="upload_codes").set_value(["P.MP.i.b"])
    at.button(key="upload_submit").click().run()
    assert not at.exception
    assert any("bukan PDF asli: isinya program Windows" in e.value for e in at.error)
    # the form keeps what was typed
    assert at.text_input(key="upload_title").value == "Notulen pemilihan anggota tim"
    assert at.multiselect(key="upload_codes").value == ["P.MP.i.b"]


def test_upload_accepted_and_listed(app_as):
    at = open_page(app_as("agen"), "evidence")
    at.file_uploader(key="upload_file").upload(
        "Notulen.pdf", simple_pdf("Notulen rapat"), "application/pdf"
    )
    at.text_input(key="upload_title").input("Notulen pemilihan anggota tim")
    at.multiselect(key="upload_codes").set_value(["P.MP.i.b"])
    at.button(key="upload_submit").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "Notulen pemilihan anggota tim" in list(table["Judul"])


def test_tpi_writes_a_note_and_tpi_answers(app_as):
    at = open_page(app_as("tpi"), "notes")
    at.selectbox(key="note_code").set_value("P.TT.i.a")
    at.text_area(key="note_text").input("Peta proses bisnis belum ditetapkan")
    at.button(key="note_submit").click().run()
    assert not at.exception
    notes = at.dataframe[0].value
    assert "Peta proses bisnis belum ditetapkan" in list(notes["Catatan"])
    open_page(at, "assessment")
    assert at.radio(key="w:tpi:P.MP.i.a")  # the TPI answers in its own tier
    assert "Jawaban unit" in " ".join(c.value for c in at.caption)


def test_agen_responds_to_a_note(app_as):
    at = open_page(app_as("agen"), "notes")
    at.text_area(key="resp-1").input("Notulen pemilihan sudah dilampirkan")
    at.button(key="respond-submit-1").click().run()
    assert not at.exception
    statuses = list(at.dataframe[0].value["Status"])
    assert "sudah ditanggapi" in statuses


def test_language_switch_to_english(app_as):
    at = app_as("pimpinan")
    at.radio(key="lang_choice").set_value("en").run()
    assert titles(at) == ["WBK / WBBM readiness"]
    assert metric(at, "Total score") == "74.00"


def test_admin_creates_a_unit_and_sees_system_tools(app_as):
    at = open_page(app_as("admin"), "admin")
    at.text_input(key="unit_code").input("KUA-01")
    at.text_input(key="unit_name").input("KUA Kecamatan Contoh")
    at.button(key="unit_submit").click().run()
    assert not at.exception
    assert "Unit KUA-01 ditambahkan." in [s.value for s in at.success]
    assert "Periksa integritas" in [b.label for b in at.button]


def test_logout(app_as):
    at = app_as("agen")
    at.button(key="logout").click().run()
    assert titles(at) == ["wbk · Zona Integritas"]
    assert "user_id" not in at.session_state


def test_reports_page_offers_downloads_and_import_only_to_coordinators(app_as):
    at = open_page(app_as("koordinator"), "reports")
    # each document is one download button, the binder too (built on the click)
    assert {d.key for d in at.get("download_button")} >= {"dl_docx", "dl_xlsx", "dl_binder"}
    assert len(at.file_uploader) == 1  # the workbook import
    at = open_page(app_as("agen"), "reports")
    assert len(at.file_uploader) == 0


def test_surveys_page_imports_an_ikm_file(app_as):
    at = open_page(app_as("koordinator"), "surveys")
    year = date.today().year
    assert f"IKM terakhir: {year}-T2" in [h.value for h in at.subheader]  # the demo survey
    csv = b"U1;U2;U3;U4;U5;U6;U7;U8;U9\n4;4;4;4;4;4;4;4;4\n3;4;3;3;4;4;3;3;4\n"
    at.file_uploader(key="ikm_file").upload("skm.csv", csv, "text/csv").run()
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "IKM"][-1] == "93,06"  # the preview
    at.text_input(key="ikm_period").input("2026-T3").run()
    at.button(key="ikm_save").click().run()
    assert not at.exception
    assert "IKM terakhir: 2026-T3" in [h.value for h in at.subheader]
    # both charts inline SVG, the new period's IKM in the trend (no chart library to load)
    charts = [m.value for m in at.markdown if 'class="wbk-chart"' in m.value]
    trend = next(c for c in charts if 'aria-label="IKM per periode survei"' in c)
    assert "<title>2026-T3: 93,06</title>" in trend
    assert any('aria-label="Nilai per unsur' in c for c in charts)


def test_ipak_entry_moves_the_result_points(app_as):
    at = open_page(app_as("koordinator"), "surveys")
    at.text_input(key="survey_ipak").input("3,2")  # typed the Indonesian way
    at.button(key="survey_save_ipak").click().run()
    assert not at.exception
    open_page(at, "dashboard")
    assert metric(at, "Hasil") == "32,41 / 40"  # IPAK 3.62 -> 3.20: 15.84 -> 14.00 points


def test_ipkp_computed_from_raw_answers(app_as):
    at = open_page(app_as("koordinator"), "surveys")
    at.file_uploader(key="raw_file").upload("ipkp.csv", b"q1,q2\n4,3\n4,4\n3,3\n", "text/csv")
    at.run()
    at.multiselect(key="raw_items").set_value(["q1", "q2"])
    at.radio(key="raw_which").set_value("ipkp").run()
    assert [m.value for m in at.metric if m.label == "Nilai survei (0–4)"][-1] == "3,50"
    at.button(key="raw_save").click().run()
    assert not at.exception
    assert "Jawaban H.II.a tersimpan." in [s.value for s in at.success]


def test_tpi_sees_its_score_over_a_copy_of_the_unit_answers(app_as, data_dir):
    at = open_page(app_as("tpi"), "assessment")
    from wbk.i18n import fmt_number
    from wbk.scoring import score, values_from_mapping
    from wbk.services.assessment import assessments
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people
    from wbk.settings import Settings

    ws = open_workspace(Settings(data_dir=data_dir))
    admin = people.actor_for(ws, "admin")
    catalog = ws.catalog("lke-zi-2021")
    # the expectation built independently of the fallback code: the unit's answers with the
    # TPI's demo answers laid over them, question by question
    own = {c: a.value for c, a in assessments.answers_of(ws, admin, 1).items() if a.value}
    tpi = {c: a.value for c, a in assessments.answers_of(ws, admin, 1, "tpi").items() if a.value}
    assert set(tpi) <= set(own) and len(tpi) == 15  # the demo TPI scored 15 option questions
    expected = score(catalog, values_from_mapping(catalog, own | tpi).values)
    assert metric(at, "Nilai total") == fmt_number(expected.total, lang="id") == "70,18"
    assert any("jawaban unit" in c.value for c in at.caption)
    ws.db.dispose()


def minima(svg: str) -> list[float]:
    """The minimum lines an inline SVG chart draws (``data-minimum``)."""
    return [float(v) for v in re.findall(r'data-minimum="([0-9.]+)"', svg)]


def test_dashboard_draws_the_lines_its_catalog_sets(tmp_path, monkeypatch):
    """Another LKE version (WBK at 70, areas at 50 %): the page's gauge and bars follow it."""
    from tests.integration.test_context import modified_catalog
    from tests.ui.conftest import sign_in
    from wbk.services.assessment import assessments
    from wbk.services.core.actor import operator
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people
    from wbk.settings import Settings, get_settings

    criteria = tmp_path / "criteria"
    criteria.mkdir()
    catalog_id = modified_catalog(criteria)
    op = operator("test")
    ws = open_workspace(Settings(data_dir=tmp_path / "data", criteria_dir=criteria))
    people.add_unit(ws, op, "U", "Unit Uji")
    people.add_user(ws, op, "kepala", password="rahasia-123", role="pimpinan", unit_code="U")
    assessments.create_assessment(ws, op, "U", 2026, catalog_id)
    ws.db.dispose()
    monkeypatch.setenv("WBK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WBK_CRITERIA_DIR", str(criteria))
    get_settings.cache_clear()
    try:
        at = sign_in("kepala", "rahasia-123")
        charts = [m.value for m in at.markdown if 'class="wbk-chart"' in m.value]
        gauge = next(c for c in charts if 'aria-label="Nilai total (WBK 70' in c)
        assert minima(gauge) == [70]
        bars = next(c for c in charts if 'aria-label="Nilai per area' in c)
        assert sorted(minima(bars)) == [50, 75]
    finally:
        get_settings.cache_clear()


def test_an_unexpected_error_shows_a_reference_not_a_traceback(app_as, monkeypatch, caplog):
    from wbk.services.assessment import dashboard

    at = app_as("pimpinan")

    def broken(ctx):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dashboard, "build_dashboard", broken)
    at.run()
    assert not at.exception
    [message] = [e.value for e in at.error]
    ref = message.split("kode rujukan ", 1)[1].split(")", 1)[0]
    assert len(ref) == 8 and "disk on fire" not in message
    logged = [r for r in caplog.records if ref in r.getMessage()]
    assert logged and "disk on fire" in str(logged[0].exc_info[1])


def test_an_unexpected_error_in_a_button_shows_a_reference(app_as, monkeypatch, caplog):
    from wbk.services.assessment import assessments

    at = open_page(app_as("agen"), "assessment")

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(assessments, "save_question", broken)
    at.radio(key="w:self:P.MP.i.a").set_value("Tidak").run()
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert "kode rujukan" in message and "database gone" not in message
    assert any("database gone" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_hostile_note_is_shown_as_text(app_as, data_dir):
    """A TPI note that is markdown (a heading, a rule, an external image) shows as typed."""
    from wbk.services.assessment import notes
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people
    from wbk.settings import Settings

    hostile = "Catatan\n# X\n---\n![i](http://evil.example/p.png)"
    ws = open_workspace(Settings(data_dir=data_dir))
    notes.add_note(ws, people.actor_for(ws, "tpi"), 1, "P.MP.i.a", hostile)
    ws.db.dispose()
    at = open_page(app_as("agen"), "assessment")
    shown = [w.value for w in at.warning if "evil.example" in w.value]
    assert shown and all("![i](" not in v and "\n# X" not in v for v in shown)
    assert any(r"\!\[i\](http\://evil.example/p.png)" in v for v in shown)
    at = open_page(at, "notes")
    sources = [m.value for m in at.markdown if "evil.example" in m.value]
    assert sources and all("![i](" not in v for v in sources)
