"""``wbk remind``: e-mail reminders for cron (overdue notes and tasks, the weekly digest)."""

from __future__ import annotations

from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, parse_date, user_errors
from wbk.i18n import t


@user_errors
def remind(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Tampilkan e-mail yang akan dikirim, tanpa mengirim")
    ] = False,
    digest: Annotated[
        bool | None,
        typer.Option(
            "--digest/--no-digest",
            help="Sertakan ringkasan mingguan koordinator (bawaan: pada WBK_REMIND_DIGEST_WEEKDAY)",
        ),
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Kirim pengingat e-mail: catatan/tugas lewat tenggat ke pemiliknya, ringkasan mingguan ke
    koordinator (untuk cron)."""
    from datetime import date

    from wbk.services import reminders
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    if not dry_run:
        reminders.check_smtp(ws.settings)
    day = parse_date(today) or date.today()
    with_digest = reminders.digest_due(ws.settings, day) if digest is None else digest
    who = actor(ws, as_user)
    run = reminders.compose(ws, who, day, with_digest)
    if dry_run:
        typer.echo(t("followup.remind.dry_run_header", count=len(run.mails)))
        for mail in run.mails:
            typer.echo("")
            typer.echo(f"To: {mail.name} <{mail.to}>")
            typer.echo(f"Subject: {mail.subject}")
            typer.echo("")
            typer.echo(mail.body)
    elif run.mails:
        sent = reminders.send(ws.settings, run.mails)
        reminders.record_run(ws, who, run, sent)
        typer.echo(t("followup.remind.sent", count=sent))
    if not run.mails:
        typer.echo(t("followup.remind.nothing"))
    if run.missing_email:
        typer.echo(t("followup.remind.missing_email", users=", ".join(run.missing_email)), err=True)
