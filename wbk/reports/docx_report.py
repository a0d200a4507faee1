"""The Word self-assessment report ("Laporan Penilaian Mandiri Zona Integritas")."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from wbk.i18n import fmt_date, fmt_number, fmt_short, gate_label, gate_mark, t
from wbk.reports import charts
from wbk.reports.data import ReportData
from wbk.reports.docx_compare import add_comparison
from wbk.reports.docx_plan import add_plan
from wbk.reports.docx_tools import (
    add_field,
    add_letterhead,
    repeat_header,
    set_widths,
    shade,
    update_fields_on_open,
)
from wbk.reports.docx_worksheet import add_worksheet
from wbk.scoring.thresholds import predicate_lines

HEADER_FILL = "DCE6F1"
PASS_FILL = "D9EFE8"
FAIL_FILL = "F8D7D3"


def _table(
    doc,
    headers: list[str],
    rows: list[list[str]],
    widths: list[float] | None = None,
    align_right: set[int] | None = None,
):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        shade(cell, HEADER_FILL)
    for values in rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            cells[i].text = text
            if align_right and i in align_right:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    repeat_header(table)
    set_widths(table, widths or [16.6 / len(headers)] * len(headers))
    return table


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = doc.styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x0B, 0x3D, 0x72)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)


def _footer(doc, data: ReportData, lang: str) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{data.unit_name} · LKE ZI {data.year} · {t('report.page', lang=lang)} ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {t('report.of', lang=lang)} ")
    add_field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8.5)


def _letterhead(doc, data: ReportData) -> bool:
    """The unit's logo and letterhead lines at the top of the cover (``extra["letterhead"]``:
    the image bytes and the text, from the branding service). False when there is none."""
    letterhead = data.extra.get("letterhead")
    if not letterhead or not letterhead[0]:
        return False
    add_letterhead(doc, *letterhead)
    return True


def _cover(doc, data: ReportData, lang: str) -> None:
    for _ in range(2 if _letterhead(doc, data) else 5):
        doc.add_paragraph()
    title = doc.add_paragraph(style="Title")
    title.add_run(t("report.title_tpi" if data.tier == "tpi" else "report.title", lang=lang))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = sub.add_run(t("report.subtitle", lang=lang, year=data.year))
    run.font.size = Pt(14)
    doc.add_paragraph()
    rows = [
        [t("report.unit", lang=lang), data.unit_name],
        [t("report.parent", lang=lang), data.parent_name or "–"],
        [t("report.year", lang=lang), str(data.year)],
        [
            t("report.catalog", lang=lang),
            f"{data.catalog.name} ({data.catalog.id}, {data.catalog.regulation.short})",
        ],
        [t("report.tier", lang=lang), t(f"ui.tier_{data.tier}", lang=lang)],
        [t("report.status", lang=lang), t(f"status.{data.status}", lang=lang)],
        [
            t("report.generated", lang=lang),
            fmt_date(data.generated_at.date(), lang) + data.generated_at.strftime(" %H:%M"),
        ],
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
        shade(cells[0], HEADER_FILL)
    set_widths(table, [4.5, 11.5])
    doc.add_page_break()
    doc.add_heading(t("report.toc", lang=lang), level=1)
    add_field(doc.add_paragraph(), 'TOC \\o "1-1" \\h \\z \\u', "\n".join(toc_entries(data, lang)))
    doc.add_paragraph(t("report.toc_hint", lang=lang)).runs[0].italic = True
    doc.add_page_break()


def toc_entries(data: ReportData, lang: str) -> list[str]:
    """The chapter titles, shown until Word refreshes the field with page numbers."""
    titles = [t("report.summary", lang=lang)]
    comparison = getattr(data, "comparison", None)
    if comparison is not None:
        titles.append(t("yearly.title", lang=lang, year=comparison.previous_year))
    titles += [t(k, lang=lang) for k in ("report.areas", "report.worksheet")]
    titles.append(t("report.recommendations", lang=lang))
    if getattr(data, "plan", None) is not None:
        titles.append(t("tasks.report.title", lang=lang))
    titles += [t("report.signatures", lang=lang), t("report.manifest", lang=lang)]
    return [f"{i}. {title}" for i, title in enumerate(titles, start=1)]


def _summary(doc, data: ReportData, lang: str) -> None:
    card = data.card
    c = card.components
    doc.add_heading(t("report.summary", lang=lang), level=1)
    doc.add_paragraph(
        t(
            "report.summary_text_tpi" if data.tier == "tpi" else "report.summary_text",
            lang=lang,
            unit=data.unit_name,
            year=data.year,
            total=fmt_number(c["total"].score, lang=lang),
            total_weight=fmt_short(c["total"].weight, lang=lang),
            pengungkit=fmt_number(c["pengungkit"].score, lang=lang),
            pengungkit_weight=fmt_short(c["pengungkit"].weight, lang=lang),
            hasil=fmt_number(c["hasil"].score, lang=lang),
            hasil_weight=fmt_short(c["hasil"].weight, lang=lang),
        )
    )
    if data.extra.get("tpi_fallback"):
        doc.add_paragraph(t("ui.tpi_fallback", lang=lang)).runs[0].italic = True
    _table(
        doc,
        [t("cli.component", lang=lang), t("cli.score", lang=lang), t("cli.weight", lang=lang), "%"],
        [
            [
                t(f"cli.{k}", lang=lang),
                fmt_number(c[k].score, lang=lang),
                fmt_number(c[k].weight, lang=lang),
                fmt_number(c[k].ratio * 100, lang=lang),
            ]
            for k in ("pemenuhan", "reform", "pengungkit", "hasil", "total")
        ],
        widths=[7, 3, 3, 3],
        align_right={1, 2, 3},
    )
    for pid, verdict in card.verdicts.items():
        doc.add_heading(t("report.verdict", lang=lang, predicate=pid), level=2)
        state = t("cli.passed" if verdict.passed else "cli.failed", lang=lang)
        p = doc.add_paragraph()
        run = p.add_run(f"{pid}: {state}")
        run.bold = True
        run.font.color.rgb = (
            RGBColor(0x13, 0x8A, 0x72) if verdict.passed else RGBColor(0xC0, 0x39, 0x2B)
        )
        table = _table(
            doc,
            [
                t("cli.gate", lang=lang),
                t("cli.value", lang=lang),
                t("cli.minimum", lang=lang),
                t("cli.status", lang=lang),
            ],
            [
                [
                    gate_label(g.id, lang) + gate_mark(g),
                    fmt_number(g.value, lang=lang),
                    fmt_number(g.minimum, lang=lang),
                    t(
                        "cli.not_applied"
                        if not g.applies
                        else "cli.ok"
                        if g.passed
                        else "cli.fail",
                        lang=lang,
                    ),
                ]
                for g in verdict.gates
            ],
            widths=[7, 3, 3, 3],
            align_right={1, 2},
        )
        for row, gate in zip(table.rows[1:], verdict.gates, strict=True):
            if gate.applies:
                shade(row.cells[3], PASS_FILL if gate.passed else FAIL_FILL)
        if verdict.failing:
            doc.add_paragraph(
                t(
                    "cli.failing_gates",
                    lang=lang,
                    gates=", ".join(gate_label(g.id, lang) for g in verdict.failing),
                )
            )
        for note in verdict.prerequisites:
            doc.add_paragraph(t("report.prerequisite", lang=lang, text=note), style="List Bullet")
    doc.add_paragraph(t("cli.uncertain_note", lang=lang)).runs[0].italic = True
    if any(g.stricter and g.applies for v in card.verdicts.values() for g in v.gates):
        doc.add_paragraph(t("cli.stricter_note", lang=lang)).runs[0].italic = True
    provenance = data.extra.get("survey_provenance") or {}
    if provenance:  # code -> survey_provenance.ProvenanceView
        doc.add_heading(t("kiosk.provenance.title", lang=lang), level=2)
        for code, view in sorted(provenance.items()):
            doc.add_paragraph(f"{code} = {view.value}: {view.describe(lang)}", style="List Bullet")
    doc.add_heading(t("report.gaps", lang=lang), level=2)
    for q in card.gaps(10):
        item = data.catalog.items[q.code]
        doc.add_paragraph(
            t(
                "report.gap_line",
                lang=lang,
                code=q.code,
                text=item.text,
                points=fmt_number(q.recoverable, lang=lang),
            ),
            style="List Number",
        )


def _areas(doc, data: ReportData, lang: str) -> None:
    card, cat = data.card, data.catalog
    doc.add_heading(t("report.areas", lang=lang), level=1)
    for info in cat.areas:
        name = info.name_en if lang == "en" and info.name_en else info.name
        doc.add_heading(f"{info.code} · {name}", level=2)
        rows = []
        for part in cat.pengungkit.parts:
            area = next(a for a in part.areas if a.code == info.code)
            for sub in area.subareas:
                s = card.subareas[f"{part.code}.{area.code}.{sub.id}"]
                rows.append(
                    [
                        t(f"cli.{part.key}", lang=lang),
                        f"{sub.id}. {sub.name}",
                        fmt_number(s.weight, lang=lang),
                        fmt_number(s.score, lang=lang),
                        fmt_number(s.ratio * 100, lang=lang),
                    ]
                )
            total = card.areas[f"{part.code}.{area.code}"]
            rows.append(
                [
                    t(f"cli.{part.key}", lang=lang),
                    t("report.subtotal", lang=lang),
                    fmt_number(total.weight, lang=lang),
                    fmt_number(total.score, lang=lang),
                    fmt_number(total.ratio * 100, lang=lang),
                ]
            )
        combined = card.areas[info.code]
        rows.append(
            [
                "",
                t("cli.combined", lang=lang),
                fmt_number(combined.weight, lang=lang),
                fmt_number(combined.score, lang=lang),
                fmt_number(combined.ratio * 100, lang=lang),
            ]
        )
        table = _table(
            doc,
            [
                t("report.part", lang=lang),
                t("report.subarea", lang=lang),
                t("cli.weight", lang=lang),
                t("cli.score", lang=lang),
                "%",
            ],
            rows,
            widths=[2.9, 8.1, 1.8, 1.8, 2.0],
            align_right={2, 3, 4},
        )
        for row, values in zip(table.rows[1:], rows, strict=True):
            if values[1] in (t("report.subtotal", lang=lang), t("cli.combined", lang=lang)):
                for cell in row.cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
    labels = [a.code for a in cat.areas]
    pemenuhan, reform = cat.part_by_key("pemenuhan").code, cat.part_by_key("reform").code
    minima = _area_lines(data)
    doc.add_heading(t("report.charts", lang=lang), level=2)
    doc.add_picture(
        io.BytesIO(
            charts.area_chart(
                labels,
                [float(card.areas[cat.area_key(pemenuhan, a)].ratio) * 100 for a in labels],
                [float(card.areas[cat.area_key(reform, a)].ratio) * 100 for a in labels],
                (t("cli.pemenuhan", lang=lang), t("cli.reform", lang=lang)),
                t("ui.pct_of_weight", lang=lang),
                minima,
            )
        ),
        width=Cm(16),
    )
    (_, wbk_line), (_, wbbm_line) = minima[0], minima[-1]
    doc.add_paragraph(
        t(
            "report.chart_areas",
            lang=lang,
            wbk=fmt_short(wbk_line, lang=lang),
            wbbm=fmt_short(wbbm_line, lang=lang),
        )
    ).runs[0].italic = True
    if data.tpi_card is not None:
        doc.add_picture(
            io.BytesIO(
                charts.self_vs_tpi_chart(
                    labels,
                    [float(card.areas[a].score) for a in labels],
                    [float(data.tpi_card.areas[a].score) for a in labels],
                    (t("ui.tier_self", lang=lang), t("ui.tier_tpi", lang=lang)),
                    t("ui.points", lang=lang),
                )
            ),
            width=Cm(16),
        )
        doc.add_paragraph(
            t(
                "report.chart_tpi",
                lang=lang,
                gap=fmt_number(card.total - data.tpi_card.total, lang=lang),
            )
        ).runs[0].italic = True


def _area_lines(data: ReportData) -> list[tuple[str, float]]:
    """The per-area minimum of each predicate (WBK, WBBM) in percent, as the catalog sets
    them: (predicate id, percent), lowest first."""
    lines = predicate_lines(data.catalog)
    return [(pid, float(lines[pid].area_ratio or 0) * 100) for pid in data.catalog.predicate_ids]


def _recommendations(doc, data: ReportData, lang: str) -> None:
    doc.add_heading(t("report.recommendations", lang=lang), level=1)
    open_notes = [n for n in data.notes if n.status != "closed"]
    if open_notes:
        doc.add_heading(t("report.open_notes", lang=lang), level=2)
        _table(
            doc,
            [
                "#",
                t("cli.question", lang=lang),
                t("ui.note", lang=lang),
                t("ui.owner", lang=lang),
                t("ui.due", lang=lang),
                t("ui.expected_gain", lang=lang),
            ],
            [
                [
                    str(n.id),
                    n.code,
                    n.text,
                    n.owner or "–",
                    fmt_date(n.due_date, lang),
                    "+" + fmt_number(data.card.questions[n.code].recoverable, lang=lang),
                ]
                for n in open_notes
            ],
            widths=[0.8, 2.2, 7.4, 2.4, 2.4, 1.8],
        )
    doc.add_heading(t("report.biggest_gaps", lang=lang), level=2)
    _table(
        doc,
        [
            t("cli.question", lang=lang),
            t("ui.question_text", lang=lang),
            t("cli.recoverable", lang=lang),
        ],
        [
            [q.code, data.catalog.items[q.code].text, "+" + fmt_number(q.recoverable, lang=lang)]
            for q in data.card.gaps(10)
        ],
        widths=[2.4, 11.6, 2.6],
        align_right={2},
    )


def _signatures(doc, data: ReportData, lang: str) -> None:
    doc.add_heading(t("report.signatures", lang=lang), level=1)
    doc.add_paragraph(t("report.signature_text", lang=lang, unit=data.unit_name))
    table = doc.add_table(rows=4, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.rows[0].cells[0].text = t("report.coordinator", lang=lang)
    table.rows[0].cells[1].text = t("report.head", lang=lang)
    table.rows[2].cells[0].text = "(" + (data.coordinator_name or " " * 30) + ")"
    table.rows[2].cells[1].text = "(" + (data.head_name or " " * 30) + ")"
    table.rows[1].height = Cm(2.5)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _manifest(doc, data: ReportData, lang: str) -> None:
    doc.add_heading(t("report.manifest", lang=lang), level=1)
    doc.add_paragraph(t("report.manifest_text", lang=lang))
    rows = []
    for d in data.documents:
        for r in d.revisions:
            rows.append(
                [
                    str(d.id),
                    str(r.revision),
                    d.title,
                    ", ".join(d.codes),
                    f"{r.filename}\n{r.sha256}",
                ]
            )
    if rows:
        table = _table(
            doc,
            ["ID", "Rev", t("ui.title", lang=lang), t("ui.questions", lang=lang), "SHA-256"],
            rows,
            widths=[0.9, 1.1, 4.4, 3.0, 7.2],
        )
        for row in table.rows[1:]:
            for run in row.cells[4].paragraphs[0].runs:
                run.font.size = Pt(7.5)
                run.font.name = "DejaVu Sans Mono"


def build_report(data: ReportData, lang: str = "id") -> bytes:
    """The whole report as .docx bytes."""
    doc = Document()
    _styles(doc)
    update_fields_on_open(doc)
    _footer(doc, data, lang)
    _cover(doc, data, lang)
    _summary(doc, data, lang)
    add_comparison(doc, data, lang, _table)  # "dibanding tahun lalu", when there is one
    doc.add_page_break()
    _areas(doc, data, lang)
    doc.add_page_break()
    add_worksheet(doc, data, lang, _table)
    doc.add_page_break()
    _recommendations(doc, data, lang)
    add_plan(doc, data, lang, _table)  # "rencana tindak lanjut", when the data has a plan
    _signatures(doc, data, lang)
    last = doc.add_paragraph()
    last.add_run().add_break(WD_BREAK.PAGE)
    _manifest(doc, data, lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
