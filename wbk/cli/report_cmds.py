"""Document commands: the Word report, the LKE workbook (out and in), the evidence binder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors
from wbk.i18n import current_language, t

Assessment = Annotated[int, typer.Option("--assessment", help="Id penilaian")]
Out = Annotated[Path, typer.Option("--out", help="Berkas keluaran")]
Tier = Annotated[str, typer.Option("--tier", help="self atau tpi")]


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    typer.echo(t("cli.written", file=str(path), size=f"{len(data) / 1024:.0f}"))


@user_errors
def report(
    assessment: Assessment,
    out: Out,
    tier: Tier = "self",
    lang: Annotated[str | None, typer.Option("--lang", help="id atau en")] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Tulis PDF (perlu LibreOffice/soffice), bukan .docx")
    ] = False,
    pre_review: Annotated[
        bool,
        typer.Option("--pre-review", help="Tambahkan kolom pra-reviu data dukung di kertas kerja"),
    ] = False,
    as_user: AsUser = None,
) -> None:
    """Laporan Penilaian Mandiri Zona Integritas (.docx, atau .pdf dengan --pdf)."""
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    who, lang = actor(ws, as_user), lang or current_language()
    if pdf:
        from wbk.services.assessment import report_pdf

        _write(out, report_pdf.pdf_report(ws, who, assessment, tier, lang, pre_review))
        return
    from wbk.services.assessment import reports

    _write(out, reports.word_report(ws, who, assessment, tier, lang, pre_review))


@user_errors
def export_xlsx(
    assessment: Assessment, out: Out, tier: Tier = "self", as_user: AsUser = None
) -> None:
    """Ekspor penilaian ke .xlsx berformat LKE dengan rumus nilai yang hidup."""
    from wbk.services.assessment import reports
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    _write(out, reports.excel_export(ws, actor(ws, as_user), assessment, tier, current_language()))


@user_errors
def import_xlsx(
    file: Path,
    assessment: Assessment,
    tier: Tier = "self",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Hanya pratinjau")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Terapkan baris yang valid saja")
    ] = False,
    as_user: AsUser = None,
) -> None:
    """Impor jawaban dari buku kerja LKE: pratinjau, lalu terapkan (teraudit)."""
    from wbk.services.assessment import reports
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    who = actor(ws, as_user)
    preview = reports.preview_workbook(ws, who, assessment, file, tier)
    for change in preview.changes:
        typer.echo(f"{change.where or '':>6}  {change.code:<14} {change.describe()}")
    for problem in preview.problems:
        typer.echo(t("cli.cell_problem", problem=problem.message()), err=True)
    typer.echo(
        t(
            "cli.preview",
            changes=len(preview.changes),
            unchanged=preview.unchanged,
            problems=len(preview.problems),
        )
    )
    if dry_run:
        return
    changed, _ = reports.import_workbook(ws, who, assessment, file, tier, skip_invalid)
    typer.echo(t("ws.imported", changed=changed, rows=len(preview.rows), tier=tier))


@user_errors
def binder(assessment: Assessment, out: Out, as_user: AsUser = None) -> None:
    """Berkas data dukung untuk TPN (.zip): folder per pertanyaan, manifest, laporan."""
    from wbk.services.assessment import reports
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    reports.evidence_binder(ws, actor(ws, as_user), assessment, current_language(), target=out)
    typer.echo(t("cli.written", file=str(out), size=f"{out.stat().st_size / 1024:.0f}"))
