"""``wbk kiosk``: the survey form's keys at the service counter (create, list, revoke) and the
poster with its link, as on the Survei page, by the same services and permissions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors

kiosk_app = typer.Typer(
    help="Formulir survei di loket: kunci dan poster", no_args_is_help=True, rich_markup_mode=None
)
key_app = typer.Typer(help="Kunci formulir survei", no_args_is_help=True, rich_markup_mode=None)
kiosk_app.add_typer(key_app, name="key")


@key_app.command("create")
@user_errors
def key_create(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit")],
    period: Annotated[str, typer.Option("--period", help="Periode, mis. 2026-S1")],
    label: Annotated[str, typer.Option("--label", help="Nama loket")] = "",
    instrument: Annotated[
        list[str] | None, typer.Option("--instrument", help="skm, spkp, spak (boleh diulang)")
    ] = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", help="Jenis layanan (boleh diulang)")
    ] = None,
    poster: Annotated[
        Path | None, typer.Option("--poster", help="Tulis poster A4 (.pdf atau .png) ke sini")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Buat kunci formulir survei; mencetak id dan tautan formulir (di alamat aplikasi,
    WBK_APP_URL). Kuncinya hanya tampil sekali: simpan posternya dengan --poster."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.surveys import kiosk

    ws = open_workspace()
    who = actor(ws, as_user)
    chosen = tuple(instrument) if instrument else kiosk.INSTRUMENTS
    created = kiosk.create_key(ws, who, unit, period, label, chosen, tuple(service or ()))
    url = kiosk.form_url(unit, created.secret, settings=ws.settings)
    typer.echo(f"{created.view.id} {url}")
    if poster is not None:
        png, pdf = kiosk.poster(created.view.unit_code, url)
        poster.write_bytes(png if poster.suffix.lower() == ".png" else pdf)


@key_app.command("list")
@user_errors
def key_list(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_user: AsUser = None,
) -> None:
    """Kunci formulir unit (terbaru dulu, yang dicabut juga) dengan jumlah jawabannya."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.surveys import kiosk

    ws = open_workspace()
    keys = kiosk.list_keys(ws, actor(ws, as_user), unit)
    rows = [
        {
            "id": k.id,
            "unit": k.unit_code,
            "period": k.period,
            "label": k.label,
            "instruments": list(k.instruments),
            "active": k.active,
            "responses": k.responses,
            "created_by": k.created_by,
        }
        for k in keys
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        state = "aktif" if r["active"] else "dicabut"
        line = f"{r['id']:>4}  {r['period']:<10} {state:<8} {r['responses']:>5}  {r['label']}"
        typer.echo(line)


@key_app.command("revoke")
@user_errors
def key_revoke(
    key: Annotated[int, typer.Argument(help="Id kunci")],
    as_user: AsUser = None,
) -> None:
    """Cabut kunci: tautan dan posternya berhenti bekerja seketika (jawabannya tetap)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.surveys import kiosk

    ws = open_workspace()
    view = kiosk.revoke_key(ws, actor(ws, as_user), key)
    typer.echo(f"{view.id} {view.unit_code} {view.period}")


# --- wbk survey use: a survey result as the answer of H.I.a / H.II.a ---------------------------

survey_app = typer.Typer(
    help="Hasil survei sebagai jawaban H.I.a / H.II.a", no_args_is_help=True, rich_markup_mode=None
)


@survey_app.command("use")
@user_errors
def survey_use(
    assessment: Annotated[int, typer.Option("--assessment")],
    kind: Annotated[str, typer.Option("--kind", help="ipak (H.I.a) atau ipkp (H.II.a)")],
    period: Annotated[str, typer.Option("--period", help="Periode survei, mis. 2026-S1")],
    responses: Annotated[
        Path | None,
        typer.Option("--file", help="Berkas jawaban (CSV/XLSX); tanpa ini: jawaban di loket"),
    ] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="KODE=Kolom (boleh diulang)")
    ] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid")] = False,
    as_user: AsUser = None,
) -> None:
    """Pakai IPAK / IPKP dari jawaban loket periode itu (atau dari --file) sebagai jawaban
    H.I.a / H.II.a, dengan asal-usul dan laporan survei sebagai data dukung (seperti tombol
    "Pakai untuk H.I.a / H.II.a")."""
    from wbk.errors import InvalidInput
    from wbk.i18n import current_language
    from wbk.services.core.workspace import open_workspace
    from wbk.services.surveys import provenance

    ws = open_workspace()
    who = actor(ws, as_user)
    lang = current_language()
    if responses is None:
        view = provenance.use_kiosk(ws, who, assessment, kind, period, lang=lang)
    else:
        if not responses.is_file():
            raise InvalidInput("invalid.file", file=str(responses))
        mapping = {}
        for pair in map_ or []:
            code, sep, column = pair.partition("=")
            if not sep or not code.strip() or not column.strip():
                raise InvalidInput("perception.map_syntax", pair=pair)
            mapping[code.strip()] = column.strip()
        view = provenance.use_file(
            ws,
            who,
            assessment,
            kind,
            responses.read_bytes(),
            responses.name,
            period,
            mapping=mapping or None,
            skip_invalid=skip_invalid,
            lang=lang,
        )
    typer.echo(f"{view.code} = {view.value} ({view.respondents} responden, {view.source_hash})")
