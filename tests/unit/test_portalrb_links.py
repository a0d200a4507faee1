"""Signed evidence links and the evidence page, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wbk.api.pages import render
from wbk.services.portalrb.evidence import EvidenceFile, EvidencePage
from wbk.services.portalrb.links import (
    LinkRefused,
    Links,
    check_link,
    link_expiry,
    link_signature,
)

SECRET = b"k" * 32
NOW = datetime(2026, 5, 20, 14, 30, tzinfo=UTC)


def test_a_link_lives_until_the_end_of_the_day_its_days_run_out():
    # 2026-05-20 14:30 UTC + 30 days = 2026-06-19; the end of that day is 2026-06-20 00:00 UTC
    assert link_expiry(NOW, 30) == int(datetime(2026, 6, 20, tzinfo=UTC).timestamp())
    # made later the same day: the same expiry, so the same link
    assert link_expiry(NOW.replace(hour=23, minute=59), 30) == link_expiry(NOW, 30)


def test_the_signature_covers_every_part_of_the_link():
    exp = link_expiry(NOW, 30)
    sig = link_signature(SECRET, "KK-SMG", 2026, "P.MP.i.a", exp)
    assert len(sig) == 64 and int(sig, 16) >= 0
    check_link(SECRET, "KK-SMG", 2026, "P.MP.i.a", exp, sig, NOW)  # accepted
    check_link(SECRET, "KK-SMG", 2026, "P.MP.i.a", exp, sig.upper(), NOW)  # hex in capitals
    changed = [
        ("KK-SMH", 2026, "P.MP.i.a", exp, sig),
        ("KK-SMG", 2027, "P.MP.i.a", exp, sig),
        ("KK-SMG", 2026, "P.MP.i.b", exp, sig),
        ("KK-SMG", 2026, "P.MP.i.a", exp + 1, sig),
        ("KK-SMG", 2026, "P.MP.i.a", exp, sig[:-1] + ("0" if sig[-1] != "0" else "1")),
        ("KK-SMG", 2026, "P.MP.i.a", exp, "é" * 64),  # not even hex
        ("KK-SMG", 2026, "P.MP.i.a", exp, ""),
    ]
    for unit, year, code, e, s in changed:
        with pytest.raises(LinkRefused) as refused:
            check_link(SECRET, unit, year, code, e, s, NOW)
        assert refused.value.key == "portalrb_api.link.invalid"
    with pytest.raises(LinkRefused):  # another server's secret
        check_link(b"x" * 32, "KK-SMG", 2026, "P.MP.i.a", exp, sig, NOW)


def test_a_link_past_its_time_is_refused_as_expired():
    exp = int(datetime(2026, 6, 20, tzinfo=UTC).timestamp())
    sig = link_signature(SECRET, "A", 2026, "H.I.a", exp)
    check_link(SECRET, "A", 2026, "H.I.a", exp, sig, datetime(2026, 6, 20, tzinfo=UTC))
    with pytest.raises(LinkRefused) as refused:
        check_link(SECRET, "A", 2026, "H.I.a", exp, sig, datetime(2026, 6, 20, 0, 0, 1, tzinfo=UTC))
    assert refused.value.key == "portalrb_api.link.expired"
    assert "2026-06-20T00:00:00+00:00" in refused.value.message("id")


def test_links_quote_the_unit_and_share_the_signature_with_their_files():
    made = Links("https://zi.example.go.id/api", SECRET, 1_800_000_000)
    sig = link_signature(SECRET, "KW JT/1", 2026, "P.MP.i.a", 1_800_000_000)
    assert made.page("KW JT/1", 2026, "P.MP.i.a") == (
        "https://zi.example.go.id/api/bukti-dukung/KW%20JT%2F1/2026/P.MP.i.a"
        f"?exp=1800000000&sig={sig}"
    )
    assert made.file("KW JT/1", 2026, "P.MP.i.a", "ab" * 32) == (
        "https://zi.example.go.id/api/bukti-dukung/KW%20JT%2F1/2026/P.MP.i.a/berkas/"
        f"{'ab' * 32}?exp=1800000000&sig={sig}"
    )


def test_the_evidence_page_escapes_every_text():
    page = EvidencePage(
        unit_id="A<1>",
        nama_unit='Kankemenag "Kota" <script>alert(1)</script>',
        tahun=2026,
        kode="P.MP.i.a",
        pertanyaan="Apakah <b>tim</b> dibentuk?",
        expires=datetime(2026, 6, 20, tzinfo=UTC),
        files=[
            EvidenceFile(
                "SK <img src=x onerror=alert(1)>",
                "file",
                "sk.pdf",
                date(2026, 1, 5),
                None,
                "cd" * 32,
                2048,
                "application/pdf",
                "https://zi.example.go.id/api/x?exp=1&sig=2",
            ),
            EvidenceFile(
                "Arsip",
                "link",
                None,
                None,
                None,
                None,
                None,
                None,
                'javascript:alert(1)" onclick="x',
            ),
        ],
    )
    html = render(page)  # in Indonesian, the default
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "SK &lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html  # shown as text, never a link
    assert "2,0 KB" in html and "5 Januari 2026" in html and "cd" * 32 in html
    assert "&amp;sig=2" in html
