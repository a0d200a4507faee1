"""``wbk score``: score an answers CSV or a stored assessment; print the table or the JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wbk.cli.common import user_errors
from wbk.errors import InvalidInput


@user_errors
def score(
    answers: Annotated[
        Path | None, typer.Argument(help="CSV jawaban: kolom code,answer[,note]")
    ] = None,
    assessment: Annotated[
        int | None, typer.Option("--assessment", help="Nilai penilaian tersimpan (id)")
    ] = None,
    tier: Annotated[str, typer.Option("--tier", help="self, tpi atau tpn")] = "self",
    catalog: Annotated[
        Path | None, typer.Option("--catalog", help="Berkas katalog kriteria (YAML)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help="Bertindak sebagai pengguna")] = None,
) -> None:
    """Hitung nilai LKE dan verdict WBK/WBBM dari berkas jawaban atau penilaian tersimpan."""
    if (answers is None) == (assessment is None):
        raise InvalidInput("invalid.score_source")
    from wbk.scoring.export import scorecard_to_dict

    if assessment is not None:
        from wbk.cli.common import actor
        from wbk.services.assessment.assessments import score_assessment
        from wbk.services.core.workspace import open_workspace

        ws = open_workspace()
        cat, card, answer_set = score_assessment(ws, actor(ws, as_user), assessment, tier)
    else:  # a file: the catalog and the scoring code only, no database
        from wbk.catalog import in_force, load_catalog
        from wbk.formats.answers_csv import read_answer_rows
        from wbk.scoring import parse_answers
        from wbk.scoring import score as score_answers
        from wbk.settings import get_settings

        cat = in_force(load_catalog(catalog), get_settings())
        answer_set = parse_answers(cat, read_answer_rows(answers))
        card = score_answers(cat, answer_set.values)
    if as_json:
        from wbk.catalog import stricter_in_force

        data = scorecard_to_dict(card, answer_set.raw)
        # which per-area minimum decided: the regulation's, or the stricter internal target
        data["area_reading"] = "strict" if stricter_in_force(cat) else "regulation"
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from wbk.cli.render import print_scorecard

        print_scorecard(cat, card)
