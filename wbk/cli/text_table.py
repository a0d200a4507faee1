"""Plain terminal tables for commands that must start fast (``wbk score``).

Rich's tables cost about 0.15 s of a 0.5 s command (its import and its first render); these
draw the same boxes with the standard library. Markup is the small subset the commands use:
``[bold]``, ``[dim]``, ``[green]``, ``[red]`` and their closing tags, turned into ANSI colours on
a terminal and dropped elsewhere (a pipe, a file, a test).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from typing import TextIO

_TAG = re.compile(r"\[(/?)(bold|dim|green|red)\]")
_ANSI = {"bold": "\033[1m", "dim": "\033[2m", "green": "\033[32m", "red": "\033[31m"}
_RESET = "\033[0m"


def _styled(text: str, colour: bool) -> str:
    """``text`` with its markup as ANSI codes (``colour``) or removed."""
    if not colour:
        return _TAG.sub("", text)
    return _TAG.sub(lambda m: _RESET if m.group(1) else _ANSI[m.group(2)], text)


def _plain(text: str) -> str:
    return _TAG.sub("", text)


@dataclass
class Column:
    header: str
    right: bool = False


@dataclass
class TextTable:
    """A titled table with a heavy header rule, as ``wbk score`` prints it."""

    title: str = ""
    columns: list[Column] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def add_column(self, header: str, *, justify: str = "left") -> None:
        self.columns.append(Column(header, right=justify == "right"))

    def add_row(self, *cells: str) -> None:
        self.rows.append(tuple(cells))

    def _widths(self, width: int) -> list[int]:
        natural = [
            max(len(_plain(c)) for c in (col.header, *(r[i] for r in self.rows)))
            for i, col in enumerate(self.columns)
        ]
        spare = width - (3 * len(natural) + 1)
        while sum(natural) > spare and max(natural) > 8:  # narrow the widest column first
            natural[natural.index(max(natural))] -= 1
        return natural

    def lines(self, width: int, colour: bool) -> list[str]:
        widths = self._widths(width)

        def rule(left: str, mid: str, right: str, fill: str) -> str:
            return left + mid.join(fill * (w + 2) for w in widths) + right

        def body(cells: tuple[str, ...], sep: str) -> list[str]:
            wrapped = [
                textwrap.wrap(_plain(c), w) or [""] if len(_plain(c)) > w else [c]
                for c, w in zip(cells, widths, strict=True)
            ]
            out = []
            for k in range(max(len(w) for w in wrapped)):
                parts = []
                for col, w, cell in zip(self.columns, widths, wrapped, strict=True):
                    text = cell[k] if k < len(cell) else ""
                    pad = " " * (w - len(_plain(text)))
                    text = _styled(text, colour)
                    parts.append(f" {pad}{text} " if col.right else f" {text}{pad} ")
                out.append(sep + sep.join(parts) + sep)
            return out

        out = [_styled(self.title, colour)] if self.title else []
        out.append(rule("┏", "┳", "┓", "━"))
        out += body(tuple(c.header for c in self.columns), "┃")
        out.append(rule("┡", "╇", "┩", "━"))
        for row in self.rows:
            out += body(row, "│")
        out.append(rule("└", "┴", "┘", "─"))
        return out


class TextConsole:
    """Prints lines and tables to ``file`` (stdout), in colour only on a terminal."""

    def __init__(self, file: TextIO | None = None, width: int | None = None) -> None:
        self.file = file or sys.stdout
        tty = getattr(self.file, "isatty", lambda: False)()
        self.colour = tty and "NO_COLOR" not in os.environ
        self.width = width or (shutil.get_terminal_size((100, 24)).columns if tty else 100)

    def print(self, item: str | TextTable = "") -> None:
        if isinstance(item, TextTable):
            self.file.write("\n".join(item.lines(self.width, self.colour)) + "\n")
        else:
            self.file.write(_styled(item, self.colour) + "\n")
