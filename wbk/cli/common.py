"""Shared CLI plumbing: user errors become a message on stderr and exit status 2; who acts
(``--as`` or the local operator); dates from options.

Light on purpose (typer, wbk.errors, wbk.i18n): every command module imports it, and a command
imports its services inside its own body.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from wbk.errors import InvalidInput, WbkError
from wbk.i18n import t

if TYPE_CHECKING:
    from wbk.services.core.actor import Actor
    from wbk.services.core.workspace import Workspace

F = TypeVar("F", bound=Callable)

EXIT_USER_ERROR = 2

AsUser = Annotated[
    str | None,
    typer.Option(
        "--as", help="Bertindak sebagai pengguna ini (bawaan: operator lokal cli:<login>)"
    ),
]


def user_errors(fn: F) -> F:
    """Turn a WbkError into its translated message and exit 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except WbkError as exc:
            sys.stderr.write(t("cli.error", message=exc.message()) + "\n")
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper  # type: ignore[return-value]


def login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def operator_actor() -> Actor:
    """The local operator (``cli:<login>``)."""
    from wbk.services.core.actor import operator

    return operator(login())


def actor(ws: Workspace, as_user: str | None) -> Actor:
    """The user named by ``--as``, or the local operator."""
    if as_user:
        from wbk.services.people import people

        return people.actor_for(ws, as_user)
    return operator_actor()


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("invalid.date", value=value) from None
