"""The unit's letterhead on the Word report's cover, and the report as PDF via LibreOffice."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys

import pytest
from docx import Document
from PIL import Image

from wbk.errors import InvalidInput, PermissionDenied
from wbk.services.assessment import branding, report_pdf, reports

IN_CI = os.environ.get("CI") == "true"


def image_bytes(fmt: str = "PNG", size=(120, 80), color=(20, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def _cover_images(docx: bytes) -> list[bytes]:
    """The images drawn inline in the paragraphs before the cover table."""
    doc = Document(io.BytesIO(docx))
    body = doc.element.body
    found = []
    for child in body.iterchildren():
        if child.tag.endswith("}tbl"):  # the cover's facts table: the letterhead is above it
            break
        for blip in child.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
            rid = blip.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
            )
            found.append(doc.part.related_parts[rid].blob)
    return found


def test_the_logo_and_letterhead_appear_on_the_cover(world):
    ws, a, act = world["ws"], world["a"], world["actors"]
    logo = image_bytes()
    before = reports.word_report(ws, act["koordinator"], a)
    assert _cover_images(before) == []
    view = branding.set_logo(
        ws, act["koordinator"], "A", logo, "logo.png", "KEMENTERIAN AGAMA\nKANKEMENAG KOTA A"
    )
    assert (view.media_type, view.width, view.height) == ("image/png", 120, 80)
    docx = reports.word_report(ws, act["pimpinan"], a)
    assert [hashlib.sha256(b).hexdigest() for b in _cover_images(docx)] == [
        hashlib.sha256(logo).hexdigest()
    ]
    doc = Document(io.BytesIO(docx))
    first = [p.text for p in doc.paragraphs[:4]]
    assert "KEMENTERIAN AGAMA" in first and "KANKEMENAG KOTA A" in first
    assert doc.inline_shapes[0].type is not None  # an inline picture, first section


def test_a_parent_units_logo_serves_its_units_until_they_have_their_own(world):
    ws, act, op = world["ws"], world["actors"], world["op"]
    kanwil = image_bytes("JPEG", (200, 200), (200, 10, 10))
    branding.set_logo(ws, op, "KW", kanwil, "kanwil.jpg")
    got = branding.get_branding(ws, act["agen_b"], "B")
    assert got.inherited and got.unit_code == "KW" and got.media_type == "image/jpeg"
    assert _cover_images(reports.word_report(ws, act["koordinator"], world["a"])) == [kanwil]
    own = image_bytes()
    branding.set_logo(ws, act["koordinator"], "A", own, "a.png")
    assert not branding.get_branding(ws, act["agen"], "A").inherited
    assert branding.clear_logo(ws, act["koordinator"], "A")
    assert branding.get_branding(ws, act["agen"], "A").unit_code == "KW"


def test_only_png_or_jpeg_images_of_sensible_size_are_taken(world):
    ws, op, act = world["ws"], world["op"], world["actors"]
    refused = {
        "gif": image_bytes("GIF"),
        "text": b"bukan gambar sama sekali",
        "exe": b"MZ\x90\x00" + b"\x00" * 200,
        "cut": image_bytes()[:60],
        "huge": b"\x89PNG" + b"\x00" * (branding.MAX_LOGO_BYTES + 1),
        "empty": b"",
    }
    for name, data in refused.items():
        with pytest.raises(InvalidInput) as err:
            branding.set_logo(ws, op, "A", data, f"{name}.png")
        assert "PNG" in err.value.message() or "KB" in err.value.message() or name == "empty"
    with pytest.raises(PermissionDenied):
        branding.set_logo(ws, act["agen"], "A", image_bytes(), "logo.png")
    with pytest.raises(PermissionDenied):  # another Kanwil's unit is not the koordinator's
        branding.set_logo(ws, act["koordinator"], "B", image_bytes(), "logo.png")
    assert branding.get_branding(ws, act["agen"], "A") is None


def _need_soffice():
    if report_pdf.soffice_path() is None:
        if IN_CI:
            pytest.fail("LibreOffice (soffice) is required under CI=true")
        pytest.skip("LibreOffice not installed")


@pytest.mark.parametrize("ws", ["sqlite"], indirect=True)  # the conversion is engine-free
def test_the_report_as_pdf(world, tmp_path):
    _need_soffice()
    ws, a, act = world["ws"], world["a"], world["actors"]
    branding.set_logo(ws, act["koordinator"], "A", image_bytes(), "logo.png", "KANKEMENAG KOTA A")
    pdf = report_pdf.pdf_report(ws, act["pimpinan"], a)
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 3
    assert "KANKEMENAG KOTA A" in reader.pages[0].extract_text()

    # and from the command line
    env = {**os.environ, "WBK_DATA_DIR": str(ws.settings.data_dir), "WBK_LANG": "id"}
    env.pop("WBK_DATABASE_URL", None)
    out = tmp_path / "laporan.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "wbk", "report", "--assessment", str(a), "--out", str(out), "--pdf"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")

    # without LibreOffice: a plain message and exit 2
    env["WBK_SOFFICE"] = str(tmp_path / "no-soffice")
    proc = subprocess.run(
        [sys.executable, "-m", "wbk", "report", "--assessment", str(a), "--out", str(out), "--pdf"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "LibreOffice" in proc.stderr


def test_a_stuck_converter_is_stopped(monkeypatch, tmp_path):
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    monkeypatch.setenv("WBK_SOFFICE", str(script))
    with pytest.raises(report_pdf.PdfFailed):
        report_pdf.docx_to_pdf(b"PK", timeout=1)


def test_the_logo_travels_with_a_backup(world, tmp_path):
    from wbk.services.core import backups
    from wbk.services.core.workspace import open_workspace
    from wbk.settings import Settings

    ws, op = world["ws"], world["op"]
    logo = image_bytes("JPEG")
    branding.set_logo(ws, op, "A", logo, "logo.jpg", "KOP")
    backups.backup(ws, op, tmp_path / "b.zip")
    report = backups.restore(
        tmp_path / "b.zip", tmp_path / "restored", backups.public_key(ws), audit_key=ws.db.audit_key
    )
    assert report.ok
    restored = open_workspace(Settings(data_dir=tmp_path / "restored"))
    try:
        got = branding.get_branding(restored, op, "A")
        assert (got.content, got.letterhead) == (logo, "KOP")
    finally:
        restored.db.dispose()
