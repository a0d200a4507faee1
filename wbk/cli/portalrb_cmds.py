"""``wbk portalrb``: what PortalRB gets from wbk, seen from the server (``preview``: the body
``GET /lke/jawaban-unit/{unit}`` would return, made by the same service)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors

# Each command imports its services in its body (see wbk.cli.lazy).

portalrb_app = typer.Typer(
    help="PortalRB: isi yang diambil PortalRB dari wbk", no_args_is_help=True, rich_markup_mode=None
)


@portalrb_app.command("preview")
@user_errors
def preview(
    unit: Annotated[str, typer.Option("--unit", help="Kode unit (id pada daftar PortalRB)")],
    year: Annotated[
        int | None,
        typer.Option("--year", help="Tahun evaluasi (bawaan: tahun terakhir unit diusulkan)"),
    ] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="JSON berindentasi")] = False,
    as_user: AsUser = None,
) -> None:
    """Cetak isi JSON yang akan dikembalikan GET /lke/jawaban-unit/{unit} (tanpa token, tanpa
    dicatat sebagai pengambilan PortalRB)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.portalrb import answers

    ws = open_workspace()
    found = answers.unit_answers(ws, actor(ws, as_user), unit, year, ws.settings)
    if pretty:
        typer.echo(json.dumps(found.body(), ensure_ascii=False, indent=2))
    else:  # byte for byte as the API sends it (Starlette's JSONResponse)
        typer.echo(json.dumps(found.body(), ensure_ascii=False, separators=(",", ":")))
