"""Readable terminal tables of a ScoreCard, all text through t()."""

from __future__ import annotations

from textwrap import shorten

from wbk.catalog import Catalog
from wbk.cli.text_table import TextConsole, TextTable
from wbk.i18n import current_language, fmt_number, gate_label, gate_mark, t
from wbk.scoring.scorecard import ScoreCard


def print_scorecard(catalog: Catalog, card: ScoreCard, console: TextConsole | None = None) -> None:
    console = console or TextConsole()
    n = fmt_number
    name = catalog.name_en if current_language() == "en" and catalog.name_en else catalog.name
    console.print(f"[bold]{t('cli.catalog')}:[/bold] {name} ({catalog.id})")

    areas = TextTable(title=t("cli.areas_title"))
    areas.add_column(t("cli.area"))
    for head in ("cli.pemenuhan", "cli.reform", "cli.combined"):
        areas.add_column(t(head), justify="right")
    for info in catalog.areas:
        cells = []
        parts = [catalog.area_key(part, info.code) for part in catalog.part_codes]
        for key in (*parts, info.code):
            sub = card.areas[key]
            cells.append(f"{n(sub.score)} / {n(sub.weight)} ({n(sub.ratio * 100)}%)")
        area_name = info.name_en if current_language() == "en" and info.name_en else info.name
        areas.add_row(f"{info.code} {area_name}", *cells)
    console.print(areas)

    summary = TextTable(title=t("cli.summary_title"))
    summary.add_column(t("cli.component"))
    summary.add_column(t("cli.score"), justify="right")
    summary.add_column(t("cli.weight"), justify="right")
    summary.add_column(t("cli.percent"), justify="right")
    rows = [
        ("cli.pemenuhan", card.components["pemenuhan"]),
        ("cli.reform", card.components["reform"]),
        ("cli.pengungkit", card.components["pengungkit"]),
    ]
    rows += [
        (f"results.{k}", card.results[k])
        for k in ("ipak", "capaian_kinerja", "bersih_akuntabel", "ipkp", "pelayanan_prima")
    ]
    rows += [("cli.hasil", card.components["hasil"]), ("cli.total", card.components["total"])]
    for key, sub in rows:
        bold = key in ("cli.pengungkit", "cli.hasil", "cli.total")
        label = f"[bold]{t(key)}[/bold]" if bold else t(key)
        summary.add_row(label, n(sub.score), n(sub.weight), n(sub.ratio * 100))
    console.print(summary)

    any_uncertain = any_stricter = False
    for pid, verdict in card.verdicts.items():
        status = t("cli.passed") if verdict.passed else t("cli.failed")
        colour = "green" if verdict.passed else "red"
        table = TextTable(
            title=f"{t('cli.verdict_title', predicate=pid)}: [{colour}]{status}[/{colour}]"
        )
        table.add_column(t("cli.gate"))
        table.add_column(t("cli.value"), justify="right")
        table.add_column(t("cli.minimum"), justify="right")
        table.add_column(t("cli.status"))
        for gate in sorted(verdict.gates, key=lambda g: g.passed or not g.applies):
            any_uncertain |= gate.uncertain
            any_stricter |= gate.stricter and gate.applies
            if not gate.applies:
                state = f"[dim]{t('cli.not_applied')}[/dim]"
            elif gate.passed:
                state = f"[green]{t('cli.ok')}[/green]"
            else:
                state = f"[red]{t('cli.fail')}[/red]"
            mark = gate_mark(gate)
            table.add_row(gate_label(gate.id) + mark, n(gate.value), n(gate.minimum), state)
        console.print(table)
        if verdict.failing:
            console.print(
                t("cli.failing_gates", gates=", ".join(gate_label(g.id) for g in verdict.failing))
            )
    if any_uncertain:
        console.print(f"[dim]{t('cli.uncertain_note')}[/dim]")
    if any_stricter:
        console.print(f"[dim]{t('cli.stricter_note')}[/dim]")

    gaps = card.gaps(10)
    if gaps:
        table = TextTable(title=t("cli.gaps_title"))
        table.add_column(t("cli.question"))
        table.add_column(t("cli.recoverable"), justify="right")
        for q in gaps:
            text = catalog.items[q.code].text
            table.add_row(f"{q.code} {shorten(text, 72, placeholder='…')}", f"+{n(q.recoverable)}")
        console.print(table)
    if card.unanswered:
        console.print(t("cli.unanswered", count=len(card.unanswered)))
