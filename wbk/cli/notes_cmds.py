"""``wbk notes``: the TPI's review notes as on the LKE page (write, answer, reply, close), by
the same services, permissions and audit."""

from __future__ import annotations

from typing import Annotated

import typer

from wbk.cli import listing_cmds
from wbk.cli.common import AsUser, actor, parse_date, user_errors

notes_app = typer.Typer(
    help="Catatan TPI: daftar, tulis, jawab, balas, tutup",
    no_args_is_help=True,
    rich_markup_mode=None,
)
notes_app.command("list")(listing_cmds.notes_list)  # wbk notes list: the reading side


def _print(view) -> None:
    typer.echo(f"{view.id} {view.code} {view.status} v{view.version}")


@notes_app.command("add")
@user_errors
def notes_add(
    assessment: Annotated[int, typer.Option("--assessment")],
    code: Annotated[str, typer.Option("--code", help="Kode pertanyaan, mis. P.MP.i.a")],
    text: Annotated[str, typer.Option("--text", help="Isi catatan")],
    severity: Annotated[str, typer.Option("--severity", help="rendah, sedang, tinggi")] = "sedang",
    owner: Annotated[str | None, typer.Option("--owner", help="Nama pengguna pemilik")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Tenggat (YYYY-MM-DD)")] = None,
    as_user: AsUser = None,
) -> None:
    """Tulis catatan TPI pada satu pertanyaan; mencetak id, kode, status dan versinya."""
    from wbk.services.assessment import notes
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    who = actor(ws, as_user)
    _print(notes.add_note(ws, who, assessment, code, text, severity, owner, parse_date(due)))


@notes_app.command("respond")
@user_errors
def notes_respond(
    note: Annotated[int, typer.Argument(help="Id catatan")],
    text: Annotated[str, typer.Option("--text", help="Jawaban unit")],
    evidence: Annotated[
        int | None, typer.Option("--evidence", help="Id data dukung yang menutupnya")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Jawaban unit atas catatan (boleh dengan data dukung penutupnya); status menjadi dijawab."""
    from wbk.services.assessment import notes
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    _print(notes.respond(ws, actor(ws, as_user), note, text, evidence))


@notes_app.command("reply")
@user_errors
def notes_reply(
    note: Annotated[int, typer.Argument(help="Id catatan")],
    text: Annotated[str, typer.Option("--text", help="Isi balasan")],
    as_user: AsUser = None,
) -> None:
    """Balas di utas catatan (TPI dan unit bergantian); mencetak id balasan."""
    from wbk.services.assessment import note_threads
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    reply = note_threads.add_reply(ws, actor(ws, as_user), note, text)
    typer.echo(f"{reply.id} {reply.note_id}")


@notes_app.command("close")
@user_errors
def notes_close(
    note: Annotated[int, typer.Argument(help="Id catatan")],
    reopen: Annotated[bool, typer.Option("--reopen", help="Buka kembali")] = False,
    as_user: AsUser = None,
) -> None:
    """TPI menutup catatan (atau membukanya kembali dengan --reopen)."""
    from wbk.services.assessment import notes
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    _print(notes.set_note_status(ws, actor(ws, as_user), note, "open" if reopen else "closed"))
