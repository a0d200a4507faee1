"""``wbk proposal requirement set|list`` and the printed form of a proposal check (PermenPANRB
5/2024's requirements beside the LKE's readiness), shared by ``proposal check`` and ``set``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors
from wbk.i18n import t

if TYPE_CHECKING:
    from wbk.services.portalrb.requirements import ProposalCheck

# Each command imports its services in its body (see wbk.cli.lazy).

requirement_app = typer.Typer(
    help="Syarat pengusulan PermenPANRB 5/2024 (tingkat instansi dan unit)",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Unit = Annotated[str, typer.Option("--unit", help="Kode unit")]
Year = Annotated[int, typer.Option("--year", help="Tahun evaluasi")]
MARKS = {True: "✓", False: "✗", None: "?"}


def print_check(check: ProposalCheck) -> None:
    """The check as a person reads it: the verdict, then every requirement and LKE check."""
    typer.echo(
        t(
            "syarat.check.title",
            unit=check.unit,
            name=check.unit_name,
            predicate=check.predicate,
            year=check.year,
        )
    )
    typer.echo("  " + t("syarat.check.ready" if check.ready else "syarat.check.not_ready"))
    if check.exempt:
        typer.echo("  " + t("syarat.check.exempt"))
    typer.echo("  " + t("syarat.check.requirements", regulation=check.regulation))
    for r in check.requirements:
        value = r.shown if r.value is not None else t("syarat.check.unknown")
        where = f" ({t('syarat.check.from_unit', unit=r.set_on)})" if r.set_on else ""
        need = f" [{r.required}]" if r.required else ""
        typer.echo(f"    {MARKS[r.met]} {r.label}: {value}{need}{where}")
    typer.echo("  " + t("syarat.check.lke"))
    for c in check.lke:
        typer.echo(f"    {MARKS[c.met]} {c.message}")


@requirement_app.command("set")
@user_errors
def requirement_set(
    unit: Unit,
    year: Year,
    key: Annotated[str, typer.Argument(help="Kunci syarat, mis. opini_bpk, sakip, spip_level")],
    value: Annotated[str, typer.Argument(help="Nilainya, mis. WTP, BB, 3, ya, 100, 2025")],
    evidence: Annotated[
        int | None, typer.Option("--evidence", help="Nomor data dukung yang menunjukkannya")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Catatan")] = None,
    as_user: AsUser = None,
) -> None:
    """Catat satu syarat pengusulan untuk unit dan tahun evaluasi; syarat tingkat instansi
    berlaku bagi semua unit di bawahnya."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import requirements

    ws = open_workspace()
    status = requirements.set_requirement(
        ws, actor(ws, as_user), unit, year, key, value, evidence, note
    )
    typer.echo(
        t("syarat.req.recorded", label=status.label, unit=unit, year=year, value=status.value)
    )


@requirement_app.command("list")
@user_errors
def requirement_list(
    unit: Unit,
    year: Year,
    predicate: Annotated[
        str | None, typer.Option("--predicate", help="WBK atau WBBM (bawaan: usulannya)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sebagai JSON")] = False,
    as_user: AsUser = None,
) -> None:
    """Syarat pengusulan unit: nilai, dari unit mana, dan apakah terpenuhi."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import requirements

    ws = open_workspace()
    check = requirements.check(ws, actor(ws, as_user), unit, year, predicate)
    if as_json:
        rows = [r.to_dict() for r in check.requirements]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print_check(check)
