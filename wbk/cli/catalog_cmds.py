"""``wbk catalog``: check a criteria catalog against outside sources (PortalRB's master list)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import user_errors
from wbk.i18n import t

EXIT_DIFFERENT = 1

catalog_app = typer.Typer(
    help="Katalog kriteria: periksa terhadap daftar soal PortalRB.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@catalog_app.command("check-portalrb")
@user_errors
def check_portalrb(
    master: Annotated[Path, typer.Argument(help="Daftar soal induk PortalRB (JSON)")],
    catalog: Annotated[
        Path | None, typer.Option("--catalog", help="Berkas katalog kriteria (YAML)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Perbedaan sebagai JSON")] = False,
) -> None:
    """Bandingkan daftar soal PortalRB dengan katalog: keluar 0 bila sama, 1 bila berbeda."""
    from wbk.catalog import load_catalog
    from wbk.portalrb.master import compare_master, read_master

    cat = load_catalog(catalog)
    differences = compare_master(cat, read_master(master))
    if as_json:
        typer.echo(json.dumps([d.to_dict() for d in differences], ensure_ascii=False, indent=2))
    elif differences:
        typer.echo(
            t("portalrb.master.differ", file=str(master), catalog=cat.id, count=len(differences))
        )
        for d in differences:
            typer.echo("  - " + d.line())
    else:
        typer.echo(
            t("portalrb.master.agree", file=str(master), catalog=cat.id, count=len(cat.soals))
        )
    if differences:
        raise typer.Exit(EXIT_DIFFERENT)
