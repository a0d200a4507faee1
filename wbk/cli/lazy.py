"""A typer group whose commands are imported when they run, not when ``wbk`` starts.

Each command (or sub-group) is named in a table with a function that imports its module
(an ordinary import statement, so the import rules see it), the attribute there and its
one-line help. ``wbk --help`` lists the table without importing anything; running a command
imports its module only, so ``wbk score`` does not pay for pandas, SQLAlchemy or the
services of every other command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Lazy:
    """A command (a function) or a sub-group (a ``typer.Typer``): ``attr`` of the module
    ``module()`` imports, with the help ``wbk --help`` shows for it: the first paragraph of
    the function's docstring, or the sub-group's help (tests keep them equal)."""

    module: Callable[[], ModuleType]
    attr: str
    help: str

    @property
    def target(self) -> str:
        return f"{self.module.__name__}:{self.attr}"

    def load(self) -> Any:
        return getattr(self.module(), self.attr)


class _Listed(TyperCommand):
    """Stands for a command in the help listing: its name and one-line help, nothing run."""


class LazyGroup(TyperGroup):
    """A TyperGroup that builds a command from its ``Lazy`` entry the first time it is used
    (to run it, or for its own ``--help``). Subclass it with ``lazy_commands`` set."""

    lazy_commands: ClassVar[dict[str, Lazy]] = {}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._listing = False
        for name, entry in self.lazy_commands.items():
            # the names in order, so the listing and "did you mean" see every command
            self.commands.setdefault(name, _Listed(name=name, help=entry.help))

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        cmd = self.commands.get(cmd_name)
        if isinstance(cmd, _Listed) and not self._listing:
            cmd = self.commands[cmd_name] = self.load_command(cmd_name)
        return cmd

    def load_command(self, name: str) -> _click.Command:
        """The real click command (or group) for ``name``, as typer builds it from
        ``app.command(name)(fn)`` or ``app.add_typer(sub_app, name=name)``."""
        from typer.main import get_command_from_info, get_group_from_info
        from typer.models import CommandInfo, TyperInfo

        obj = self.lazy_commands[name].load()
        if isinstance(obj, typer.Typer):
            return get_group_from_info(
                TyperInfo(obj, name=name),
                pretty_exceptions_short=obj.pretty_exceptions_short,
                rich_markup_mode=self.rich_markup_mode,
                suggest_commands=self.suggest_commands,
            )
        return get_command_from_info(
            CommandInfo(name=name, callback=obj),
            pretty_exceptions_short=True,
            rich_markup_mode=self.rich_markup_mode,
        )

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        # the command list shows each name with its help from the table: nothing is imported
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(commands: dict[str, Lazy]) -> type[LazyGroup]:
    """A LazyGroup class for this table (``typer.Typer(cls=...)`` takes a class)."""
    return type("WbkGroup", (LazyGroup,), {"lazy_commands": dict(commands)})
