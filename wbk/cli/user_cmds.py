"""``wbk user``: add people, grant and revoke roles, deactivate, reset passwords, list."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from wbk.cli.common import AsUser, user_errors
from wbk.cli.common import actor as _actor
from wbk.i18n import t

# Each command imports its services in its body (see wbk.cli.lazy).

user_app = typer.Typer(help="Pengguna dan peran", no_args_is_help=True, rich_markup_mode=None)


def _areas(areas: str | None) -> list[str] | None:
    return [a.strip().upper() for a in areas.split(",") if a.strip()] if areas else None


def _password_from_stdin() -> str:
    return sys.stdin.readline().rstrip("\r\n")


@user_app.command("add")
@user_errors
def user_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="admin, koordinator, agen, pimpinan, tpi")],
    unit: Annotated[str | None, typer.Option("--unit", help="Kode unit")] = None,
    areas: Annotated[
        str | None, typer.Option("--areas", help="Untuk agen: MP,TT,... (H = hasil)")
    ] = None,
    display_name: Annotated[str | None, typer.Option("--display-name")] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="Alamat e-mail untuk pengingat")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Baca kata sandi dari stdin")
    ] = False,
    as_user: AsUser = None,
) -> None:
    """Tambah pengguna dengan satu peran."""
    from wbk.services import reminders
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people

    password = _password_from_stdin() if password_stdin else None
    if email:
        reminders.normalise_email(email)  # refuse a bad address before adding anyone
    ws = open_workspace()
    who = _actor(ws, as_user)
    people.add_user(ws, who, name, display_name, password, role, unit, _areas(areas))
    if email:
        reminders.set_email(ws, who, name, email)
    typer.echo(t("ws.user_added", username=name, role=role, unit=unit or "*"))


@user_app.command("set-email")
@user_errors
def user_set_email(name: str, email: str, as_user: AsUser = None) -> None:
    """Atur alamat e-mail pengguna untuk pengingat ("" menghapusnya)."""
    from wbk.services import reminders
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    value = reminders.set_email(ws, _actor(ws, as_user), name, email)
    if value:
        typer.echo(t("followup.email_set", username=name, email=value))
    else:
        typer.echo(t("followup.email_cleared", username=name))


@user_app.command("grant")
@user_errors
def user_grant(
    name: str,
    role: Annotated[str, typer.Option("--role")],
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    areas: Annotated[str | None, typer.Option("--areas")] = None,
    as_user: AsUser = None,
) -> None:
    """Beri pengguna satu peran lagi."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import people

    ws = open_workspace()
    people.grant_role(ws, _actor(ws, as_user), name, role, unit, _areas(areas))
    typer.echo(t("ui.role_granted", username=name, role=role))


@user_app.command("revoke")
@user_errors
def user_revoke(
    name: str,
    role: Annotated[str, typer.Option("--role")],
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    as_user: AsUser = None,
) -> None:
    """Cabut satu peran; berlaku pada klik berikutnya pengguna itu."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import accounts

    ws = open_workspace()
    accounts.revoke_role(ws, _actor(ws, as_user), name, role, unit)
    typer.echo(t("ui.role_revoked", username=name, role=role))


@user_app.command("deactivate")
@user_errors
def user_deactivate(name: str, as_user: AsUser = None) -> None:
    """Nonaktifkan akun (semua sesinya berakhir; tidak ada yang dihapus)."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import accounts

    ws = open_workspace()
    accounts.set_active(ws, _actor(ws, as_user), name, False)
    typer.echo(t("ui.user_deactivated", username=name))


@user_app.command("activate")
@user_errors
def user_activate(name: str, as_user: AsUser = None) -> None:
    """Aktifkan kembali akun yang dinonaktifkan."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import accounts

    ws = open_workspace()
    accounts.set_active(ws, _actor(ws, as_user), name, True)
    typer.echo(t("ui.user_reactivated", username=name))


@user_app.command("reset-password")
@user_errors
def user_reset_password(
    name: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Baca kata sandi baru dari stdin")
    ] = False,
    as_user: AsUser = None,
) -> None:
    """Atur ulang kata sandi pengguna (admin); sesinya berakhir."""
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import accounts

    password = (
        _password_from_stdin()
        if password_stdin
        else typer.prompt(t("ui.new_password"), hide_input=True, confirmation_prompt=True)
    )
    ws = open_workspace()
    accounts.reset_password(ws, _actor(ws, as_user), name, password)
    typer.echo(t("ui.password_reset", username=name))


@user_app.command("list")
@user_errors
def user_list(
    as_json: Annotated[bool, typer.Option("--json")] = False, as_user: AsUser = None
) -> None:
    """Daftar pengguna dengan perannya."""
    from wbk.services import reminders
    from wbk.services.core.workspace import open_workspace
    from wbk.services.people import accounts

    ws = open_workspace()
    users = accounts.list_users(ws, _actor(ws, as_user))
    emails = reminders.emails(ws, [u.username for u in users])
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "username": u.username,
                        "display_name": u.display_name,
                        "email": emails.get(u.username),
                        "active": u.active,
                        "roles": [
                            {
                                "role": r.role,
                                "unit": r.unit_code,
                                "areas": list(r.areas) if r.areas else None,
                                "source": r.source,
                            }
                            for r in u.roles
                        ],
                    }
                    for u in users
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for u in users:
        roles = "; ".join(r.role + (f"@{r.unit_code}" if r.unit_code else "") for r in u.roles)
        state = t("ui.user_active") if u.active else t("ui.user_inactive")
        typer.echo(f"{u.username:<24} {state:<10} {roles}")
