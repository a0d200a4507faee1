"""Admin > PortalRB in the running app (AppTest on the demo workspace): proposing a unit with
its readiness checks, a token shown once, revoking it; a koordinator of the unit itself sees
its tokens but cannot propose it."""

from __future__ import annotations

from datetime import date

from tests.ui import conftest as ui
from wbk.services.core.workspace import open_workspace
from wbk.services.people import people
from wbk.services.portalrb import proposals, tokens
from wbk.settings import Settings

demo_dir = ui.demo_dir  # the demo workspace, copied per test (fixtures)
data_dir = ui.data_dir
ADMIN_PAGE = "wbk/ui/pages/admin.py"
YEAR = date.today().year  # the demo assessment's year, the form's default


def open_admin(username: str):
    at = ui.sign_in(username)
    at.switch_page(ADMIN_PAGE).run()
    assert not at.exception, at.exception
    return at


def test_the_admin_checks_proposes_and_makes_a_token(data_dir):
    at = open_admin("admin")
    assert "PortalRB" in [h.value for h in at.subheader]
    at.selectbox(key="prop_unit").select("KK-CONTOH").run()
    at.button(key="prop_check").click().run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    # the demo unit is a draft with unanswered soals and questions without evidence
    assert any("belum dikunci" in w for w in warnings)
    assert any("soal PortalRB belum terjawab" in w for w in warnings)

    # not ready: proposed only with a reason, and the page says so
    at.button(key="prop_save").click().run()
    assert not at.exception
    assert any("tuliskan alasan usulan" in e.value for e in at.error)
    at.text_input(key="prop_reason").input("afirmasi pimpinan")
    at.button(key="prop_save").click().run()
    assert not at.exception
    assert f"KK-CONTOH diusulkan untuk tahun {YEAR}" in [s.value for s in at.success]
    [table] = [d.value for d in at.dataframe if "Kategori" in d.value.columns]
    assert table[["Kode", "Kategori", "Siap"]].values.tolist() == [["KK-CONTOH", "WBK", "✗"]]

    at.text_input(key="token_name").input("portalrb-uji")
    at.selectbox(key="token_unit").select("KW-CONTOH")
    at.button(key="token_create").click().run()
    assert not at.exception
    [secret] = [c.value for c in at.code]
    assert secret.startswith("wbkrb_")
    ws = open_workspace(Settings(data_dir=data_dir))
    assert tokens.resolve_token(ws, secret).unit_code == "KW-CONTOH"
    [view] = proposals.list_proposals(ws, people.actor_for(ws, "admin"), YEAR)
    assert view.unit_code == "KK-CONTOH" and view.set_by == "admin"
    assert view.reason == "afirmasi pimpinan"

    at.run()  # the next run shows the token in the list, never its secret again
    assert not [c.value for c in at.code]
    at.selectbox(key="token_revoke_name").select("portalrb-uji")
    at.button(key="token_revoke").click().run()
    assert "Token portalrb-uji dicabut" in [s.value for s in at.success]
    assert [v.status for v in tokens.list_tokens(ws, people.actor_for(ws, "admin"))] == ["revoked"]
    ws.db.dispose()


def test_a_koordinator_of_the_unit_itself_manages_its_tokens_but_does_not_propose(data_dir):
    at = open_admin("koordinator")
    assert "PortalRB" in [h.value for h in at.subheader]
    keys = {b.key for b in at.button}
    assert "token_create" in keys and "prop_save" not in keys
    assert at.selectbox(key="token_unit").options == ["KK-CONTOH"]


def test_the_admin_records_a_requirement_and_sees_the_check(data_dir):
    at = open_admin("admin")
    assert "Syarat pengusulan" in [m.value.strip("*") for m in at.markdown]
    at.selectbox(key="req_unit").select("KW-CONTOH").run()
    at.selectbox(key="req_key").select("opini_bpk").run()
    at.selectbox(key="req_value_opini_bpk").select("WDP")
    at.button(key="req_save").click().run()
    assert not at.exception
    [table] = [d.value for d in at.dataframe if "Dibutuhkan" in d.value.columns]
    row = table[table["Syarat"] == "Opini BPK atas laporan keuangan"].iloc[0]
    assert (row["Nilai"], row["Dibutuhkan"], row["Status"]) == ("WDP", "minimal WTP", "✗")
    # a unit below sees the agency's value, and from where it came
    at.selectbox(key="req_unit").select("KK-CONTOH").run()
    [table] = [d.value for d in at.dataframe if "Dibutuhkan" in d.value.columns]
    row = table[table["Syarat"] == "Opini BPK atas laporan keuangan"].iloc[0]
    assert (row["Nilai"], row["Diisi pada"]) == ("WDP", "KW-CONTOH")
    # the verdict with the LKE's checks comes from the Periksa button
    at.selectbox(key="prop_unit").select("KK-CONTOH").run()
    at.button(key="prop_check").click().run()
    warned = " ".join(w.value for w in at.warning)
    assert "Opini BPK atas laporan keuangan: WDP, dibutuhkan minimal WTP" in warned
    assert "soal PortalRB belum terjawab" in warned
