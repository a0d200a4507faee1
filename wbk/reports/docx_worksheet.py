"""The kertas kerja section of the Word report: every question in LKE order."""

from __future__ import annotations

from docx.shared import Pt

from wbk.i18n import fmt_date, fmt_number, t
from wbk.reports.data import ReportData


def _evidence_lines(data: ReportData, code: str, lang: str) -> list[str]:
    lines = []
    for d in data.docs_for(code):
        rev = d.latest
        parts = [d.title, fmt_date(d.document_date, lang)]
        if rev is not None:
            parts.append(f"rev {rev.revision}, {rev.sha256[:12]}")
        else:
            parts.append(d.url or "")
        if d.warnings:
            parts.append("⚠ " + ", ".join(t(f"warning.{w}", lang=lang) for w in d.warnings))
        lines.append(" · ".join(p for p in parts if p))
    return lines


def _row(data: ReportData, code: str, text: str, lang: str) -> list[str]:
    answer, narrative = data.answers.get(code, (None, None))
    score = data.card.questions[code]
    if answer is None and any(k.startswith(code + "#") for k in data.answers):
        answer = "\n".join(
            f"{k.split('#', 1)[1]} = {v[0]}"
            for k, v in data.answers.items()
            if k.startswith(code + "#")
        )
    if code in data.ratios:
        answer = f"{answer}\n({fmt_number(data.ratios[code] * 100, 1, lang)}%)"
    details = []
    if narrative:
        details.append(narrative)
    evidence = _evidence_lines(data, code, lang)
    details += [f"• {line}" for line in evidence]
    if not evidence and score.value is not None:
        details.append("⚠ " + t("warning.no_evidence", lang=lang))
    for n in data.notes_for(code):
        details.append(
            f"{t('ui.tpi_note', lang=lang)} ({t(f'note_status.{n.status}', lang=lang)}"
            f"): {n.text}" + (f" → {n.response}" if n.response else "")
        )
    value = "–" if score.value is None else fmt_number(score.value, lang=lang)
    row = [code, text, answer or "–", value, fmt_number(score.points, 3, lang), "\n".join(details)]
    if data.pre_review is not None:
        row.append(_pre_review_cell(data, code, lang))
    return row


def _pre_review_cell(data: ReportData, code: str, lang: str) -> str:
    cell = data.pre_review.cells.get(code) if data.pre_review else None
    if cell is None:
        return "–"
    lines = [t(f"review.verdict.{cell.verdict}", lang=lang).upper()]
    if cell.unsupported:
        lines.append(t("review.report.unsupported", lang=lang))
    lines += [f"• {r}" for r in cell.reasons]
    return "\n".join(lines)


def add_worksheet(doc, data: ReportData, lang: str, make_table) -> None:
    cat = data.catalog
    doc.add_heading(t("report.worksheet", lang=lang), level=1)
    doc.add_paragraph(t("report.worksheet_text", lang=lang))
    headers = [
        t("ui.code", lang=lang),
        t("ui.question_text", lang=lang),
        t("ui.answer", lang=lang),
        t("report.value", lang=lang),
        t("ui.points", lang=lang),
        t("report.details", lang=lang),
    ]
    widths = [1.9, 4.9, 2.5, 1.2, 1.4, 4.7]
    if data.pre_review is not None:  # the same 16.6 cm between the margins, one column more
        headers.append(t("review.ui.report_column", lang=lang))
        widths = [1.9, 3.9, 2.1, 1.3, 1.3, 3.8, 2.3]
        doc.add_paragraph(_pre_review_text(data, lang))
    for part in cat.pengungkit.parts:
        for area in part.areas:
            info = next(a for a in cat.areas if a.code == area.code)
            doc.add_heading(f"{t(f'cli.{part.key}', lang=lang)} · {area.code} {info.name}", level=2)
            for sub in area.subareas:
                total = data.card.subareas[f"{part.code}.{area.code}.{sub.id}"]
                p = doc.add_paragraph()
                p.add_run(f"{sub.id}. {sub.name}").bold = True
                p.add_run(
                    f"  ({fmt_number(total.score, lang=lang)} / "
                    f"{fmt_number(total.weight, lang=lang)})"
                )
                table = make_table(
                    doc,
                    headers,
                    [_row(data, q.code, q.text, lang) for q in sub.questions],
                    widths=widths,
                )
                _small(table)
    doc.add_heading(t("cli.hasil", lang=lang), level=2)
    rows = [_row(data, item.code, item.text, lang) for _, item in cat.result_items]
    _small(make_table(doc, headers, rows, widths=widths))


def _pre_review_text(data: ReportData, lang: str) -> str:
    text = t("review.report.column_text", lang=lang)
    if data.pre_review is not None and data.pre_review.pending:
        text += " " + t("review.report.pending", lang=lang, count=data.pre_review.pending)
    return text


def _small(table) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
