"""``wbk plan``: the cheapest answer changes that pass every WBK/WBBM gate, or the best total
within an effort budget, for an answers CSV or a stored assessment."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import shorten
from typing import TYPE_CHECKING, Annotated

import typer

from wbk.cli.common import user_errors
from wbk.errors import InvalidInput
from wbk.i18n import fmt_number, fmt_short, gate_label, t

if TYPE_CHECKING:
    from rich.console import Console

    from wbk.catalog import Catalog
    from wbk.planner import Plan


@user_errors
def plan_command(
    answers: Annotated[
        Path | None, typer.Argument(help="CSV jawaban: kolom code,answer[,note]")
    ] = None,
    assessment: Annotated[
        int | None, typer.Option("--assessment", help="Penilaian tersimpan (id)")
    ] = None,
    tier: Annotated[str, typer.Option("--tier", help="self atau tpi")] = "self",
    target: Annotated[
        str | None,
        typer.Option("--target", help="WBK atau WBBM (bawaan: predikat terendah katalog)"),
    ] = None,
    effort: Annotated[
        Path | None,
        typer.Option("--effort", help="CSV upaya per tingkat: kolom code,effort (bawaan 1)"),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option("--budget", help="Anggaran upaya: nilai tertinggi yang tercapai dengannya"),
    ] = None,
    catalog: Annotated[
        Path | None, typer.Option("--catalog", help="Berkas katalog kriteria (YAML)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help="Bertindak sebagai pengguna")] = None,
) -> None:
    """Rencana termurah yang memenuhi semua syarat WBK/WBBM, atau nilai tertinggi dalam anggaran."""
    from wbk.planner import parse_budget, read_effort_rows

    if (answers is None) == (assessment is None):
        raise InvalidInput("plan.source")
    target = target.strip().upper() if target else None  # None: the catalog's lowest
    cap = parse_budget(budget)
    rows = read_effort_rows(effort) if effort is not None else None
    if assessment is not None:
        from wbk.cli.common import actor
        from wbk.services.core.workspace import open_workspace
        from wbk.services.plan.planning import plan_for_assessment

        ws = open_workspace()
        result = plan_for_assessment(
            ws, actor(ws, as_user), assessment, tier, target, efforts=rows, budget=cap
        )
        cat = ws.catalog(result.catalog_id)
    else:  # a file: the catalog, scoring and planner only, no database
        from wbk.catalog import in_force, load_catalog
        from wbk.formats.answers_csv import read_answer_rows
        from wbk.planner import effort_model, plan
        from wbk.scoring import parse_answers
        from wbk.settings import get_settings

        cat = in_force(load_catalog(catalog), get_settings())
        answer_set = parse_answers(cat, read_answer_rows(answers))
        result = plan(cat, answer_set, target, effort_model(cat, rows), cap)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_plan(cat, result)


def print_plan(catalog: Catalog, result: Plan, console: Console | None = None) -> None:
    """The plan as readable tables: before/after, the steps in LKE order, what blocks it."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(highlight=False, soft_wrap=False)
    n = fmt_number
    target = result.target
    if result.budget is None:
        console.print(f"[bold]{t('plan.cli.title', target=target)}[/bold]")
    else:
        title = t("plan.cli.budget_title", budget=fmt_short(result.budget), target=target)
        console.print(f"[bold]{title}[/bold]")

    standing = Table(title=t("plan.cli.standing_title"), title_justify="left")
    standing.add_column(t("plan.cli.measure"))
    standing.add_column(t("plan.cli.before"), justify="right")
    standing.add_column(t("plan.cli.after"), justify="right")
    b, a = result.before, result.after
    standing.add_row(t("plan.cli.total"), n(b.total), n(a.total))
    standing.add_row(t("plan.cli.pengungkit"), n(b.pengungkit), n(a.pengungkit))
    standing.add_row(t("plan.cli.status", target=target), _met(b.passed), _met(a.passed))
    console.print(standing)

    if result.steps:
        steps = Table(title=t("plan.cli.steps_title"), title_justify="left")
        steps.add_column(t("plan.cli.question"))
        steps.add_column(t("plan.cli.from"))
        steps.add_column(t("plan.cli.to"))
        steps.add_column(t("plan.cli.gain"), justify="right")
        steps.add_column(t("plan.cli.effort"), justify="right")
        for s in result.steps:
            text = shorten(catalog.items[s.code].text, 60, placeholder="…")
            steps.add_row(
                f"{s.code} {text}",
                s.from_answer if s.from_answer is not None else t("plan.cli.unanswered"),
                s.to_answer,
                f"+{n(s.gain)}",
                fmt_short(s.effort),
            )
        console.print(steps)
        console.print(t("plan.cli.sum", effort=fmt_short(result.effort), gain=n(result.gain)))

    if result.budget is not None:
        if not result.steps:
            console.print(t("plan.cli.no_steps"))
        if result.feasible:
            console.print(f"[green]{t('plan.cli.budget_passes', target=target)}[/green]")
        else:
            gates = ", ".join(gate_label(g) for g in result.gates_failing)
            console.print(f"[red]{t('plan.cli.budget_short', target=target, gates=gates)}[/red]")
    elif result.blockers:
        console.print(f"[red]{t('plan.cli.blocked', target=target)}[/red]")
    elif result.before.passed:
        console.print(f"[green]{t('plan.cli.already', target=target)}[/green]")
    else:
        console.print(f"[green]{t('plan.cli.feasible', target=target)}[/green]")
    for blocker in result.blockers:
        console.print(f"  - {blocker.message()}")


def _met(passed: bool) -> str:
    return (
        f"[green]{t('plan.cli.met')}[/green]" if passed else f"[red]{t('plan.cli.not_met')}[/red]"
    )
