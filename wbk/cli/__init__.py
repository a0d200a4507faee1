"""The ``wbk`` command line: every headless operation, through the same code as the app."""

from __future__ import annotations

from typing import Annotated

import typer

from wbk.cli import api_cmds as portalrb_cmds
from wbk.cli import (
    blob_cmds,
    catalog_cmds,
    integrity_cmds,
    portfolio_cmds,
    remind_cmds,
    report_cmds,
    survey_cmds,
    user_cmds,
)
from wbk.cli import plan as plan_cmd
from wbk.cli import score as score_cmd
from wbk.cli import workspace_cmds as ws_cmds
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
app.command("plan")(plan_cmd.plan_command)
app.command("init")(integrity_cmds.init)
app.command("verify")(integrity_cmds.verify)
app.command("backup")(integrity_cmds.backup)
app.command("restore")(integrity_cmds.restore)
app.command("witness")(integrity_cmds.witness)
app.command("demo")(ws_cmds.demo)
app.command("snapshot")(ws_cmds.snapshot)
app.command("report")(report_cmds.report)
app.command("export-xlsx")(report_cmds.export_xlsx)
app.command("import-xlsx")(report_cmds.import_xlsx)
app.command("binder")(report_cmds.binder)
app.command("ikm")(survey_cmds.ikm_command)
app.command("ipak")(survey_cmds.ipak_command)
app.command("ipkp")(survey_cmds.ipkp_command)
app.add_typer(ws_cmds.unit_app, name="unit")
app.add_typer(user_cmds.user_app, name="user")
app.add_typer(ws_cmds.assessment_app, name="assessment")
app.add_typer(ws_cmds.answers_app, name="answers")
app.add_typer(ws_cmds.evidence_app, name="evidence")
app.add_typer(catalog_cmds.catalog_app, name="catalog")
app.add_typer(blob_cmds.blobs_app, name="blobs")
app.command("api")(portalrb_cmds.api)
app.add_typer(portalrb_cmds.proposal_app, name="proposal")
app.add_typer(portalrb_cmds.token_app, name="token")
app.command("portfolio")(portfolio_cmds.portfolio_command)
app.command("remind")(remind_cmds.remind)
