"""Use cases that produce documents: the Word report, the LKE workbook, the evidence binder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from wbk.errors import Conflict
from wbk.reports.data import DocRef, NoteRef, ReportData, RevisionRef
from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments
from wbk.services.assessment.branding import branding_for_chain  # a unit's or parent's letterhead
from wbk.services.assessment.context import AssessmentContext, load_context, read_context
from wbk.services.core.actor import Actor, check_tier
from wbk.services.core.backups import exports_dir
from wbk.services.core.workspace import Workspace
from wbk.services.plan import planning
from wbk.services.portalrb.answers import jawaban_for_workbook
from wbk.services.yearly import compare as yearly


def report_from_context(ctx: AssessmentContext, tier: str = "self") -> ReportData:
    """Everything a report shows, derived from one assessment context.

    For the TPI tier the TPI scores a copy of the unit's answers: where it has not scored,
    the unit's own answer stands (as on the dashboard), and the report says so.
    """
    docs = [
        DocRef(
            d.id,
            d.title,
            d.kind,
            d.url,
            d.document_date,
            d.valid_until,
            d.codes,
            [
                RevisionRef(
                    r.revision,
                    r.sha256,
                    r.filename,
                    r.size,
                    r.media_type,
                    r.uploaded_by,
                    r.uploaded_at,
                )
                for r in d.revisions
            ],
            d.warnings,
        )
        for d in ctx.documents
    ]
    note_refs = [
        NoteRef(n.id, n.code, n.text, n.severity, n.status, n.owner, n.due_date, n.response)
        for n in ctx.notes
    ]
    extra = {}
    if tier == "tpi" and ctx.tpi_scored:
        extra["tpi_fallback"] = True
        extra["tpi_fallback_codes"] = sorted(ctx.tpi_fallback)
    rows = ctx.effective_rows(tier) if tier == "tpi" and ctx.tpi_scored else ctx.rows(tier)
    view = ctx.assessment
    return ReportData(
        unit_code=view.unit_code,
        unit_name=view.unit_name,
        parent_name=view.parent_name,
        year=view.year,
        status=view.status,
        tier=tier,
        catalog=ctx.catalog,
        card=ctx.card(tier),
        tpi_card=ctx.tpi_card if tier == "self" else None,
        answers={c: (a.value, a.narrative) for c, a in rows.items()},
        ratios={c: float(r) for c, r in ctx.answer_set(tier).ratios.items()},
        documents=docs,
        notes=note_refs,
        generated_at=datetime.now(),
        head_name=ctx.head_name,
        coordinator_name=ctx.coordinator_name,
        extra=extra,
        comparison=yearly.compare_years(ctx) if tier == "self" else None,
        plan=planning.report_chapter(ctx) if tier == "self" else None,
    )


def report_data(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
) -> ReportData:
    """Everything a report shows, read in the actor's rights in one transaction."""
    check_tier(tier)

    with ws.db.read() as s:  # the context and the letterhead in one snapshot
        ctx = read_context(ws, s, actor, assessment_id, date.today())
        brand = branding_for_chain(s, ctx.chain)
    data = report_from_context(ctx, tier)
    if brand is not None:
        data.extra["letterhead"] = (brand.content, brand.letterhead)
    if tier == "self":  # where the survey values H.I.a / H.II.a came from (same snapshot)
        data.extra["survey_provenance"] = ctx.survey_origins
    return data


def word_report(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    tier: str = "self",
    lang: str = "id",
    pre_review: bool = False,
    wait: bool = True,
) -> bytes:
    """The Word report; ``pre_review``: with the pre-review column in the kertas kerja
    (``wait``: read the files still queued first; otherwise the report says how many are)."""
    from wbk.reports.docx_report import build_report

    data = report_data(ws, actor, assessment_id, tier)
    if pre_review:
        from wbk.services.review import reviews

        review = reviews.review_assessment(ws, actor, assessment_id, wait=wait)
        data.pre_review = review.report_column(lang)
    return build_report(data, lang)


def excel_export(
    ws: Workspace, actor: Actor, assessment_id: int, tier: str = "self", lang: str = "id"
) -> bytes:
    from wbk.reports.xlsx_export import export_workbook

    check_tier(tier)
    ctx = load_context(ws, actor, assessment_id)
    data = report_from_context(ctx, tier)
    data.extra["jawaban"] = jawaban_for_workbook(ws, ctx)  # the official Jawaban sheet
    return export_workbook(data, lang)


@dataclass
class ImportPreview:
    """What an LKE workbook would change, before anything is applied: each change names its
    cell (the answer cell of its row) and says whether the value, the penjelasan or both
    change; a penjelasan cell left empty clears the stored one."""

    changes: list[answer_import.AnswerChange]
    unchanged: int
    problems: list  # CellProblem
    rows: list[AnswerRow]


def preview_workbook(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    path: Path,
    tier: str = "self",
    sheet: str | None = None,
) -> ImportPreview:
    """``sheet``: ``LKE`` or ``Jawaban`` (default: LKE, or Jawaban when there is no LKE sheet)."""
    from wbk.reports.xlsx_import import read_workbook

    view = assessments.get_assessment_view(ws, actor, assessment_id)
    catalog = ws.catalog(view.catalog_id)
    parsed = read_workbook(path, catalog, sheet, tier)
    stored = {
        c: (a.value, a.narrative)
        for c, a in assessments.answers_of(ws, actor, assessment_id, tier).items()
    }
    writes = [
        replace(w, where=None if w.where is None else f"{parsed.answer_col}{w.where}")
        for w in answer_import.writes_from_rows(catalog, parsed.rows)
    ]
    plan = answer_import.plan_writes(stored, writes)
    return ImportPreview(plan.changes, plan.unchanged, parsed.problems, parsed.rows)


def import_workbook(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    path: Path,
    tier: str = "self",
    skip_invalid: bool = False,
    sheet: str | None = None,
) -> tuple[int, ImportPreview]:
    """Apply a workbook through the audited answer import; refused whole while any cell is
    unreadable, unless ``skip_invalid``."""
    from wbk.reports.xlsx_import import WorkbookError

    preview = preview_workbook(ws, actor, assessment_id, path, tier, sheet)
    if preview.problems and not skip_invalid:
        raise WorkbookError("xlsx.invalid_rows", count=len(preview.problems))
    changed = answer_import.import_answers(ws, actor, assessment_id, preview.rows, tier)
    return changed, preview


def evidence_binder(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    lang: str = "id",
    target: Path | None = None,
) -> bytes | Path:
    """The TPN binder; every file is checked against its hash before it is packed. With
    ``target`` the zip is streamed to that file (returned); otherwise returned as bytes."""
    from wbk.reports.binder import build_binder
    from wbk.reports.docx_report import build_report

    data = report_data(ws, actor, assessment_id, "self")
    for doc in data.documents:
        for rev in doc.revisions:
            if ws.blobs.hash_of(rev.sha256) != rev.sha256:
                raise Conflict("binder.altered", sha=rev.sha256)
    report = build_report(data, lang)
    name = f"Laporan Penilaian Mandiri ZI {data.unit_code} {data.year}.docx"
    if target is None:
        return build_binder(data, ws.blobs.open, report, name)
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as out:
            build_binder(data, ws.blobs.open, report, name, out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def binder_download(
    ws: Workspace, actor: Actor, assessment_id: int, lang: str = "id"
) -> bytes | None:
    """The binder as bytes for the app's one-click download, or None when its files together
    exceed ``WBK_MAX_DOWNLOAD_MB`` (then the app says to use ``wbk binder``, never a path on
    the server): the app process holds the whole zip while the browser fetches it."""
    if not binder_fits(ws, load_context(ws, actor, assessment_id)):
        return None
    data = evidence_binder(ws, actor, assessment_id, lang)
    assert isinstance(data, bytes)
    return data


def binder_fits(ws: Workspace, ctx: AssessmentContext) -> bool:
    """Whether the binder's files (each linked file's latest revision, once per question it is
    linked to, before compression) stay under the download limit; from the screen's context,
    so the page reads nothing more."""
    size = sum(d.latest.size * max(1, len(d.codes)) for d in ctx.documents if d.latest)
    return size <= ws.settings.max_download_mb * 10**6


def binder_to_exports(ws: Workspace, actor: Actor, assessment_id: int, lang: str = "id") -> Path:
    """The binder streamed into the workspace's exports folder (for the app's download)."""
    from datetime import UTC
    from datetime import datetime as dt

    view = load_context(ws, actor, assessment_id).assessment
    name = f"Data dukung ZI {view.unit_code} {view.year} {dt.now(UTC):%Y%m%d-%H%M%S}.zip"
    return evidence_binder(ws, actor, assessment_id, lang, exports_dir(ws) / name)
