"""The evidence binder for the TPN: one folder per area and question in LKE order."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from wbk.formats.safe_text import csv_writer
from wbk.reports.data import ReportData

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def _safe(text: str, limit: int = 60) -> str:
    return SAFE.sub("_", text).strip(" .")[:limit] or "dokumen"


def question_folders(data: ReportData) -> list[tuple[str, str]]:
    """(code, folder path) for every item in LKE order."""
    cat = data.catalog
    out = []
    for pi, part in enumerate(cat.pengungkit.parts, start=1):
        for ai, area in enumerate(part.areas, start=1):
            info = next(a for a in cat.areas if a.code == area.code)
            for sub in area.subareas:
                for q in sub.questions:
                    out.append(
                        (
                            q.code,
                            "/".join(
                                [
                                    f"A{pi} {_safe(part.name)}",
                                    f"{ai:02d} {area.code} {_safe(info.name)}",
                                    f"{sub.id} {_safe(sub.name)}",
                                    q.code,
                                ]
                            ),
                        )
                    )
    for gi, group in enumerate(cat.hasil.groups, start=1):
        for item in group.items:
            out.append((item.code, f"B Hasil/{gi:02d} {_safe(group.name)}/{item.code}"))
    return out


def build_binder(
    data: ReportData,
    open_blob: Callable[[str], BinaryIO],
    report: bytes,
    report_name: str,
    target: BinaryIO | None = None,
) -> bytes | None:
    """Zip every linked file (latest revision) under a readable name, a manifest.csv and the
    Word report. ``open_blob`` must return verified bytes (the caller checks hashes).

    With ``target`` (an open file), the zip is streamed into it file by file and nothing is
    returned: hundreds of 50 MB documents never sit in memory. Without it, the bytes."""
    buf = target if target is not None else io.BytesIO()
    manifest = io.StringIO()
    writer = csv_writer(manifest)  # titles are user text: quoted, never a formula
    writer.writerow(["code", "title", "date", "filename", "sha256"])
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for code, folder in question_folders(data):
            for n, doc in enumerate(data.docs_for(code), start=1):
                date = doc.document_date.isoformat() if doc.document_date else ""
                if doc.latest is None:
                    name = f"{folder}/{n:02d} {_safe(doc.title)}.url"
                    url = CONTROL.sub("", doc.url or "")  # one line: no injected IconFile=
                    zf.writestr(name, f"[InternetShortcut]\r\nURL={url}\r\n")
                    writer.writerow([code, doc.title, date, name, ""])
                    continue
                ext = doc.latest.filename.rsplit(".", 1)[-1].lower()
                name = f"{folder}/{n:02d} {_safe(doc.title)}.{ext}"
                info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                with open_blob(doc.latest.sha256) as src, zf.open(info, "w") as dst:
                    while chunk := src.read(1024 * 1024):
                        dst.write(chunk)
                writer.writerow([code, doc.title, date, name, doc.latest.sha256])
        zf.writestr("manifest.csv", manifest.getvalue().encode("utf-8-sig"))
        zf.writestr(report_name, report)
    return None if target is not None else buf.getvalue()
