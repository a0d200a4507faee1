"""Shared CLI plumbing: user errors become a message on stderr and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import typer

from wbk.errors import WbkError
from wbk.i18n import t

F = TypeVar("F", bound=Callable)

EXIT_USER_ERROR = 2


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
