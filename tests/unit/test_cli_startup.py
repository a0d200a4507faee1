"""``wbk`` starts light: ``import wbk.cli`` loads no command, ``wbk --help`` lists every command
from the lazy table, and that table's help is each command's own."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from wbk.cli import COMMANDS, app

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "pandas",
    "sqlalchemy",
    "numpy",
    "scipy",
    "fastapi",
    "docx",
    "openpyxl",
    "matplotlib",
    "boto3",
    "uvicorn",
    "alembic",
    "wbk.services",
    "wbk.store",
)


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules in sys.modules after running ``code`` in a fresh interpreter."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_module():
    assert loaded_after("import wbk.cli") == []


def test_help_loads_no_command_module():
    code = (
        "import sys\n"
        "from wbk.cli import app\n"
        "try:\n"
        "    app(['--help'], prog_name='wbk')\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert not [m for m in sys.modules if m.startswith('wbk.cli.') and m not in "
        "('wbk.cli.lazy',)], sorted(m for m in sys.modules if m.startswith('wbk.cli.'))\n"
    )
    assert loaded_after(code) == []


def test_help_lists_every_command_with_its_help():
    result = CliRunner().invoke(app, ["--help"], terminal_width=200, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name, entry in COMMANDS.items():
        assert f" {name} " in result.output, name
        first_line = entry.help.split("\n")[0]
        assert first_line in result.output, name


def test_the_table_help_is_each_commands_own_first_paragraph():
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    for name, entry in COMMANDS.items():
        command = group.load_command(name)
        own = inspect.cleandoc(command.help or "").split("\n\n")[0]
        assert entry.help == own, f"wbk.cli.COMMANDS[{name!r}] drifted from {entry.target}"
        assert group.get_command(ctx, name).name == name


def test_a_command_runs_through_the_table():
    result = CliRunner().invoke(app, ["score"])
    assert result.exit_code == 2  # neither a file nor --assessment: a user error, not a crash
    result = CliRunner().invoke(app, ["scroe"])
    assert result.exit_code == 2
    assert "score" in result.output  # "did you mean" still sees the lazy commands


def test_the_migration_heads_read_without_alembic_are_alembics():
    from alembic.script import ScriptDirectory

    from wbk.store.database import MIGRATIONS, script_heads

    assert script_heads() == frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def test_an_up_to_date_database_is_not_migrated_again(tmp_path):
    from wbk.store.database import Database, default_url

    db = Database(default_url(tmp_path))
    assert not db.at_heads()  # empty: alembic creates everything
    db.migrate()
    assert db.at_heads()
    loaded = loaded_after(
        "from pathlib import Path\n"
        "from wbk.store.database import Database, default_url\n"
        f"Database(default_url(Path({str(tmp_path)!r}))).migrate()\n"
        "import sys\n"
        "assert 'alembic' not in sys.modules\n"
    )
    assert "alembic" not in loaded
    db.dispose()
