"""What the pages show, for scripts: ``wbk evidence list``, ``wbk answers export`` and
``wbk notes list``. The export writes the columns ``wbk answers import`` reads, so exporting
and importing the file again changes nothing."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors
from wbk.errors import InvalidInput

Assessment = Annotated[int, typer.Option("--assessment", help="Id penilaian")]
AsJson = Annotated[bool, typer.Option("--json", help="Sebagai JSON")]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _print(rows: list[dict], as_json: bool) -> None:
    """JSON, or tab-separated lines under a header of the same field names."""
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        return
    typer.echo("\t".join(rows[0]))
    for row in rows:
        cells = [
            ",".join(v) if isinstance(v, list) else "" if v is None else str(v)
            for v in row.values()
        ]
        typer.echo("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))


def evidence_list(
    assessment: Assessment,
    question: Annotated[
        str | None, typer.Option("--question", help="Hanya dokumen pada pertanyaan ini")
    ] = None,
    as_json: AsJson = False,
    as_user: AsUser = None,
) -> None:
    """Daftar data dukung penilaian (termasuk yang ditarik): id, judul, SHA-256, tanggal,
    berlaku sampai, pertanyaan, ditarik."""
    from wbk.services.assessment.evidence_views import list_evidence
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    docs = list_evidence(ws, actor(ws, as_user), assessment, include_retired=True)
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "sha256": d.latest.sha256 if d.latest else None,
            "date": _day(d.document_date),
            "valid_until": _day(d.valid_until),
            "questions": list(d.codes),
            "retired": d.retired,
        }
        for d in docs
        if question is None or question in d.codes
    ]
    _print(rows, as_json)


def answers_export(
    assessment: Assessment,
    tier: Annotated[str, typer.Option("--tier", help="self atau tpi")] = "self",
    fmt: Annotated[str, typer.Option("--format", help="csv atau json")] = "csv",
    as_user: AsUser = None,
) -> None:
    """Ekspor jawaban tersimpan satu tingkat (self/tpi) ke stdout dalam kolom yang dibaca
    ``wbk answers import`` (code,answer,note): impor ulang berkasnya tidak mengubah apa pun."""
    from wbk.services.assessment import assessments
    from wbk.services.core.workspace import open_workspace

    if fmt not in ("csv", "json"):
        raise InvalidInput("dayfix.export_format", value=fmt, formats="csv, json")
    ws = open_workspace()
    answers = assessments.answers_of(ws, actor(ws, as_user), assessment, tier)
    rows = [
        {"code": code, "answer": a.value or "", "note": a.narrative or ""}
        for code, a in sorted(answers.items())
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, ["code", "answer", "note"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    sys.stdout.write(out.getvalue())


@user_errors
def notes_list(
    assessment: Assessment,
    open_only: Annotated[
        bool, typer.Option("--open", help="Hanya catatan yang masih terbuka")
    ] = False,
    as_json: AsJson = False,
    as_user: AsUser = None,
) -> None:
    """Daftar catatan reviu penilaian: id, pertanyaan, status, tingkat, pemilik, tenggat,
    catatan, tanggapan."""
    from wbk.services.assessment.notes import list_notes
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    notes = list_notes(ws, actor(ws, as_user), assessment)
    rows = [
        {
            "id": n.id,
            "code": n.code,
            "status": n.status,
            "severity": n.severity,
            "owner": n.owner,
            "due_date": _day(n.due_date),
            "text": n.text,
            "response": n.response,
            "created_by": n.created_by,
            "created_at": n.created_at.isoformat(timespec="seconds"),
        }
        for n in notes
        if not open_only or n.status == "open"
    ]
    _print(rows, as_json)


def register(answers_app: typer.Typer, evidence_app: typer.Typer) -> None:
    """``wbk answers export`` and ``wbk evidence list`` beside the groups' other commands."""
    answers_app.command("export")(user_errors(answers_export))
    evidence_app.command("list")(user_errors(evidence_list))
