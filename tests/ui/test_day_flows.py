"""A working day's rough edges, as a user meets them: why an area is read-only, count answers
in the catalog's words, the status steps with who acts next, and one click per download."""

from __future__ import annotations

from tests.ui.test_pages import open_page
from wbk.settings import get_settings

AUTOSAVE = "Setiap perubahan tersimpan otomatis"


def _texts(at) -> list[str]:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "text")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def test_an_agen_is_told_why_an_area_outside_the_assignment_is_read_only(app_as):
    at = open_page(app_as("agen"), "assessment")  # the demo agen works in MP and TT
    assert any(AUTOSAVE in c.value for c in at.caption)  # MP: answers save themselves
    assert not any("hanya dapat Anda baca" in i.value for i in at.info)
    at.selectbox(key="lke_area_P").set_value("SDM").run()
    assert not at.exception, at.exception
    reason = [i.value for i in at.info if "Area SDM hanya dapat Anda baca" in i.value]
    assert reason and "MP (" in reason[0] and "TT (" in reason[0]
    assert not any(AUTOSAVE in c.value for c in at.caption)  # no promise of saving here
    assert not [r for r in at.radio if r.key and r.key.startswith("w:self:P.SDM")]


def test_count_answers_are_shown_with_the_catalogs_labels(app_as):
    at = open_page(app_as("pimpinan"), "assessment")  # reads every area, writes none
    at.selectbox(key="lke_part").set_value("R").run()
    at.selectbox(key="lke_area_R").set_value("PW").run()
    assert not at.exception, at.exception
    shown = "\n".join(_texts(at))
    assert "Jumlah pengaduan yang harus ditindaklanjuti: 24" in shown
    assert "Jumlah pengaduan yang selesai ditindaklanjuti: 19" in shown
    assert "harus=24" not in shown


def test_the_tpi_sees_the_steps_and_why_there_is_no_button_in_draft(app_as):
    at = open_page(app_as("tpi"), "assessment")
    texts = _texts(at)
    assert any("Draf" in m and "Diajukan" in m and "Dikunci" in m for m in texts)
    assert any("Berikutnya: koordinator" in c for c in texts)
    assert any("setelah penilaian berstatus Diajukan ke TPI" in c for c in texts)
    assert not [b for b in at.button if b.key and b.key.startswith("to-")]


def test_the_koordinator_is_told_it_is_their_turn_and_has_only_their_moves(app_as):
    at = open_page(app_as("koordinator"), "assessment")
    assert any("Giliran Anda: Ajukan ke TPI" in c.value for c in at.caption)
    keys = {b.key for b in at.button if b.key and b.key.startswith("to-")}
    assert keys == {"to-submitted", "to-locked"}  # never the TPI's "Tandai sudah direviu"


def test_each_document_is_one_download_and_no_server_path_is_shown(app_as, data_dir):
    at = open_page(app_as("koordinator"), "reports")
    downloads = {b.key for b in at.get("download_button")}
    assert {"dl_docx", "dl_pdf", "dl_xlsx", "dl_binder"} <= downloads
    assert not [b for b in at.button if b.key and b.key.startswith("build")]  # no second step
    shown = "\n".join(_texts(at))
    assert str(data_dir) not in shown and "exports" not in shown


def test_a_binder_over_the_download_limit_names_the_command_not_a_path(
    app_as, data_dir, monkeypatch
):
    monkeypatch.setenv("WBK_MAX_DOWNLOAD_MB", "0")
    get_settings.cache_clear()
    at = open_page(app_as("koordinator"), "reports")
    assert "dl_binder" not in {b.key for b in at.get("download_button")}
    assert any("wbk binder --assessment" in i.value for i in at.info)
    assert str(data_dir) not in "\n".join(_texts(at))


def test_the_evidence_form_clears_after_an_upload_and_the_same_file_is_refused(app_as):
    from wbk.formats.simple_docs import simple_pdf

    data = simple_pdf("Notulen rapat pembentukan tim")
    at = open_page(app_as("agen"), "evidence")

    def send(title: str) -> None:
        uploader = at.file_uploader[0]  # the upload form comes first
        uploader.upload("notulen.pdf", data, "application/pdf")
        [title_box] = [x for x in at.text_input if x.label == "Judul"]
        title_box.input(title)
        [codes] = [x for x in at.multiselect if x.label == "Pertanyaan terkait"]
        codes.set_value(["P.MP.i.b"])
        at.button(key="upload_submit").click().run()
        assert not at.exception, at.exception

    send("Notulen pembentukan tim")
    assert any("Tersimpan: Notulen pembentukan tim" in s.value for s in at.success)
    assert [x.value for x in at.text_input if x.label == "Judul"] == [""]  # an empty form
    assert [x.value for x in at.multiselect if x.label == "Pertanyaan terkait"] == [[]]
    send("Notulen lagi")
    assert any("sudah ada sebagai dokumen #" in e.value for e in at.error)
    assert "Notulen lagi" not in list(at.dataframe[0].value["Judul"])
