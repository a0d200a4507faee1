"""The ``wbk`` command line: every headless operation, through the same code as the app."""

from __future__ import annotations

from typing import Annotated

import typer

from wbk.cli import score as score_cmd
from wbk.i18n import LANGUAGES, set_language

app = typer.Typer(
    name="wbk",
    help="Pelacak Zona Integritas (LKE ZI PermenPANRB 90/2021): nilai, laporan, data dukung.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    lang: Annotated[
        str | None,
        typer.Option("--lang", help=f"Bahasa keluaran / output language: {', '.join(LANGUAGES)}"),
    ] = None,
) -> None:
    """wbk: Zona Integritas evidence tracker."""
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} not in {', '.join(LANGUAGES)}", param_hint="--lang")
    set_language(lang)  # None: WBK_LANG or Indonesian


app.command("score")(score_cmd.score)
