"""Notes in work order with their threads, the report as PDF, the letterhead on Admin, and a
question's history popover, as the signed-in roles see them."""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from tests.ui.test_pages import open_page
from wbk.services.assessment import branding, notes
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.settings import Settings


def _ws(data_dir):
    return open_workspace(Settings(data_dir=data_dir))


def test_overdue_notes_come_first_with_owner_and_due_in_the_first_columns(app_as, data_dir):
    ws = _ws(data_dir)
    late = notes.add_note(
        ws,
        people.actor_for(ws, "tpi"),
        1,
        "P.MP.ii.a",
        "Pakta integritas pegawai baru belum ada",
        owner="agen",
        due_date=date.today() - timedelta(days=4),
    )
    ws.db.dispose()
    at = open_page(app_as("agen"), "notes")
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["#", "Status", "Penanggung jawab", "Tenggat"]
    assert table["#"].iloc[0] == late.id
    assert "lewat 4 hari" in table["Tenggat"].iloc[0]


def test_a_reply_joins_the_thread_under_its_note(app_as):
    at = open_page(app_as("agen"), "notes")
    at.text_area(key="reply-text-1").input("Notulen rapat menyusul minggu ini")
    at.button(key="reply-submit-1").click().run()
    assert not at.exception
    assert "Balasan terkirim." in [s.value for s in at.success]
    assert any("Notulen rapat menyusul minggu ini" in m.value for m in at.markdown)
    assert at.text_area(key="reply-text-1").value in ("", None)  # sent: the box is empty
    at = open_page(app_as("tpi"), "notes")
    assert any("Notulen rapat menyusul minggu ini" in m.value for m in at.markdown)
    at = open_page(app_as("pimpinan"), "notes")  # reads the thread, cannot reply
    assert any("Notulen rapat menyusul minggu ini" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key and b.key.startswith("reply-submit")]


def test_the_report_page_offers_a_pdf(app_as):
    at = open_page(app_as("koordinator"), "reports")
    assert not at.exception  # one click: the download button is there before any build step
    assert [b for b in at.get("download_button") if b.proto.label == "Unduh laporan (PDF)"]


def test_without_libreoffice_the_report_page_says_so(app_as, monkeypatch, tmp_path):
    monkeypatch.setenv("WBK_SOFFICE", str(tmp_path / "absent"))
    at = open_page(app_as("koordinator"), "reports")
    assert any("LibreOffice" in c.value for c in at.caption)
    assert not [b for b in at.get("download_button") if b.key == "dl_pdf"]


def test_admin_shows_the_letterhead_in_use(app_as, data_dir):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 80, 0)).save(out, format="PNG")
    ws = _ws(data_dir)
    unit = branding.brandable_units(ws, people.actor_for(ws, "koordinator"))[0][0]
    branding.set_logo(ws, people.actor_for(ws, "admin"), unit, out.getvalue(), "logo.png", "KOP")
    ws.db.dispose()
    at = open_page(app_as("koordinator"), "admin")
    assert "Kop laporan" in [tab.label for tab in at.tabs]
    assert any("logo.png" in c.value and "64 x 64" in c.value for c in at.caption)


def _history_script(data_dir: str, code: str) -> None:
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people
    from wbk.settings import Settings
    from wbk.ui.assessment.history import render_history

    ws = open_workspace(Settings(data_dir=data_dir))
    render_history(ws, people.actor_for(ws, "pimpinan"), 1, code)


def test_the_history_lists_who_changed_what(data_dir):
    from wbk.services.assessment import assessments

    ws = _ws(data_dir)
    sri = people.actor_for(ws, "agen")
    assessments.set_answer(ws, sri, 1, "P.MP.i.a", "Tidak", narrative="<b>dicabut</b>")
    ws.db.dispose()
    at = AppTest.from_function(_history_script, args=(str(data_dir), "P.MP.i.a"))
    at.run()
    assert not at.exception and not at.dataframe  # read only when asked
    at.toggle(key="hist-P-MP-i-a").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["Waktu", "Oleh", "Penilai", "Perubahan", "Penjelasan"]
    assert table["Perubahan"].iloc[0].endswith("→ Tidak")
    assert table["Penjelasan"].iloc[0] == "diubah"
    [shown] = [c.value for c in at.caption if "dicabut" in c.value]
    assert "<b>" not in shown and r"\<b\>dicabut" in shown  # user text shown as typed
