"""``wbk tasks``: the Rencana aksi page's tasks (list, add, close) and the team's effort per
question the plan weighs (``wbk tasks effort``), by the same services and permissions."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, parse_date, user_errors

tasks_app = typer.Typer(
    help="Tugas rencana aksi dan bobot usaha tim", no_args_is_help=True, rich_markup_mode=None
)
effort_app = typer.Typer(
    help="Usaha tim per pertanyaan (bobot rencana)", no_args_is_help=True, rich_markup_mode=None
)
tasks_app.add_typer(effort_app, name="effort")


def _number(value) -> str:
    return format(float(value), "g")


@tasks_app.command("list")
@user_errors
def tasks_list(
    assessment: Annotated[int, typer.Option("--assessment")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_user: AsUser = None,
) -> None:
    """Tugas penilaian (tugas terbuka yang jawabannya sudah mencapai target tampil selesai)."""
    from wbk.services.assessment.context import load_context
    from wbk.services.core.workspace import open_workspace
    from wbk.services.plan.task_views import tasks_of

    ws = open_workspace()
    rows = [
        {
            "id": task.id,
            "code": task.code,
            "target": task.target,
            "owner": task.owner,
            "due_date": task.due_date.isoformat(),
            "status": task.status,
            "effort": _number(task.effort),
            "gain": _number(task.gain),
            "reason": task.reason,
        }
        for task in tasks_of(load_context(ws, actor(ws, as_user), assessment))
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r['id']:>4}  {r['code']:<12} -> {r['target']:<6} {r['owner']:<14} "
            f"{r['due_date']}  {r['status']}"
        )


@tasks_app.command("add")
@user_errors
def tasks_add(
    assessment: Annotated[int, typer.Option("--assessment")],
    code: Annotated[str, typer.Option("--code", help="Kode pertanyaan")],
    target: Annotated[str, typer.Option("--target", help="Jawaban yang dituju, mis. Ya atau B")],
    owner: Annotated[str, typer.Option("--owner", help="Nama pengguna penanggung jawab")],
    due: Annotated[str, typer.Option("--due", help="Tenggat (YYYY-MM-DD)")],
    predicate: Annotated[str | None, typer.Option("--predicate", help="WBK atau WBBM")] = None,
    as_user: AsUser = None,
) -> None:
    """Jadikan satu langkah rencana tugas (pemilik, tenggat); mencetak id tugas."""
    from wbk.errors import InvalidInput
    from wbk.services.core.workspace import open_workspace
    from wbk.services.plan import tasks

    day = parse_date(due)
    if day is None:
        raise InvalidInput("invalid.date", value=due)
    ws = open_workspace()
    step = tasks.NewTask(code, target, owner, day, predicate)
    for view in tasks.create_tasks(ws, actor(ws, as_user), assessment, [step]):
        typer.echo(f"{view.id} {view.code} {view.target} {view.owner} {view.due_date}")


@tasks_app.command("close")
@user_errors
def tasks_close(
    task: Annotated[int, typer.Argument(help="Id tugas")],
    reason: Annotated[str, typer.Option("--reason", help="Alasan (wajib)")],
    as_user: AsUser = None,
) -> None:
    """Tutup tugas terbuka dengan alasan (tercatat di jejak audit)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.plan import tasks

    ws = open_workspace()
    view = tasks.close_task(ws, actor(ws, as_user), task, reason)
    typer.echo(f"{view.id} {view.code} {view.status}")


@effort_app.command("set")
@user_errors
def effort_set(
    assessment: Annotated[int, typer.Option("--assessment")],
    code: Annotated[str, typer.Option("--code", help="Kode pertanyaan")],
    effort: Annotated[
        str, typer.Option("--effort", help="Usaha per tingkat (>= 0); kosong: kembali ke 1")
    ],
    note: Annotated[str | None, typer.Option("--note", help="Alasannya")] = None,
    as_user: AsUser = None,
) -> None:
    """Setel usaha tim per tingkat untuk satu pertanyaan (bobot rencana termurah)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.plan import tasks

    ws = open_workspace()
    row = tasks.set_effort(ws, actor(ws, as_user), assessment, code, effort or None, note)
    typer.echo(f"{code} {_number(row.effort) if row else '1'}")


@effort_app.command("list")
@user_errors
def effort_list(
    assessment: Annotated[int, typer.Option("--assessment")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_user: AsUser = None,
) -> None:
    """Usaha tim yang disetel per pertanyaan (yang lain bernilai 1)."""
    from wbk.services.assessment.context import load_context
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    ctx = load_context(ws, actor(ws, as_user), assessment)
    rows = [
        {"code": e.code, "effort": _number(e.effort), "note": e.note, "set_by": e.set_by}
        for e in ctx.plan.efforts
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['code']:<12} {r['effort']:>6}  {r['set_by']}  {r['note'] or ''}")
