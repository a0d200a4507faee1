"""Export an assessment to an .xlsx in the LKE layout, with the scores as live formulas."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from wbk.catalog.validate import formula_terms
from wbk.formats.safe_text import xlsx_text
from wbk.i18n import t
from wbk.reports.data import ReportData

SHEET = "LKE"
SCALES = "Skala"
HEADER_ROW = 4
COLUMNS = (
    "code",
    "text",
    "weight",
    "answer",
    "value",
    "score",
    "percent",
    "narrative",
    "evidence",
    "scale",
)
COL = {name: get_column_letter(i + 1) for i, name in enumerate(COLUMNS)}
FILLS = {
    "total": PatternFill("solid", fgColor="0B3D72"),
    "component": PatternFill("solid", fgColor="1F5FA8"),
    "part": PatternFill("solid", fgColor="C9DAF0"),
    "area": PatternFill("solid", fgColor="DCE6F1"),
    "subarea": PatternFill("solid", fgColor="EEF3F9"),
    "input": PatternFill("solid", fgColor="FFF7DB"),
}
THIN = Side(style="thin", color="B7C3D0")


def _value_formula(item, row: int, inputs: dict[str, int]) -> str:
    d = f"{COL['answer']}{row}"
    if item.scale.kind == "option":
        return (
            f'=IFERROR(VLOOKUP({COL["scale"]}{row}&"|"&UPPER(TRIM({d})),{SCALES}!$A:$B,2,FALSE),0)'
        )
    if item.scale.kind == "index":
        lo, hi = float(item.scale.minimum), float(item.scale.maximum)
        return f"=IF(ISNUMBER({d}),MIN(MAX(({d}-{lo:g})/({hi:g}-{lo:g}),0),1),0)"
    direct = f"IF(ISNUMBER({d}),MIN(MAX({d},0),1),0)"
    if not inputs or item.formula is None:
        return "=" + direct

    def expr(text: str) -> str:
        return "".join(
            ("+" if sign > 0 else "-") + f"{COL['answer']}{inputs[name]}"
            for sign, name in formula_terms(text)
        )

    num, den = f"({expr(item.formula.numerator)})", f"({expr(item.formula.denominator)})"
    zero = "0" if item.formula.when_zero is None else f"{float(item.formula.when_zero):g}"
    cells = ",".join(f"{COL['answer']}{r}" for r in inputs.values())
    counts = f"IF({den}=0,IF({num}=0,{zero},IF({num}>0,1,0)),MIN(MAX({num}/{den},0),1))"
    return f"=IF(COUNT({cells})={len(inputs)},{counts},{direct})"


def export_workbook(data: ReportData, lang: str = "id") -> bytes:
    cat = data.catalog
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    scales = wb.create_sheet(SCALES)
    scales.sheet_state = "hidden"
    row_no = 0
    for name, scale in cat.scales.items():
        for option in scale.options:
            row_no += 1
            xlsx_text(scales.cell(row_no, 1), f"{name}|{option.key.upper()}")
            scales.cell(row_no, 2, float(option.value))

    # Everything a person typed (unit name, answers, narratives, evidence titles) and the
    # catalog text is written with xlsx_text: a string cell, never a formula. Only the score
    # formulas below are assigned as formulas.
    xlsx_text(ws["A1"], f"{t('report.title', lang=lang)} · {data.unit_name} · {data.year}")
    ws["A1"].font = Font(bold=True, size=14)
    xlsx_text(ws["A2"], f"{cat.name} ({cat.id}) · {t('ui.tier_' + data.tier, lang=lang)}")
    headers = [
        t("ui.code", lang=lang),
        t("ui.question_text", lang=lang),
        t("cli.weight", lang=lang),
        t("ui.answer", lang=lang),
        t("report.value", lang=lang),
        t("cli.score", lang=lang),
        "%",
        t("ui.narrative", lang=lang),
        t("nav.evidence", lang=lang),
        "scale",
    ]
    ws.append([])
    ws.append(headers)
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = FILLS["total"]
    row = HEADER_ROW

    def put(kind: str, code: str, text: str, weight=None) -> int:
        nonlocal row
        row += 1
        xlsx_text(ws.cell(row, 1), code)
        xlsx_text(ws.cell(row, 2), text)
        if weight is not None:
            ws.cell(row, 3, float(weight))
        if kind in FILLS:
            for c in range(1, len(COLUMNS) + 1):
                ws.cell(row, c).fill = FILLS[kind]
                if kind in ("total", "component"):
                    ws.cell(row, c).font = Font(bold=True, color="FFFFFF")
                elif kind != "input":
                    ws.cell(row, c).font = Font(bold=True)
        return row

    def pct(r: int) -> None:
        ws[f"{COL['percent']}{r}"] = (
            f"=IF({COL['weight']}{r}=0,0,{COL['score']}{r}/{COL['weight']}{r})"
        )
        ws[f"{COL['percent']}{r}"].number_format = "0.00%"

    total_row = put("total", "TOTAL", t("cli.total", lang=lang), cat.total_weight)
    peng_row = put("component", "A", t("cli.pengungkit", lang=lang), cat.pengungkit.weight)
    part_rows = []
    for part in cat.pengungkit.parts:
        part_row = put("part", part.code, part.name, part.weight)
        part_rows.append(part_row)
        area_rows = []
        for area in part.areas:
            info = next(a for a in cat.areas if a.code == area.code)
            area_row = put("area", f"{part.code}.{area.code}", info.name, area.weight)
            area_rows.append(area_row)
            sub_rows = []
            for sub in area.subareas:
                sub_row = put("subarea", f"{part.code}.{area.code}.{sub.id}", sub.name, sub.weight)
                sub_rows.append(sub_row)
                value_cells = []
                for q in sub.questions:
                    value_cells.append(
                        _question(ws, data, q.code, q.text, put, sub_row, len(sub.questions))
                    )
                refs = ",".join(f"{COL['value']}{r}" for r in value_cells)
                ws[f"{COL['score']}{sub_row}"] = f"={COL['weight']}{sub_row}*AVERAGE({refs})"
                pct(sub_row)
            ws[f"{COL['score']}{area_row}"] = "=" + "+".join(f"{COL['score']}{r}" for r in sub_rows)
            pct(area_row)
        ws[f"{COL['score']}{part_row}"] = "=" + "+".join(f"{COL['score']}{r}" for r in area_rows)
        pct(part_row)
    ws[f"{COL['score']}{peng_row}"] = "=" + "+".join(f"{COL['score']}{r}" for r in part_rows)
    pct(peng_row)
    hasil_row = put("component", "B", t("cli.hasil", lang=lang), cat.hasil.weight)
    group_rows = []
    for group in cat.hasil.groups:
        group_row = put("area", group.code, group.name, group.weight)
        group_rows.append(group_row)
        item_rows = [
            _question(ws, data, item.code, item.text, put, None, 1, item.weight)
            for item in group.items
        ]
        ws[f"{COL['score']}{group_row}"] = "=" + "+".join(f"{COL['score']}{r}" for r in item_rows)
        pct(group_row)
    ws[f"{COL['score']}{hasil_row}"] = "=" + "+".join(f"{COL['score']}{r}" for r in group_rows)
    pct(hasil_row)
    ws[f"{COL['score']}{total_row}"] = f"={COL['score']}{peng_row}+{COL['score']}{hasil_row}"
    pct(total_row)
    _format(ws, row)
    _jawaban_sheet(wb, data, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _question(
    ws, data: ReportData, code: str, text: str, put, sub_row: int | None, n: int, weight=None
) -> int:
    item = data.catalog.items[code]
    answer, narrative = data.answers.get(code, (None, None))
    r = put("question", code, text, weight)
    scale_name = next(k for k, s in data.catalog.scales.items() if s is item.scale)
    xlsx_text(ws[f"{COL['scale']}{r}"], scale_name)
    inputs: dict[str, int] = {}
    if item.formula is not None:
        for inp in item.formula.inputs:
            input_code = f"{code}#{inp.name}"
            ir = put("input", input_code, inp.label)
            stored = data.answers.get(input_code, (None, None))[0]
            if stored is not None:
                ws[f"{COL['answer']}{ir}"] = int(stored)
            inputs[inp.name] = ir
    if answer is not None:
        cell = ws[f"{COL['answer']}{r}"]
        number = None if item.scale.kind == "option" else _number(answer)
        if number is None:
            xlsx_text(cell, answer)
        else:
            cell.value = number
            if item.scale.kind == "ratio":
                cell.number_format = "0.00%"
    ws[f"{COL['value']}{r}"] = _value_formula(item, r, inputs)
    if sub_row is None:
        ws[f"{COL['score']}{r}"] = f"={COL['value']}{r}*{COL['weight']}{r}"
    else:
        ws[f"{COL['score']}{r}"] = f"={COL['value']}{r}*{COL['weight']}{sub_row}/{n}"
    if narrative:
        xlsx_text(ws[f"{COL['narrative']}{r}"], narrative)
    docs = data.docs_for(code)
    if docs:
        xlsx_text(
            ws[f"{COL['evidence']}{r}"],
            "; ".join(
                f"{d.title}" + (f" [{d.latest.sha256[:12]}]" if d.latest else "") for d in docs
            ),
        )
    return r


def _number(text: str) -> float | None:
    s = text.strip()
    percent = s.endswith("%")
    s = s.rstrip("%").strip().replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return value / 100 if percent else value


def _format(ws, last_row: int) -> None:
    widths = {
        "code": 16,
        "text": 70,
        "weight": 8,
        "answer": 10,
        "value": 8,
        "score": 9,
        "percent": 9,
        "narrative": 45,
        "evidence": 45,
        "scale": 9,
    }
    for name, width in widths.items():
        ws.column_dimensions[COL[name]].width = width
    ws.column_dimensions[COL["scale"]].hidden = True
    for r in range(HEADER_ROW, last_row + 1):
        for c in range(1, len(COLUMNS) + 1):
            cell = ws.cell(r, c)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            if c in (2, 8, 9):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for name in ("weight", "value", "score"):
            ws[f"{COL[name]}{r}"].number_format = "0.00"
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{COL['evidence']}{last_row}"


# --- the official "Jawaban" sheet (PortalRB's master list names its rows and columns) -------

JAWABAN = "Jawaban"
JAWABAN_COLUMNS = {"unit": "K", "unit_note": "L", "evidence": "M", "tpi": "N", "tpi_note": "Q"}
ENTRY_KEYS = {
    "unit": "jawaban_unit",
    "unit_note": "catatan_unit",
    "evidence": "bukti_dukung_unit",
    "tpi": "jawaban_tpi",
    "tpi_note": "catatan_tpi",
}


def jawaban_entries(data: ReportData) -> list[dict]:
    """The sheet's rows: the service's PortalRB entries (``extra["jawaban"]``: both tiers,
    evidence links), or for a ReportData built without them the report's own answers."""
    entries = data.extra.get("jawaban")
    if entries is not None:
        return entries
    from wbk.errors import AnswersError
    from wbk.portalrb import to_portalrb_answers

    notes: dict[str, list[str]] = {}
    for n in data.notes:
        notes.setdefault(n.code, []).append(n.text)
    links = {
        code: "; ".join(d.title for d in data.docs_for(code))
        for code in {c for d in data.documents for c in d.codes}
    }
    own = data.answers if data.tier == "self" else {}
    try:
        return to_portalrb_answers(data.catalog, own, {}, notes, links).answers
    except AnswersError:
        return []


def _sheet_number(value):
    """PortalRB sends a count or an index as text (``"12"``, ``"3.62"``); the sheet holds the
    number, as the official workbook does."""
    from wbk.scoring.answers import parse_number

    number = parse_number(value) if isinstance(value, str) else None
    if number is None:
        return value
    return int(number) if number == number.to_integral_value() else float(number)


def _jawaban_sheet(wb, data: ReportData, lang: str) -> None:
    """One row per soal at its ``excel_baris``: unit answer K, note L, evidence M, TPI answer
    N, TPI note Q; soal_id, code and question text in A..C for people reading it."""
    soals = [s for s in data.catalog.soals if s.excel_baris is not None]
    if not soals:
        return
    ws = wb.create_sheet(JAWABAN)
    entries = {e["soal_id"]: e for e in jawaban_entries(data)}
    first = min(s.excel_baris for s in soals)
    if first >= 3:
        xlsx_text(ws["A1"], f"{t('report.title', lang=lang)} · {data.unit_name} · {data.year}")
        ws["A1"].font = Font(bold=True, size=14)
        heads = {
            "A": "soal_id",
            "B": t("ui.code", lang=lang),
            "C": t("ui.question_text", lang=lang),
            **{col: ENTRY_KEYS[key] for key, col in JAWABAN_COLUMNS.items()},
        }
        for col, text in heads.items():
            cell = ws[f"{col}{first - 1}"]
            xlsx_text(cell, text)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = FILLS["total"]
    for soal in soals:
        r = soal.excel_baris
        ws[f"A{r}"] = soal.soal_id
        xlsx_text(ws[f"B{r}"], soal.code)
        xlsx_text(ws[f"C{r}"], soal.portalrb_text)
        ws[f"C{r}"].alignment = Alignment(wrap_text=True, vertical="top")
        entry = entries.get(soal.soal_id, {})
        for key, col in JAWABAN_COLUMNS.items():
            value = entry.get(ENTRY_KEYS[key])
            if value is None or value == "":
                continue
            if key in ("unit", "tpi") and soal.kind != "option":
                value = _sheet_number(value)
            cell = ws[f"{col}{r}"]
            if isinstance(value, bool) or not isinstance(value, int | float):
                # text, links too: a hyperlink would be an external target in the package,
                # which the upload checks refuse when the workbook comes back as evidence
                xlsx_text(cell, str(value))
            else:
                cell.value = value
            if key in ("unit_note", "evidence", "tpi_note"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in {
        "A": 8,
        "B": 18,
        "C": 60,
        "K": 12,
        "L": 45,
        "M": 45,
        "N": 12,
        "Q": 45,
    }.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"D{first}"
