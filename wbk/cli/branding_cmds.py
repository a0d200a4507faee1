"""``wbk branding``: a unit's letterhead on the report cover (logo and letterhead text), as
on the Admin page, by the same service and permissions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors

branding_app = typer.Typer(
    help="Kop laporan unit: logo dan teks kop", no_args_is_help=True, rich_markup_mode=None
)


@branding_app.command("set")
@user_errors
def branding_set(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit")],
    logo: Annotated[Path, typer.Option("--logo", help="Logo PNG atau JPEG")],
    letterhead: Annotated[
        str | None, typer.Option("--letterhead", help="Teks kop (baris dipisah \\n)")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Simpan (atau ganti) logo dan teks kop unit untuk sampul laporan."""
    from wbk.errors import InvalidInput
    from wbk.services.assessment import branding
    from wbk.services.core.workspace import open_workspace

    if not logo.is_file():
        raise InvalidInput("invalid.file", file=str(logo))
    ws = open_workspace()
    text = letterhead.replace("\\n", "\n") if letterhead else None
    view = branding.set_logo(ws, actor(ws, as_user), unit, logo.read_bytes(), logo.name, text)
    typer.echo(f"{view.unit_code} {view.filename} {view.width}x{view.height}")


@branding_app.command("show")
@user_errors
def branding_show(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_user: AsUser = None,
) -> None:
    """Kop yang berlaku untuk unit (miliknya, atau milik unit induk terdekat)."""
    from wbk.services.assessment import branding
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    view = branding.get_branding(ws, actor(ws, as_user), unit)
    row = None
    if view is not None:
        row = {
            "unit": view.unit_code,
            "inherited": view.inherited,
            "filename": view.filename,
            "media_type": view.media_type,
            "width": view.width,
            "height": view.height,
            "letterhead": view.letterhead,
            "set_by": view.set_by,
        }
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
    elif row is None:
        typer.echo("-")
    else:
        source = f" (dari {row['unit']})" if row["inherited"] else ""
        typer.echo(f"{row['filename']} {row['width']}x{row['height']}{source}")
        if row["letterhead"]:
            typer.echo(row["letterhead"])


@branding_app.command("clear")
@user_errors
def branding_clear(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit")],
    as_user: AsUser = None,
) -> None:
    """Hapus kop milik unit (kop unit induk berlaku lagi)."""
    from wbk.services.assessment import branding
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    typer.echo("1" if branding.clear_logo(ws, actor(ws, as_user), unit) else "0")
