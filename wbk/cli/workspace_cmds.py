"""Workspace commands: init, unit, user, assessment, answers, evidence, verify, backup, restore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wbk.cli import listing_cmds
from wbk.cli.common import AsUser, actor, parse_date, user_errors
from wbk.errors import InvalidInput
from wbk.i18n import t

if TYPE_CHECKING:
    from wbk.services.assessment.answer_import import ImportPlan
    from wbk.services.yearly.carry import CarryResult

# Each command imports its services in its body: ``wbk unit add`` does not load the carry,
# evidence or PortalRB import code of the other commands here.

unit_app = typer.Typer(help="Unit kerja", no_args_is_help=True, rich_markup_mode=None)
assessment_app = typer.Typer(
    help="Penilaian (satu per unit per tahun)", no_args_is_help=True, rich_markup_mode=None
)
answers_app = typer.Typer(help="Jawaban LKE", no_args_is_help=True, rich_markup_mode=None)
evidence_app = typer.Typer(help="Data dukung", no_args_is_help=True, rich_markup_mode=None)


@unit_app.command("add")
@user_errors
def unit_add(
    code: str,
    name: str,
    parent: Annotated[str | None, typer.Option("--parent", help="Kode unit induk")] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="kanwil, satker, kua, madrasah...")
    ] = "satker",
    as_user: AsUser = None,
) -> None:
    """Tambah unit kerja."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people

    ws = open_workspace()
    view = people.add_unit(ws, actor(ws, as_user), code, name, parent, kind)
    typer.echo(t("ws.unit_added", code=view.code, name=view.name))


@assessment_app.command("create")
@user_errors
def assessment_create(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit")],
    year: Annotated[int, typer.Option("--year", help="Tahun penilaian")],
    catalog: Annotated[
        str | None,
        typer.Option("--catalog", help="Versi LKE (bawaan lke-zi-2021, atau katalog --from)"),
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Batas usulan (bawaan 31 Mei tahun itu)")
    ] = None,
    source: Annotated[
        int | None,
        typer.Option("--from", help="Mulai dari penilaian ini (tahun lalu unit yang sama)"),
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Buat penilaian (atau bawa dari tahun lalu dengan --from); baris terakhir keluaran
    adalah id-nya."""
    from wbk.catalog import DEFAULT_CATALOG_ID
    from wbk.services.assessment import assessments
    from wbk.services.core.workspace import open_workspace
    from wbk.services.yearly import carry

    ws = open_workspace()
    if source is not None:
        result = carry.create_from(
            ws, actor(ws, as_user), unit, year, source, catalog, parse_date(deadline)
        )
        _print_carry(result)
        view = result.assessment
    else:
        view = assessments.create_assessment(
            ws, actor(ws, as_user), unit, year, catalog or DEFAULT_CATALOG_ID, parse_date(deadline)
        )
    typer.echo(
        t("ws.assessment_created", unit=view.unit_code, year=view.year, catalog=view.catalog_id)
    )
    typer.echo(str(view.id))


def _print_carry(result: CarryResult) -> None:
    typer.echo(
        t(
            "yearly.carried",
            year=result.source_year,
            id=result.source_id,
            questions=result.questions,
            narratives=result.narratives,
            documents=result.documents,
            revisions=result.revisions,
        )
    )
    if result.not_carried:
        typer.echo(t("yearly.not_carried", count=len(result.not_carried)))
        for m in result.not_carried:
            reason = t(f"yearly.reason.{m.reason}", source=m.source or "-")
            typer.echo(f"  {m.code}: {reason}")


@assessment_app.command("confirm")
@user_errors
def assessment_confirm(
    assessment: Annotated[int, typer.Option("--assessment")],
    question: Annotated[
        list[str] | None, typer.Option("--question", help="Kode pertanyaan (boleh >1)")
    ] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="Semua yang kodenya diawali ini, mis. P.MP.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Konfirmasi jawaban yang dibawa dari tahun lalu sebagai jawaban unit."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.yearly import carry

    ws = open_workspace()
    codes = carry.confirm(ws, actor(ws, as_user), assessment, question or None, prefix)
    typer.echo(t("yearly.confirmed", count=len(codes)))


@assessment_app.command("status")
@user_errors
def assessment_status(
    assessment: Annotated[int, typer.Option("--assessment")],
    status: Annotated[str, typer.Argument(help="draft, submitted, reviewed, locked")],
    as_user: AsUser = None,
) -> None:
    """Ubah status penilaian (ajukan ke TPI, tandai direviu, kunci)."""
    from wbk.services.assessment import assessments
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    view = assessments.set_status(ws, actor(ws, as_user), assessment, status)
    typer.echo(t("ws.status", id=view.id, status=view.status))


@answers_app.command("import")
@user_errors
def answers_import(
    file: Path,
    assessment: Annotated[int, typer.Option("--assessment")],
    tier: Annotated[str, typer.Option("--tier", help="self atau tpi")] = "self",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Hanya pratinjau")] = False,
    as_user: AsUser = None,
) -> None:
    """Impor jawaban dari CSV (code,answer[,note]) atau JSON PortalRB (isi /lke/jawaban-unit);
    semua baris valid atau tidak ada yang masuk. Tanpa kolom note (atau kunci catatan_unit)
    penjelasan yang tersimpan tetap; sel note kosong menghapusnya. Pratinjau dulu, lalu
    diterapkan."""
    from wbk.formats.answers_csv import read_answer_rows
    from wbk.services.assessment import answer_import
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import answers as portalrb_answers

    ws = open_workspace()
    who = actor(ws, as_user)
    if portalrb_answers.is_portalrb_file(file):
        if tier != "self":
            raise InvalidInput("portalrb_api.import.self_only", tier=tier)
        body = portalrb_answers.read_body(file)
        _show_plan(portalrb_answers.preview_portalrb_answers(ws, who, assessment, body))
        if dry_run:
            return
        changed = portalrb_answers.import_portalrb_answers(ws, who, assessment, body)
        typer.echo(t("portalrb_api.cli.imported", changed=changed, file=file.name))
        return
    rows = read_answer_rows(file)
    _show_plan(answer_import.preview_import(ws, who, assessment, rows, tier))
    if dry_run:
        return
    changed = answer_import.import_answers(ws, who, assessment, rows, tier)
    typer.echo(t("ws.imported", changed=changed, rows=len(rows), tier=tier))


def _show_plan(plan: ImportPlan) -> None:
    """Each change an import would make (its line, code and what changes), then the counts."""
    for change in plan.changes:
        typer.echo(f"{change.where or '':>6}  {change.code:<14} {change.describe()}")
    typer.echo(t("cli.preview_rows", changes=len(plan.changes), unchanged=plan.unchanged))


@evidence_app.command("add")
@user_errors
def evidence_add(
    file: Path,
    assessment: Annotated[int, typer.Option("--assessment")],
    question: Annotated[list[str], typer.Option("--question", help="Kode pertanyaan (boleh >1)")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    doc_date: Annotated[str | None, typer.Option("--date", help="Tanggal dokumen")] = None,
    valid_until: Annotated[str | None, typer.Option("--valid-until")] = None,
    as_user: AsUser = None,
) -> None:
    """Unggah berkas data dukung dan kaitkan dengan pertanyaan; mencetak id dan SHA-256."""
    from wbk.services.assessment import evidence
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    if not file.is_file():
        raise InvalidInput("invalid.file", file=str(file))
    view = evidence.add_file(
        ws,
        actor(ws, as_user),
        assessment,
        question,
        file,
        file.name,
        title,
        parse_date(doc_date),
        parse_date(valid_until),
    )
    typer.echo(f"{view.id} {view.latest.sha256}")


listing_cmds.register(answers_app, evidence_app)  # wbk answers export, wbk evidence list


@user_errors
def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Hanya bila belum ada pengguna")
    ] = False,
) -> None:
    """Isi ruang kerja dengan unit contoh dan cetak akun demo."""
    from wbk.services import demo as demo_service
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    if not demo_service.is_empty(ws):
        if if_empty:
            typer.echo(t("ws.demo_skipped"))
            return
        raise InvalidInput("invalid.demo_not_empty")
    assessment_id = demo_service.create_demo(ws)
    typer.echo(t("ws.demo_created", id=assessment_id))
    for username, name, role, unit, _areas in demo_service.DEMO_USERS:
        typer.echo(
            f"  {username:<12} {demo_service.DEMO_PASSWORD}   {role:<12} {unit or '*'}  {name}"
        )


@user_errors
def snapshot(
    assessment: Annotated[int, typer.Option("--assessment")],
    tier: Annotated[str, typer.Option("--tier")] = "self",
    as_user: AsUser = None,
) -> None:
    """Simpan nilai saat ini untuk grafik tren (cocok dijalankan terjadwal)."""
    from wbk.services.assessment.dashboard import take_snapshot
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    snap = take_snapshot(ws, actor(ws, as_user), assessment, tier)
    typer.echo(t("ws.snapshot", id=assessment, total=snap.total))
