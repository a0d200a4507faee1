"""``wbk portfolio``: every unit below a Kanwil / ministry unit for one year, as a table,
JSON or an xlsx file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import user_errors
from wbk.i18n import fmt_number, t


@user_errors
def portfolio_command(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit induk (Kanwil, kementerian)")],
    year: Annotated[
        int | None, typer.Option("--year", help="Tahun penilaian (bawaan: tahun ini)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Tulis tabel ke berkas xlsx ini")
    ] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="Bertindak sebagai pengguna")] = None,
) -> None:
    """Portofolio: semua unit di bawah unit induk, nilai mandiri dan TPI, syarat WBK, usulan."""
    from wbk.cli.common import actor
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portfolio import portfolio as portfolio_service

    ws = open_workspace()
    p = portfolio_service.build_portfolio(ws, actor(ws, as_user), unit, year or date.today().year)
    if xlsx is not None:
        from wbk.services.portfolio import rank as portfolio_rank  # openpyxl

        xlsx.write_bytes(portfolio_rank.to_xlsx(p))
    if as_json:
        typer.echo(p.to_json())
        return
    if xlsx is not None:
        typer.echo(t("portfolio.cli.written", path=str(xlsx)))
    _table(p)


def _num(value: float | None) -> str:
    return "—" if value is None else fmt_number(value)


def _table(p) -> None:  # a services.portfolio.Portfolio
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=t("portfolio.cli.header", unit=p.parent, name=p.parent_name, year=p.year))
    for key in ("unit", "status", "total", "tpi_total", "overclaim", "verdict"):
        table.add_column(t(f"portfolio.col.{key}"))
    table.add_column(t("portfolio.col.failing_gates"), overflow="fold")
    for key in ("evidence_coverage", "open_notes", "requirements", "proposal"):
        table.add_column(t(f"portfolio.col.{key}"))
    for r in p.rows:
        verdict = (
            t("portfolio.verdict.wbbm")
            if r.wbbm_passed
            else t("portfolio.verdict.wbk")
            if r.wbk_passed
            else t("portfolio.verdict.none")
            if r.assessed
            else t("portfolio.verdict.unassessed")
        )
        coverage = "—" if r.evidence_coverage is None else f"{r.evidence_coverage:.0%}"
        table.add_row(
            r.unit,
            r.status or "—",
            _num(r.total),
            _num(r.tpi_total),
            _num(r.overclaim),
            verdict,
            " ".join(g.removeprefix("area:") for g in r.failing_gates),
            coverage,
            str(r.open_notes) if r.assessed else "—",
            r.requirements.label() if r.requirements else "",
            r.proposal or "",
        )
    console.print(table)
    s = p.summary
    console.print(
        t(
            "portfolio.cli.summary",
            units=s.units,
            assessed=s.assessed,
            wbk_ready=s.wbk_ready,
            mean=_num(s.mean_total),
        )
    )
