"""``python -m wbk``: the same as the ``wbk`` command."""

from wbk.cli import app

app()
