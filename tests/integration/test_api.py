"""The PortalRB API on SQLite and PostgreSQL: each error code as the guide writes it, tokens
that expire or are revoked, the rate limit, signed evidence links, the token's unit tree, a
proposal withdrawn between two fetches, and an audit event for every fetch (requests that
prove nothing: test_api_limits.py)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.test_workspace import pdf_bytes
from tests.unit.test_portalrb_answers import unit_answers
from wbk.api import create_app
from wbk.api.ratelimit import RateLimiter
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, evidence, notes
from wbk.services.people import people
from wbk.services.portalrb import answers as portalrb
from wbk.services.portalrb import links, proposals, tokens
from wbk.store.tables import AuditEvent

PUBLIC = "https://zi.example.go.id/api"
TODAY = date.today()


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def local(url: str) -> str:
    """A link on the public address as the test client's path and query."""
    assert url.startswith(PUBLIC + "/"), url
    parts = urlsplit(url)
    return parts.path.removeprefix(urlsplit(PUBLIC).path) + "?" + parts.query


def fetch_events(ws) -> list[tuple[str, dict]]:
    with ws.db.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.action == "api.fetch").order_by(AuditEvent.seq)
        ).scalars()
        return [(e.actor, json.loads(e.after)) for e in rows]


def build_api_world(world, catalog, per_minute: int = 1000, **settings) -> dict:
    """Units KW > A, B (and C, not proposed); A answered in full with penjelasan, TPI answers
    and notes, a PDF and a link as evidence; A proposed for WBK, B for WBBM in 2026; a token
    on the Kanwil and one on B."""
    ws, op, act = world["ws"], world["op"], world["actors"]
    people.add_user(ws, op, "koord_kw", password="rahasia-123", role="koordinator", unit_code="KW")
    people.add_unit(ws, op, "C", "Kankemenag Kota C", parent_code="KW")
    assessments.create_assessment(ws, op, "C", 2026)
    a = world["a"]
    rows = [AnswerRow(c, v) for c, v in unit_answers(catalog).items() if c != "P.MP.i.a"]
    rows.append(AnswerRow("P.MP.i.a", "Ya", note="SK Tim ZI nomor 12 tahun 2026"))
    answer_import.import_answers(ws, op, a, rows)
    assessments.save_question(
        ws,
        op,
        a,
        "R.MP.i.a",
        None,
        "Daftar perubahan terlampir",
        counts={"perubahan": "12", "agen": "15"},
    )
    assessments.set_answer(ws, act["tpi"], a, "P.MP.i.b", "C", tier="tpi")
    assessments.set_answer(ws, act["tpi"], a, "R.MP.i.a#perubahan", "10", tier="tpi")
    assessments.set_answer(ws, act["tpi"], a, "R.MP.i.a#agen", "15", tier="tpi")
    notes.add_note(ws, act["tpi"], a, "P.MP.i.b", "Lampirkan notulen pemilihan anggota tim")
    notes.add_note(ws, act["tpi"], a, "P.MP.i.b", "Tanda tangan kepala belum ada")
    pdf = pdf_bytes(2)
    doc = evidence.add_file(
        ws,
        op,
        a,
        ["P.MP.i.a"],
        io.BytesIO(pdf),
        "SK Tim ZI.pdf",
        title="SK <b>Tim</b> ZI",
        document_date=date(2026, 1, 5),
    )
    evidence.add_link(
        ws, op, a, ["P.MP.i.a", "R.MP.i.a"], "https://arsip.example.go.id/sk", "Arsip"
    )
    koord = people.actor_for(ws, "koord_kw")
    proposals.set_proposal(ws, koord, "A", 2026, "WBK", reason="uji")
    proposals.set_proposal(ws, koord, "B", 2026, "WBBM", reason="uji")
    kanwil = tokens.create_token(ws, koord, "portalrb", "KW")
    unit_b = tokens.create_token(ws, op, "unit-b", "B")
    cfg = ws.settings.model_copy(update={"public_url": PUBLIC, "link_days": 30, **settings})
    clock = Clock()
    app = create_app(ws, cfg, RateLimiter(per_minute, clock=clock))
    return {
        **world,
        "koord": koord,
        "cfg": cfg,
        "clock": clock,
        "client": TestClient(app),
        "auth": {"Authorization": f"Bearer {kanwil.secret}"},
        "auth_b": {"Authorization": f"Bearer {unit_b.secret}"},
        "pdf": pdf,
        "pdf_sha": doc.latest.sha256,
    }


@pytest.fixture
def api(world, catalog):
    return build_api_world(world, catalog)


def error_of(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "code", "message"}
    assert body["error"] is True and body["code"] == code and body["message"]
    return body["message"]


# --- answers as PortalRB reads them ------------------------------------------------------------


def test_the_lists_and_a_units_answers(api):
    c, auth = api["client"], api["auth"]
    wbk = c.get("/pengusulan/unit-wbk", headers=auth).json()
    assert wbk == {
        "tahun": 2026,
        "units": [{"id": "A", "nama": "Kankemenag Kota A", "kategori": "WBK", "afirmasi": False}],
    }
    wbbm = c.get("/pengusulan/unit-wbbm", headers=auth).json()
    assert [u["id"] for u in wbbm["units"]] == ["B"] and wbbm["units"][0]["kategori"] == "WBBM"

    body = c.get("/lke/jawaban-unit/A", headers=auth).json()
    assert (body["unit_id"], body["nama_unit"], body["tahun"]) == ("A", "Kankemenag Kota A", 2026)
    answers = body["answers"]
    assert [e["soal_id"] for e in answers] == list(range(1, 128))
    by_id = {e["soal_id"]: e for e in answers}
    assert by_id[1]["jawaban_unit"] == "Ya"
    assert by_id[1]["catatan_unit"] == "SK Tim ZI nomor 12 tahun 2026"
    assert by_id[1]["bukti_dukung_unit"].startswith(PUBLIC + "/bukti-dukung/A/2026/P.MP.i.a?")
    # soal 2 is P.MP.i.b: unit B, the TPI C with its two notes; no evidence
    assert (by_id[2]["jawaban_unit"], by_id[2]["jawaban_tpi"]) == ("B", "C")
    assert by_id[2]["catatan_tpi"] == (
        "Lampirkan notulen pemilihan anggota tim\n\nTanda tangan kepala belum ada"
    )
    assert by_id[2]["bukti_dukung_unit"] is None
    # 88 Jumlah Agen Perubahan, 89 Jumlah Perubahan: counts as text (the guide types every
    # answer as a string), with the question's penjelasan and evidence; the TPI's own counts
    assert (by_id[88]["jawaban_unit"], by_id[89]["jawaban_unit"]) == ("15", "12")
    assert (by_id[88]["jawaban_tpi"], by_id[89]["jawaban_tpi"]) == ("15", "10")
    assert by_id[89]["catatan_unit"] == "Daftar perubahan terlampir"
    assert "/R.MP.i.a?" in by_id[89]["bukti_dukung_unit"]
    assert by_id[125]["jawaban_unit"] == "3.62"  # the IPAK index, as text
    # the TPI scored only three rows: elsewhere its answer is null, not the unit's
    assert by_id[1]["jawaban_tpi"] is None


def test_every_fetch_is_audited_with_token_endpoint_unit_and_status(api):
    c, auth, ws = api["client"], api["auth"], api["ws"]
    c.get("/pengusulan/unit-wbk", headers=auth)
    c.get("/lke/jawaban-unit/A", headers=auth)
    c.get("/lke/jawaban-unit/C", headers=auth)
    c.get("/lke/jawaban-unit/A?tahun=dua", headers=auth)  # refused before the route ran
    events = fetch_events(ws)
    assert [(who, e["token"], e["endpoint"], e["unit"], e["status"]) for who, e in events] == [
        ("token:portalrb", "portalrb", "/pengusulan/unit-wbk", None, 200),
        ("token:portalrb", "portalrb", "/lke/jawaban-unit", "A", 200),
        ("token:portalrb", "portalrb", "/lke/jawaban-unit", "C", 404),
        ("token:portalrb", "portalrb", "/lke/jawaban-unit", "A", 422),
    ]
    used = {v.name: v.last_used_at for v in tokens.list_tokens(ws, api["op"])}
    assert used["portalrb"] is not None and used["unit-b"] is None


# --- each error code -----------------------------------------------------------------------------


def test_401_without_a_usable_token(api):
    c, ws, op = api["client"], api["ws"], api["op"]
    expired = tokens.create_token(
        ws, op, "lama", "KW", date(2020, 1, 31), today=date(2020, 1, 1)
    ).secret
    revoked = tokens.create_token(ws, op, "dicabut", "KW").secret
    tokens.revoke_token(ws, op, "dicabut")
    cases = {
        None: "tanpa token",
        "Bearer wbkrb_tidak-ada": "tidak dikenal",
        f"Bearer {expired}": "kedaluwarsa",
        f"Bearer {revoked}": "dicabut",
        f"Basic {expired}": "tanpa token",
    }
    for header, words in cases.items():
        headers = {"Authorization": header} if header else {}
        r = c.get("/lke/jawaban-unit/A", headers=headers)
        assert words in error_of(r, 401, "UNAUTHORIZED")
        assert r.headers["www-authenticate"] == "Bearer"


def test_a_token_works_through_its_last_day(api):
    c, ws, op = api["client"], api["ws"], api["op"]
    last_day = tokens.create_token(ws, op, "hari-ini", "KW", TODAY).secret
    r = c.get("/pengusulan/unit-wbk", headers={"Authorization": f"Bearer {last_day}"})
    assert r.status_code == 200
    # the day after, the same token is refused
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.resolve_token(ws, last_day, today=TODAY + timedelta(days=1))
    assert refused.value.reason == "expired"


def test_revoking_a_token_stops_the_next_request(api):
    c, auth = api["client"], api["auth"]
    assert c.get("/lke/jawaban-unit/A", headers=auth).status_code == 200
    tokens.revoke_token(api["ws"], api["op"], "portalrb")
    error_of(c.get("/lke/jawaban-unit/A", headers=auth), 401, "UNAUTHORIZED")


def test_403_for_a_unit_outside_the_tokens_tree(api):
    c, auth_b = api["client"], api["auth_b"]
    # B's token sees B's proposal only, and is refused A's answers although A is proposed
    assert c.get("/pengusulan/unit-wbk", headers=auth_b).json()["units"] == []
    assert [u["id"] for u in c.get("/pengusulan/unit-wbbm", headers=auth_b).json()["units"]] == [
        "B"
    ]
    assert "A" in error_of(c.get("/lke/jawaban-unit/A", headers=auth_b), 403, "FORBIDDEN")
    assert c.get("/lke/jawaban-unit/B", headers=auth_b).status_code == 200


def test_404_for_what_is_not_proposed_or_not_there(api):
    c, auth = api["client"], api["auth"]
    assert "C" in error_of(c.get("/lke/jawaban-unit/C", headers=auth), 404, "DATA_NOT_FOUND")
    error_of(c.get("/lke/jawaban-unit/A?tahun=2025", headers=auth), 404, "DATA_NOT_FOUND")
    error_of(c.get("/lke/jawaban-unit/TIDAK-ADA", headers=auth), 404, "DATA_NOT_FOUND")
    error_of(c.get("/pengusulan/unit-wbk/lain", headers=auth), 404, "DATA_NOT_FOUND")


def test_422_for_a_bad_parameter(api):
    c, auth = api["client"], api["auth"]
    assert "tahun" in error_of(
        c.get("/pengusulan/unit-wbk?tahun=dua", headers=auth), 422, "VALIDATION_ERROR"
    )
    error_of(c.get("/lke/jawaban-unit/A?tahun=1999", headers=auth), 422, "VALIDATION_ERROR")


def test_429_per_token_with_retry_after(world, catalog):
    api = build_api_world(world, catalog, per_minute=3)
    c, auth, clock = api["client"], api["auth"], api["clock"]
    for _ in range(3):
        assert c.get("/pengusulan/unit-wbk", headers=auth).status_code == 200
    limited = c.get("/lke/jawaban-unit/A", headers=auth)
    error_of(limited, 429, "RATE_LIMITED")
    # 3 a minute refill one request every 20 s; the bucket is empty, so wait 20 s
    assert limited.headers["retry-after"] == "20"
    # another token has its own allowance
    assert c.get("/pengusulan/unit-wbbm", headers=api["auth_b"]).status_code == 200
    clock.now += 19
    assert c.get("/pengusulan/unit-wbk", headers=auth).headers["retry-after"] == "1"
    clock.now += 1
    assert c.get("/lke/jawaban-unit/A", headers=auth).status_code == 200
    statuses = [e["status"] for _, e in fetch_events(api["ws"]) if e["token"] == "portalrb"]
    assert statuses == [200, 200, 200, 429, 429, 200]


def test_without_a_public_address_no_link_is_made(api, caplog):
    """The app takes the workspace's settings, which have no WBK_PUBLIC_URL: a link would
    have to name the host the request claims, so the answers are refused, naming the
    setting; what carries no link is served."""
    c = TestClient(create_app(api["ws"]))
    evil = {**api["auth"], "Host": "zi.penipu.example", "X-Forwarded-Host": "zi.penipu.example"}
    r = c.get("/lke/jawaban-unit/A", headers=evil)
    message = error_of(r, 503, "NOT_CONFIGURED")
    assert "WBK_API_URL" in message and "penipu" not in r.text
    assert any("WBK_API_URL" in rec.getMessage() for rec in caplog.records)
    assert fetch_events(api["ws"])[-1][1]["status"] == 503
    # a link made while the address was set no longer names any host
    link = evidence_link(api)
    error_of(c.get(link, headers={"Host": "zi.penipu.example"}), 503, "NOT_CONFIGURED")
    assert c.get("/pengusulan/unit-wbk", headers=evil).json()["units"][0]["id"] == "A"


def test_the_description_is_served_without_pages_from_a_cdn(api):
    c = api["client"]
    schema = c.get("/openapi.json")
    assert schema.status_code == 200 and "/lke/jawaban-unit/{unit_id}" in schema.json()["paths"]
    for page in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        error_of(c.get(page), 404, "DATA_NOT_FOUND")


def test_500_hides_what_went_wrong(api, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("rahasia: /srv/wbk/evidence/wbk.sqlite3")

    monkeypatch.setattr(portalrb, "unit_answers", broken)
    r = api["client"].get("/lke/jawaban-unit/A", headers=api["auth"])
    message = error_of(r, 500, "INTERNAL_ERROR")
    assert "rahasia" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    ref = message.rsplit(" ", 1)[-1].rstrip(")")
    assert any(ref in rec.getMessage() and rec.exc_info for rec in caplog.records)
    assert fetch_events(api["ws"])[-1][1]["status"] == 500


# --- proposals change between fetches ------------------------------------------------------------


def test_a_proposal_removed_between_two_fetches(api):
    c, auth, ws = api["client"], api["auth"], api["ws"]
    assert c.get("/lke/jawaban-unit/A", headers=auth).status_code == 200
    proposals.remove_proposal(ws, api["koord"], "A", 2026)
    error_of(c.get("/lke/jawaban-unit/A", headers=auth), 404, "DATA_NOT_FOUND")
    assert c.get("/pengusulan/unit-wbk", headers=auth).json()["units"] == []


def test_the_default_year_is_the_latest_with_proposals(api):
    c, auth, ws, op = api["client"], api["auth"], api["ws"], api["op"]
    assessments.create_assessment(ws, op, "B", 2027)
    proposals.set_proposal(ws, api["koord"], "B", 2027, "WBK", afirmasi=True, reason="uji")
    latest = c.get("/pengusulan/unit-wbk", headers=auth).json()
    assert latest == {
        "tahun": 2027,
        "units": [
            {"id": "B", "nama": "Kankemenag Kota B", "kategori": "WBK-AFIRMASI", "afirmasi": True}
        ],
    }
    assert c.get("/pengusulan/unit-wbk?tahun=2026", headers=auth).json()["units"][0]["id"] == "A"
    assert c.get("/lke/jawaban-unit/B", headers=auth).json()["tahun"] == 2027


# --- signed evidence links -----------------------------------------------------------------------


def evidence_link(api, soal_id: int = 1) -> str:
    body = api["client"].get("/lke/jawaban-unit/A", headers=api["auth"]).json()
    return local(body["answers"][soal_id - 1]["bukti_dukung_unit"])


def test_the_evidence_page_lists_current_files_and_streams_them(api):
    c = api["client"]
    link = evidence_link(api)
    page = c.get(link)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text and "SK &lt;b&gt;Tim&lt;/b&gt; ZI" in page.text
    assert (
        api["pdf_sha"] in page.text
        and "default-src 'none'" in page.headers["content-security-policy"]
    )
    listed = c.get(link, headers={"Accept": "application/json"}).json()
    assert (listed["unit_id"], listed["tahun"], listed["kode"]) == ("A", 2026, "P.MP.i.a")
    files = {f["jenis"]: f for f in listed["berkas"]}
    pdf = files["file"]
    assert (pdf["nama_berkas"], pdf["sha256"], pdf["ukuran"], pdf["tanggal_dokumen"]) == (
        "SK Tim ZI.pdf",
        api["pdf_sha"],
        len(api["pdf"]),
        "2026-01-05",
    )
    assert files["link"]["url"] == "https://arsip.example.go.id/sk"
    got = c.get(local(pdf["url"]))
    assert got.status_code == 200 and got.content == api["pdf"]
    assert got.headers["content-type"] == "application/pdf"
    events = [e for who, e in fetch_events(api["ws"]) if who == "api:bukti-dukung"]
    assert [(e["endpoint"], e["unit"], e["kode"], e["status"]) for e in events] == [
        ("/bukti-dukung", "A", "P.MP.i.a", 200),
        ("/bukti-dukung", "A", "P.MP.i.a", 200),
        ("/bukti-dukung/berkas", "A", "P.MP.i.a", 200),
    ]


def one_char_changed(text: str, at: int) -> str:
    return text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]


def test_a_link_altered_by_one_character_is_refused(api):
    c = api["client"]
    link = evidence_link(api)
    path, query = link.split("?")
    sig_at = link.index("sig=") + len("sig=")
    for altered in (
        one_char_changed(link, sig_at),  # the signature
        one_char_changed(link, len(link) - 1),
        link.replace("exp=", "exp=1", 1),  # the expiry pushed out
        link.replace("/A/2026/", "/B/2026/"),  # another unit
        link.replace("P.MP.i.a", "P.MP.i.b"),  # another question
        link.replace("/2026/", "/2027/"),
    ):
        assert altered != link
        error_of(c.get(altered), 403, "LINK_INVALID")
    file_link = f"{path}/berkas/{api['pdf_sha']}?{query}"
    assert c.get(file_link).status_code == 200
    error_of(c.get(one_char_changed(file_link, len(file_link) - 1)), 403, "LINK_INVALID")
    other = "ab" * 32  # a file that is not this question's evidence
    error_of(c.get(f"{path}/berkas/{other}?{query}"), 404, "DATA_NOT_FOUND")


def test_an_expired_link_is_refused(api):
    ws, cfg = api["ws"], api["cfg"]
    # a link made 31 days ago with a 30-day life ended yesterday at midnight UTC
    old = links.links(ws, cfg, datetime.now(UTC) - timedelta(days=31))
    link = local(old.page("A", 2026, "P.MP.i.a"))
    assert "kedaluwarsa" in error_of(api["client"].get(link), 403, "LINK_EXPIRED")
