"""``wbk review``: the pre-review of an assessment's evidence (reads what is not read yet,
waits for it, prints the verdicts; ``--period-start``/``--period-end`` set the assessment's
own review period first), or the worker that reads queued files (for cron or a separate
process)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from wbk.cli.common import AsUser, actor, user_errors
from wbk.i18n import t


@user_errors
def review(
    assessment: Annotated[
        int | None, typer.Option("--assessment", help="ID penilaian yang direviu")
    ] = None,
    question: Annotated[
        str | None, typer.Option("--question", help="Hanya satu pertanyaan, mis. P.MP.i.a")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON")] = False,
    worker: Annotated[
        bool, typer.Option("--worker", help="Jalankan pekerja antrean baca (cron/proses lain)")
    ] = False,
    once: Annotated[
        bool, typer.Option("--once", help="Dengan --worker: kosongkan antrean lalu berhenti")
    ] = False,
    period_start: Annotated[
        str | None,
        typer.Option("--period-start", help="Tetapkan periode reviu penilaian: awal (YYYY-MM-DD)"),
    ] = None,
    period_end: Annotated[
        str | None,
        typer.Option("--period-end", help="Tetapkan periode reviu penilaian: akhir (YYYY-MM-DD)"),
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Pra-reviu data dukung: baca dokumen, cocokkan dengan dokumen yang diharapkan, verdict
    per pertanyaan; atau jalankan pekerja antrean (--worker)."""
    from wbk.services.core.workspace import open_workspace

    ws = open_workspace()
    if worker:
        _worker(ws, once)
        return
    if assessment is None:
        raise typer.BadParameter(t("review.cli.need_target"), param_hint="--assessment")
    from wbk.services.review import reviews

    who = actor(ws, as_user)
    if period_start is not None or period_end is not None:
        from wbk.services.review import decisions

        start = _day(period_start, "--period-start")
        end = _day(period_end, "--period-end")
        decisions.set_period(ws, who, assessment, start, end)
    result = reviews.review_assessment(ws, who, assessment, question)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    _print(result)


def _day(text: str | None, option: str) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        raise typer.BadParameter(
            t("review.cli.bad_date", value=text or ""), param_hint=option
        ) from None


def _worker(ws, once: bool) -> None:
    from wbk.services.review import queue

    if once:
        typer.echo(t("review.cli.worker_once", count=queue.work(ws)))
        return
    import threading

    typer.echo(t("review.cli.worker_started"))
    stop = threading.Event()
    try:
        queue.run_worker(ws, stop)
    except KeyboardInterrupt:
        stop.set()


def _print(result) -> None:
    data = result.to_json()
    period = data["period"]
    typer.echo(t("review.cli.header", id=data["assessment"], **period))
    typer.echo("  " + t("review.cli.summary", **data["summary"]))
    if result.pending:
        typer.echo("  " + t("review.cli.pending", count=result.pending))
    for q in data["questions"]:
        claim = f"  [{t('review.cli.claim')}]" if q["unsupported_claim"] else ""
        verdict = t(f"review.verdict.{q['verdict']}")
        typer.echo(f"{q['code']:<12} {verdict:<7} {q['answer'] or '-':<6}{claim}")
        for e in q["expected"]:
            mark = "✓" if e["found"] else "✗"
            where = ""
            if e["documents"]:
                hit = e["documents"][0]
                where = "  " + (
                    t("review.found_at", page=hit["page"], snippet=hit["snippet"])
                    if hit["page"]
                    else t("review.found_in_title", snippet=hit["snippet"])
                )
            typer.echo(f"    {mark} {e['item']}{where}")
        for f in q["findings"]:
            source = t(f"review.source.{f['source']}")
            typer.echo(f"    ! {f['message']} ({source})")
