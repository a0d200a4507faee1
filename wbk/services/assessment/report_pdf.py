"""The Word report as PDF, converted by LibreOffice (``soffice``) when it is installed: in a
temporary directory with its own LibreOffice profile (parallel conversions never share one),
with a timeout after which the converter is stopped."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from wbk.errors import WbkError
from wbk.services.assessment.reports import word_report
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace

TIMEOUT_SECONDS = 180
CANDIDATES = ("soffice", "libreoffice")


class PdfUnavailable(WbkError):
    key = "followup.pdf.unavailable"


class PdfFailed(WbkError):
    key = "followup.pdf.failed"


def soffice_path() -> str | None:
    """The LibreOffice converter on this machine (``WBK_SOFFICE`` first), or None."""
    configured = os.environ.get("WBK_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Convert .docx bytes to PDF bytes; PdfUnavailable without LibreOffice, PdfFailed when
    the conversion fails or takes longer than ``timeout`` seconds."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="wbk-pdf-") as tmp:
        work = Path(tmp)
        source = work / "laporan.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=work,
            start_new_session=True,  # its own process group: a timeout stops all of it
        )
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfFailed(reason=f"> {timeout:.0f} s") from None
        result = work / "out" / "laporan.pdf"
        if proc.returncode != 0 or not result.is_file():
            reason = (err or b"").decode("utf-8", "replace").strip()[-300:]
            raise PdfFailed(reason=reason or f"exit {proc.returncode}")
        data = result.read_bytes()
    if not data.startswith(b"%PDF"):
        raise PdfFailed(reason="not a PDF")
    return data


def pdf_report(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
    lang: str = "id",
    pre_review: bool = False,
    wait: bool = True,
) -> bytes:
    """The Word report of this assessment, as PDF (same content, same rights)."""

    if not pdf_available():
        raise PdfUnavailable()
    return docx_to_pdf(word_report(ws, actor, assessment_id, tier, lang, pre_review, wait))
