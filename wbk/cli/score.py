"""``wbk score``: score an answers CSV and print the table or the JSON ScoreCard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wbk.catalog import load_catalog
from wbk.cli.common import user_errors
from wbk.cli.render import print_scorecard
from wbk.formats.answers_csv import read_answer_rows
from wbk.scoring import parse_answers
from wbk.scoring import score as score_answers
from wbk.scoring.export import scorecard_to_dict


@user_errors
def score(
    answers: Annotated[Path, typer.Argument(help="CSV jawaban: kolom code,answer[,note]")],
    catalog: Annotated[
        Path | None, typer.Option("--catalog", help="Berkas katalog kriteria (YAML)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
) -> None:
    """Hitung nilai LKE dan verdict WBK/WBBM dari berkas jawaban."""
    cat = load_catalog(catalog)
    answer_set = parse_answers(cat, read_answer_rows(answers))
    card = score_answers(cat, answer_set.values)
    if as_json:
        typer.echo(
            json.dumps(scorecard_to_dict(card, answer_set.raw), ensure_ascii=False, indent=2)
        )
    else:
        print_scorecard(cat, card)
