"""``wbk ikm``: the public satisfaction index of a responses file (PermenPANRB 14/2017)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wbk.cli.common import user_errors
from wbk.errors import InvalidInput
from wbk.i18n import current_language, fmt_number, t
from wbk.surveys import ikm
from wbk.surveys.export import ikm_to_dict
from wbk.surveys.responses import read_responses


def _mapping(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        element, sep, column = pair.partition("=")
        if not sep or element.strip().upper() not in ikm.ELEMENTS:
            raise InvalidInput("invalid.mapping", pair=pair)
        out[element.strip().upper()] = column.strip()
    missing = [e for e in ikm.ELEMENTS if e not in out]
    if missing:
        raise InvalidInput("invalid.mapping_missing", elements=", ".join(missing))
    return out


@user_errors
def ikm_command(
    responses: Annotated[Path, typer.Argument(help="CSV/XLSX: satu baris per responden")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    weights: Annotated[
        str, typer.Option("--weights", help="exact (1/9) atau legacy (0,111)")
    ] = "exact",
    service_column: Annotated[
        str | None, typer.Option("--service-column", help="Kolom jenis layanan")
    ] = None,
    date_column: Annotated[str | None, typer.Option("--date-column", help="Kolom tanggal")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="U1=KolomA (ulang 9 kali)")
    ] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid")] = False,
) -> None:
    """Hitung NRR per unsur, indeks, IKM dan mutu pelayanan dari jawaban survei."""
    if weights not in ikm.WEIGHTS:
        raise InvalidInput("invalid.weights", weights=weights)
    data = read_responses(
        responses,
        mapping=_mapping(map_),
        service_column=service_column,
        date_column=date_column,
        skip_invalid=skip_invalid,
    )
    result = ikm.compute(data.answers, weights)
    lang = current_language()
    out = ikm_to_dict(result, lang)
    if data.service is not None:
        out["by_service"] = {
            k: ikm_to_dict(v, lang)
            for k, v in ikm.compute_groups(data.answers, data.service, weights).items()
        }
    if data.period is not None:
        out["by_period"] = {
            k: ikm_to_dict(v, lang)
            for k, v in ikm.compute_groups(data.answers, data.period, weights).items()
        }
    if data.skipped:
        out["skipped_rows"] = [line for line, _ in data.skipped]
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    table = Table(title=t("ikm.title", respondents=result.respondents), title_justify="left")
    for head in ("ikm.element", "ikm.nrr", "ikm.weighted"):
        table.add_column(t(head), justify="left" if head == "ikm.element" else "right")
    for e in result.elements:
        table.add_row(
            f"{e.element} {ikm.ELEMENT_NAMES[e.element]}",
            fmt_number(e.nrr, 3),
            fmt_number(e.weighted, 3),
        )
    console.print(table)
    console.print(
        t(
            "ikm.summary",
            index=fmt_number(result.index, 3),
            ikm=fmt_number(result.ikm),
            category=result.category,
            label=ikm.category_label(result.category, lang),
        )
    )
    for key, title in (("by_service", "ikm.by_service"), ("by_period", "ikm.by_period")):
        if key in out:
            console.print(t(title))
            for label, item in out[key].items():
                console.print(
                    f"  {label}: {fmt_number(item['ikm'])} ({item['category']}, "
                    f"n={item['respondents']})"
                )
    if data.skipped:
        console.print(t("ikm.skipped", count=len(data.skipped)))
