"""Admin > PortalRB in the running app (AppTest on the demo workspace): the proposal letter and
the SPTJM are offered, one download each, once a unit is proposed for the year, for the units
the user may send them for."""

from __future__ import annotations

from datetime import date

from tests.ui import conftest as ui
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.portalrb import proposals
from wbk.settings import Settings

demo_dir = ui.demo_dir  # the demo workspace, copied per test (fixtures)
data_dir = ui.data_dir
ADMIN_PAGE = "wbk/ui/pages/admin.py"
YEAR = date.today().year  # the demo assessment's year, the form's default
DOWNLOADS = {"dl_letters_letter", "dl_letters_sptjm"}


def open_admin(username: str):
    at = ui.sign_in(username)
    at.switch_page(ADMIN_PAGE).run()
    assert not at.exception, at.exception
    return at


def downloads(at) -> dict[str, str]:
    return {b.key: b.proto.label for b in at.get("download_button") if b.key in DOWNLOADS}


def propose(data_dir) -> None:
    ws = open_workspace(Settings(data_dir=data_dir))
    proposals.set_proposal(
        ws, people.actor_for(ws, "admin"), "KK-CONTOH", YEAR, "WBK", reason="uji"
    )
    ws.db.dispose()


def test_nothing_to_send_before_a_unit_is_proposed(data_dir):
    at = open_admin("admin")
    assert "**Surat pengajuan evaluasi dan SPTJM**" in [m.value for m in at.markdown]
    captions = [c.value for c in at.caption]
    assert f"Belum ada unit yang diusulkan untuk tahun {YEAR}" in " ".join(captions)
    assert downloads(at) == {}


def test_the_admin_downloads_both_letters_of_the_proposing_unit(data_dir):
    propose(data_dir)
    at = open_admin("admin")
    assert at.selectbox(key="letters_unit").options == [
        "KK-CONTOH · Kantor Kementerian Agama Kota Contoh",
        "KW-CONTOH · Kanwil Kementerian Agama Provinsi Contoh",
    ]
    assert downloads(at) == {
        "dl_letters_letter": "Unduh surat pengajuan (.docx)",
        "dl_letters_sptjm": "Unduh SPTJM (.docx)",
    }
    late = [w.value for w in at.warning if "Batas pengajuan" in w.value]
    assert bool(late) == (date.today() > date(YEAR, 5, 31))
    # another year has nothing proposed
    at.number_input(key="letters_year").set_value(YEAR + 1).run()
    assert downloads(at) == {}


def test_the_koordinator_of_the_unit_sends_its_own_letters_only(data_dir):
    propose(data_dir)
    at = open_admin("koordinator")
    assert at.selectbox(key="letters_unit").options == [
        "KK-CONTOH · Kantor Kementerian Agama Kota Contoh"
    ]
    assert set(downloads(at)) == DOWNLOADS
