"""Read answers from an LKE workbook (ours or a unit's own of the same layout), cell by cell: the
LKE sheet, or the official "Jawaban" sheet by soal row."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from wbk.catalog import Catalog
from wbk.errors import AnswersError, WbkError
from wbk.formats.xlsx_guard import XlsxRefused, guard_xlsx
from wbk.portalrb import from_portalrb_answers
from wbk.reports.xlsx_export import JAWABAN, JAWABAN_COLUMNS, SHEET
from wbk.scoring import AnswerRow, parse_answers
from wbk.scoring.answers import parse_number

log = logging.getLogger("wbk.reports")
MAX_ROWS = 5_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
CODE_HEADERS = {"kode", "code"}
ANSWER_HEADERS = {"jawaban", "answer"}
NARRATIVE_HEADERS = {"penjelasan", "narrative", "explanation"}


class WorkbookError(WbkError):
    """A workbook that cannot be read at all (not xlsx, wrong sheet, too big, no header)."""

    key = "xlsx.invalid"


@dataclass(frozen=True, slots=True)
class CellProblem:
    cell: str
    message_key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        return f"{self.cell}: " + t(self.message_key, lang=lang, **self.params)


@dataclass
class WorkbookAnswers:
    rows: list[AnswerRow]  # valid rows, with line = the sheet row
    problems: list[CellProblem]
    answer_col: str
    total_rows: int


def _guard(path: Path) -> None:
    """The shared workbook guard, refusing as this reader's WorkbookError."""
    try:
        guard_xlsx(path, max_uncompressed=MAX_UNCOMPRESSED, max_ratio=MAX_RATIO, name=path.name)
    except XlsxRefused as exc:
        raise WorkbookError(exc.key, **exc.params) from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float):
        return (
            repr(round(value, 10)).rstrip("0").rstrip(".")
            if value != int(value)
            else str(int(value))
        )
    return str(value).strip()


def read_workbook(
    path: Path, catalog: Catalog, sheet: str | None = None, tier: str = "self"
) -> WorkbookAnswers:
    """Every answer cell of the LKE sheet, or of the official "Jawaban" sheet (``sheet``, or
    by default when the workbook has no LKE sheet); cells that cannot be read become
    CellProblems."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    _guard(path)
    try:
        wb = load_workbook(path, data_only=False, read_only=False)
    except Exception:
        raise WorkbookError("xlsx.not_xlsx", file=path.name) from None
    if sheet is None:
        sheet = SHEET if SHEET in wb.sheetnames or JAWABAN not in wb.sheetnames else JAWABAN
    if sheet not in (SHEET, JAWABAN) or sheet not in wb.sheetnames:
        raise WorkbookError("xlsx.no_sheet", sheet=sheet, found=", ".join(wb.sheetnames))
    ws = wb[sheet]
    if ws.max_row > MAX_ROWS:
        raise WorkbookError("xlsx.too_many_rows", rows=ws.max_row, limit=MAX_ROWS)
    if sheet == JAWABAN:
        return read_jawaban(ws, catalog, tier)
    header_row, cols = None, {}
    for r in range(1, min(ws.max_row, 30) + 1):
        names = {str(c.value).strip().lower(): c.column for c in ws[r] if c.value is not None}
        if names.keys() & CODE_HEADERS and names.keys() & ANSWER_HEADERS:
            header_row = r
            cols = {
                "code": next(names[h] for h in CODE_HEADERS if h in names),
                "answer": next(names[h] for h in ANSWER_HEADERS if h in names),
                "narrative": next((names[h] for h in NARRATIVE_HEADERS if h in names), None),
            }
            break
    if header_row is None:
        raise WorkbookError("xlsx.no_header")
    merged = set()
    for rng in ws.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged.add((row, col))
    answer_letter = get_column_letter(cols["answer"])
    rows: list[AnswerRow] = []
    problems: list[CellProblem] = []
    known = set(catalog.items)
    for r in range(header_row + 1, ws.max_row + 1):
        try:
            row = _read_row(ws, r, cols, merged, known, catalog.part_codes, answer_letter)
        except Exception:  # one odd cell must not hide the others: say where, log why
            log.exception("LKE workbook row %s could not be read", r)
            problems.append(CellProblem(f"{answer_letter}{r}", "xlsx.unreadable_cell"))
            continue
        if isinstance(row, CellProblem):
            problems.append(row)
        elif row is not None:
            rows.append(row)
    try:
        parse_answers(catalog, rows)
    except AnswersError as exc:
        bad_lines = set()
        for p in exc.problems:
            bad_lines.add(p.line)
            problems.append(CellProblem(f"{answer_letter}{p.line}", p.key, p.params))
        rows = [row for row in rows if row.line not in bad_lines]
    problems.sort(key=lambda p: (len(p.cell), p.cell))
    return WorkbookAnswers(rows, problems, answer_letter, ws.max_row)


def _read_row(
    ws, r: int, cols: dict, merged: set, known: set, parts: tuple[str, ...], answer_letter: str
):
    """One sheet row as an AnswerRow, a CellProblem, or None for rows that hold no answer."""
    code = _text(ws.cell(r, cols["code"]).value)
    base = code.split("#", 1)[0]
    if not code or (base not in known and not _looks_like_question(code, parts)):
        return None  # component, part, area and sub-area rows, blank rows
    cell = f"{answer_letter}{r}"
    raw = ws.cell(r, cols["answer"]).value
    if (r, cols["answer"]) in merged:
        return CellProblem(cell, "xlsx.merged")
    if isinstance(raw, str) and raw.startswith("="):
        return CellProblem(cell, "xlsx.formula")
    narrative = None  # no penjelasan column: the stored penjelasan stays
    if cols["narrative"] is not None:  # an empty cell: "" (the import clears it)
        narrative = _text(ws.cell(r, cols["narrative"]).value)
    return AnswerRow(code, _text(raw), r, narrative)


def _looks_like_question(code: str, parts: tuple[str, ...]) -> bool:
    """A code shaped like a question of one of the catalog's ``parts`` (``P.MP.i.z``) that
    the catalog does not have: a row to report, not to skip."""
    pieces = code.split("#", 1)[0].split(".")
    return len(pieces) == 4 and pieces[0] in parts


# --- the official "Jawaban" sheet ------------------------------------------------------------


def _merged(ws) -> set[tuple[int, int]]:
    out = set()
    for rng in ws.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                out.add((row, col))
    return out


def _jawaban_value(soal, raw):
    """A cell as PortalRB would send it: an option as text, a count or an index as a number
    (text that reads as one, ``3,62`` too)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if soal.kind == "option":
        return _text(raw)
    if isinstance(raw, str):
        number = parse_number(raw)
        return number if number is not None else raw.strip()
    return raw


def read_jawaban(ws, catalog: Catalog, tier: str = "self") -> WorkbookAnswers:
    """The answers at each soal's ``excel_baris``: the unit's in K with its note in L, or the
    TPI's in N (``tier="tpi"``). Read as PortalRB's own entries, so a count row becomes its
    ``code#input`` answer; a cell that cannot be read is named and left out."""
    from openpyxl.utils import column_index_from_string

    column = JAWABAN_COLUMNS["tpi" if tier == "tpi" else "unit"]
    note_column = JAWABAN_COLUMNS["unit_note"] if tier != "tpi" else None
    merged = _merged(ws)
    problems: list[CellProblem] = []
    entries: list[dict] = []
    rows_of: dict[int, int] = {}
    for soal in catalog.soals:
        r = soal.excel_baris
        if r is None:
            continue
        cell = f"{column}{r}"
        rows_of[soal.soal_id] = r
        raw = ws[cell].value
        if (r, column_index_from_string(column)) in merged:
            problems.append(CellProblem(cell, "xlsx.merged"))
            continue
        if isinstance(raw, str) and raw.startswith("="):
            problems.append(CellProblem(cell, "xlsx.formula"))
            continue
        entry = {"soal_id": soal.soal_id, "jawaban_unit": _jawaban_value(soal, raw)}
        if note_column:  # the TPI's tier has no note column: the penjelasan stays
            entry["catatan_unit"] = _text(ws[f"{note_column}{r}"].value) or None
        entries.append(entry)
    body = {"unit_id": "", "nama_unit": "", "tahun": 0, "answers": entries}
    question_of = {s.soal_id: s.question for s in catalog.soals}
    rows: list[AnswerRow] = []
    try:
        rows = from_portalrb_answers(catalog, body)
    except AnswersError as exc:
        bad: set[str] = set()
        for p in exc.problems:
            ids = _soal_ids(p.params)
            bad |= {question_of[i] for i in ids if i in question_of}
            where = ", ".join(f"{column}{rows_of[i]}" for i in sorted(ids) if i in rows_of)
            problems.append(CellProblem(where or column, p.key, p.params))
        # the rest without every soal of a question found bad (all counts of a percentage)
        kept = [e for e in entries if question_of[e["soal_id"]] not in bad]
        rows = from_portalrb_answers(catalog, body | {"answers": kept})
    line_of = {s.code: rows_of.get(s.soal_id) for s in catalog.soals}
    for s in catalog.soals:  # a counted question's note: at its first count's row
        line_of.setdefault(s.question, rows_of.get(s.soal_id))
    rows = [AnswerRow(r.code, r.answer, line_of.get(r.code), r.note) for r in rows]
    problems.sort(key=lambda p: (len(p.cell), p.cell))
    return WorkbookAnswers(rows, problems, column, ws.max_row)


def _soal_ids(params: dict) -> set[int]:
    if "soal_id" in params:
        return {int(params["soal_id"])}
    if "soal_ids" in params:
        return {int(x) for x in str(params["soal_ids"]).split(",") if x.strip()}
    return set()
