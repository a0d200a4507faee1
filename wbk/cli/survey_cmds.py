"""``wbk ikm``, ``wbk ipak``, ``wbk ipkp``: survey indexes computed from a responses file."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from textwrap import shorten
from typing import TYPE_CHECKING, Annotated

import typer

from wbk.cli.common import user_errors
from wbk.errors import InvalidInput
from wbk.i18n import current_language, fmt_number, t

if TYPE_CHECKING:
    from wbk.surveys import perception
    from wbk.surveys.instruments import Instrument

# The survey code (pandas, numpy) is imported by the command that runs (see wbk.cli.lazy).


def _mapping(pairs: list[str] | None) -> dict[str, str] | None:
    from wbk.surveys import ikm

    if not pairs:
        return None
    out = {}
    for pair in pairs:
        element, sep, column = pair.partition("=")
        if not sep or element.strip().upper() not in ikm.ELEMENTS:
            raise InvalidInput("invalid.mapping", pair=pair)
        out[element.strip().upper()] = column.strip()
    # the elements not mapped here are read from columns already named U1..U9; the reader
    # names any element it still cannot find
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
    from rich.console import Console
    from rich.table import Table

    from wbk.surveys import ikm
    from wbk.surveys.export import ikm_to_dict
    from wbk.surveys.responses import read_responses

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


# --- wbk ipak / wbk ipkp: perception indexes from raw answers --------------------------------

SURVEY_TARGETS = {"ipak": "H.I.a", "ipkp": "H.II.a"}

FileArg = Annotated[Path, typer.Argument(help="CSV/XLSX: satu baris per responden")]
InstrumentOpt = Annotated[
    Path | None,
    typer.Option("--instrument", help="Berkas instrumen (YAML); bawaan: spak / spkp"),
]
ItemsOpt = Annotated[
    str | None, typer.Option("--items", help="Kolom butir berurutan, dipisah koma")
]
MapOpt = Annotated[list[str] | None, typer.Option("--map", help="KODE=Kolom (boleh diulang)")]
IdOpt = Annotated[str | None, typer.Option("--id-column", help="Kolom ID responden")]
ServiceOpt = Annotated[str | None, typer.Option("--by-service", help="Kolom jenis layanan")]
PopulationOpt = Annotated[
    int | None,
    typer.Option("--population", min=1, help="Jumlah penerima layanan pada periode itu"),
]
SkipOpt = Annotated[bool, typer.Option("--skip-invalid")]
JsonOpt = Annotated[bool, typer.Option("--json")]


def _item_mapping(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        code, sep, column = pair.partition("=")
        if not sep or not code.strip() or not column.strip():
            raise InvalidInput("perception.map_syntax", pair=pair)
        out[code.strip()] = column.strip()
    return out


def _perception(
    which: str,
    responses: Path,
    instrument_path: Path | None,
    items: str | None,
    map_: list[str] | None,
    id_column: str | None,
    by_service: str | None,
    population: int | None,
    skip_invalid: bool,
    as_json: bool,
) -> None:
    from wbk.surveys import perception
    from wbk.surveys.instruments import (
        DEFAULT_FOR_TARGET,
        TARGETS,
        default_instrument,
        load_instrument,
    )
    from wbk.surveys.perception import PerceptionError

    target = SURVEY_TARGETS[which]
    inst = (
        load_instrument(instrument_path)
        if instrument_path is not None
        else default_instrument(DEFAULT_FOR_TARGET[target])
    )
    if inst.target != target:
        # an instrument feeds one LKE item; IKM standing in for IPKP is not a CLI default
        raise PerceptionError(
            "perception.wrong_target" if inst.target else "perception.no_target",
            instrument=inst.id,
            found=inst.target,
            expected=target,
            index=TARGETS[target],
        )
    try:
        data = responses.read_bytes()
    except OSError:
        raise PerceptionError("ikm.unreadable", file=str(responses)) from None
    columns = [c.strip() for c in items.split(",")] if items else None
    computation = perception.compute_file(
        data,
        responses.name,
        inst,
        mapping=_item_mapping(map_),
        items=columns,
        id_column=id_column,
        service_column=by_service,
        skip_invalid=skip_invalid,
    )
    lang = current_language()
    overall = computation.overall
    out = perception.to_dict(overall, lang)
    if by_service is not None:
        out["by_service"] = {
            k: perception.to_dict(v, lang) for k, v in computation.by_service.items()
        }
    sample = None
    if population is not None:
        sample = perception.sample_check(population, overall.respondents)
        out["sample"] = {
            "population": sample.population,
            "minimum": sample.minimum,
            "met": sample.met,
        }
    skipped = [r.line for r in computation.responses.skipped]
    if skipped:
        out["skipped_rows"] = skipped
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    _print_perception(inst, computation, sample, skipped, lang)


def _print_perception(
    inst: Instrument,
    computation: perception.PerceptionComputation,
    sample: perception.SampleCheck | None,
    skipped: list[int],
    lang: str,
) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from wbk.surveys import perception
    from wbk.surveys.responses import MAX_LISTED

    console = Console(highlight=False)
    say = partial(console.print, soft_wrap=True)  # no hard wraps inside a sentence
    overall = computation.overall
    lo, hi = inst.scale_range
    say(
        t(
            "perception.cli.title",
            index=inst.index or inst.id.upper(),
            name=escape(inst.display_name(lang)),
            instrument=escape(inst.id),
            version=escape(inst.version),
            respondents=overall.respondents,
        )
    )
    table = Table()
    table.add_column(t("perception.cli.item"))
    table.add_column(t("perception.cli.question"))
    table.add_column(t("perception.cli.mean", min=lo, max=hi), justify="right")
    table.add_column(t("perception.cli.answers"), justify="right")
    for item in overall.items:
        table.add_row(
            escape(item.code),
            escape(shorten(inst.item_text(item.code, lang), 70, placeholder="…")),
            "-" if item.mean is None else fmt_number(item.mean, 2),
            str(item.answers),
        )
    console.print(table)
    mark = " *" if overall.uncertain else ""
    say(
        t(
            "perception.cli.summary",
            index=fmt_number(overall.index, 3),
            conversion=fmt_number(overall.conversion),
            points=fmt_number(overall.points),
            target=inst.target,
            mark=mark,
        )
    )
    if sample is not None:
        state = "perception.cli.sample_met" if sample.met else "perception.cli.sample_not_met"
        colour = "green" if sample.met else "red"
        say(
            t(
                "perception.cli.sample",
                respondents=fmt_number(sample.respondents, 0),
                minimum=fmt_number(sample.minimum, 0),
                population=fmt_number(sample.population, 0),
                state=f"[{colour}]{t(state)}[/{colour}]",
            )
        )
    notes = perception.uncertain_notes(overall, lang)
    if computation.by_service:
        say(t("perception.cli.by_service"))
        for label, result in computation.by_service.items():
            say(
                t(
                    "perception.cli.group",
                    label=escape(label),
                    index=fmt_number(result.index, 3),
                    conversion=fmt_number(result.conversion),
                    respondents=result.respondents,
                    mark=" *" if result.uncertain else "",
                )
            )
            group_notes = perception.uncertain_notes(result, lang)
            notes += [f"{label}: {n}" for n in group_notes if n not in notes]
    if skipped:
        shown = ", ".join(map(str, skipped[:MAX_LISTED]))
        if len(skipped) > MAX_LISTED:
            shown += " " + t("perception.more_rows", count=len(skipped) - MAX_LISTED)
        say(t("perception.cli.skipped", count=len(skipped), lines=shown))
    for note in notes:
        say(f"[dim]{escape(t('perception.cli.note', note=note))}[/dim]")


@user_errors
def ipak_command(
    responses: FileArg,
    instrument: InstrumentOpt = None,
    items: ItemsOpt = None,
    map_: MapOpt = None,
    id_column: IdOpt = None,
    by_service: ServiceOpt = None,
    population: PopulationOpt = None,
    skip_invalid: SkipOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Hitung IPAK (H.I.a) dari jawaban Survei Persepsi Anti Korupsi: rata-rata per butir,
    indeks 0–4, nilai konversi dan nilai LKE."""
    _perception(
        "ipak",
        responses,
        instrument,
        items,
        map_,
        id_column,
        by_service,
        population,
        skip_invalid,
        as_json,
    )


@user_errors
def ipkp_command(
    responses: FileArg,
    instrument: InstrumentOpt = None,
    items: ItemsOpt = None,
    map_: MapOpt = None,
    id_column: IdOpt = None,
    by_service: ServiceOpt = None,
    population: PopulationOpt = None,
    skip_invalid: SkipOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Hitung IPKP (H.II.a) dari jawaban Survei Persepsi Kualitas Pelayanan: rata-rata per
    butir, indeks 0–4, nilai konversi dan nilai LKE."""
    _perception(
        "ipkp",
        responses,
        instrument,
        items,
        map_,
        id_column,
        by_service,
        population,
        skip_invalid,
        as_json,
    )
