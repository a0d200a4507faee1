"""The counter's responses computed live (IKM, IPAK, IPKP overall, per service and per period,
with the pure functions of ``wbk.surveys``) and exported in the columns the importers read
(``wbk ikm``, ``wbk ipak``, ``wbk ipkp`` and the Survei page's import)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select

from wbk.errors import InvalidInput
from wbk.formats.safe_text import csv_writer, xlsx_text
from wbk.services.core.actor import Actor
from wbk.services.core.workspace import Workspace, require, unit_chain
from wbk.services.people.people import unit_by_code
from wbk.services.surveys.kiosk import DEMOGRAPHICS, INSTRUMENTS, instrument
from wbk.store.tables.kiosk import KioskKey, KioskResponse
from wbk.surveys import ikm, perception

# The export's columns besides the item codes (U1..U9, P1..P8, A1..A5).
ID, WHEN, PERIOD, SERVICE, OUTSIDE = "id", "waktu", "periode", "layanan", "di_luar_jam"
DEMOGRAPHIC_COLUMNS = {
    "age_group": "usia",
    "sex": "jenis_kelamin",
    "education": "pendidikan",
    "occupation": "pekerjaan",
}
PERCEPTION = ("spkp", "spak")


@dataclass
class Group:
    """One index: overall, per service type and per period (empty when nobody answered)."""

    overall: object | None = None  # IkmResult or PerceptionResult
    by_service: dict[str, object] = field(default_factory=dict)
    by_period: dict[str, object] = field(default_factory=dict)


@dataclass
class LiveResults:
    unit_code: str
    period: str | None  # None: every period
    respondents: int
    outside_hours: int
    periods: list[str]
    ikm: Group
    perception: dict[str, Group]  # spkp -> IPKP, spak -> IPAK


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    submitted_at: datetime
    tz: str
    period: str
    service: str
    answers: dict[str, int]
    demographics: dict[str, str | None]
    outside_hours: bool


def stored_rows(ws: Workspace, actor: Actor, unit_code: str, period: str | None) -> list[Row]:
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "read", unit_chain(s, unit.id))
        zones = {
            k.id: (k.hours or {}).get("tz", "Asia/Jakarta")
            for k in s.execute(select(KioskKey).where(KioskKey.unit_id == unit.id)).scalars()
        }
        query = select(KioskResponse).where(KioskResponse.unit_id == unit.id)
        if period:
            query = query.where(KioskResponse.period == period)
        return [
            Row(
                r.id,
                r.submitted_at,
                zones.get(r.key_id, "Asia/Jakarta"),
                r.period,
                r.service,
                {str(k): int(v) for k, v in (r.answers or {}).items()},
                {f: getattr(r, f) for f in DEMOGRAPHICS},
                bool(r.outside_hours),
            )
            for r in s.execute(query.order_by(KioskResponse.id)).scalars()
        ]


def periods(ws: Workspace, actor: Actor, unit_code: str) -> list[str]:
    """The periods that have responses or keys, newest last."""
    with ws.db.read() as s:
        unit = unit_by_code(s, unit_code)
        require(actor, "read", unit_chain(s, unit.id))
        found = set(s.execute(select(KioskKey.period).where(KioskKey.unit_id == unit.id)).scalars())
        return sorted(found)


def _matrix(rows: list[Row], codes: tuple[str, ...]) -> tuple[np.ndarray, list[Row]]:
    """N x items answers (0 = blank) of the rows that answered at least one of ``codes``."""
    kept = [r for r in rows if any(c in r.answers for c in codes)]
    answers = np.zeros((len(kept), len(codes)), dtype=np.int8)
    for i, r in enumerate(kept):
        for k, c in enumerate(codes):
            answers[i, k] = r.answers.get(c, 0)
    return answers, kept


def compute(rows: list[Row]) -> tuple[Group, dict[str, Group]]:
    """IKM (rows with all nine elements) and each perception index from stored rows."""
    skm = instrument("skm").codes
    answers, kept = _matrix(rows, skm)
    full = (answers > 0).all(axis=1)
    ikm_group = Group()
    if full.any():
        answers, kept = answers[full], [r for r, ok in zip(kept, full, strict=True) if ok]
        ikm_group = Group(
            ikm.compute(answers),
            ikm.compute_groups(answers, np.array([r.service for r in kept], dtype=object)),
            ikm.compute_groups(answers, np.array([r.period for r in kept], dtype=object)),
        )
    groups: dict[str, Group] = {}
    for name in PERCEPTION:
        inst = instrument(name)
        answers, kept = _matrix(rows, inst.codes)
        if not kept:
            groups[name] = Group()
            continue
        groups[name] = Group(
            perception.result_of(answers, inst),
            perception.results_by(answers, np.array([r.service for r in kept], dtype=object), inst),
            perception.results_by(answers, np.array([r.period for r in kept], dtype=object), inst),
        )
    return ikm_group, groups


def live_results(
    ws: Workspace, actor: Actor, unit_code: str, period: str | None = None
) -> LiveResults:
    """IKM, IPKP and IPAK of the unit's counter responses (one period, or all)."""
    rows = stored_rows(ws, actor, unit_code, period)
    ikm_group, groups = compute(rows)
    return LiveResults(
        unit_code,
        period,
        len(rows),
        sum(r.outside_hours for r in rows),
        sorted({r.period for r in rows}),
        ikm_group,
        groups,
    )


def columns(only: str | None = None) -> list[str]:
    names = INSTRUMENTS if only is None else (only,)
    codes = [c for n in names for c in instrument(n).codes]
    return [ID, WHEN, PERIOD, SERVICE, *codes, *DEMOGRAPHIC_COLUMNS.values(), OUTSIDE]


def table(rows: list[Row], only: str | None) -> tuple[list[str], list[list[object]]]:
    if only is not None and only not in INSTRUMENTS:
        raise InvalidInput("kiosk.bad_instruments", known=", ".join(INSTRUMENTS))
    header = columns(only)
    codes = header[4:-5]  # between the service and the demographics
    if only is not None:
        rows = [r for r in rows if any(c in r.answers for c in codes)]
    body = []
    for r in rows:
        local = r.submitted_at.astimezone(ZoneInfo(r.tz))
        body.append(
            [
                r.id,
                local.strftime("%d/%m/%Y %H:%M"),  # read day first by the importers
                r.period,
                r.service,
                *[r.answers.get(c) for c in codes],
                *[r.demographics[f] for f in DEMOGRAPHIC_COLUMNS],
                "ya" if r.outside_hours else "",
            ]
        )
    return header, body


def export_csv(
    ws: Workspace, actor: Actor, unit_code: str, period: str | None = None, only: str | None = None
) -> bytes:
    """The responses as CSV (UTF-8, comma, every field quoted, text never a formula); ``only``
    keeps one instrument's columns and the rows that answered it."""
    header, body = table(stored_rows(ws, actor, unit_code, period), only)
    return csv_bytes(header, body)


def csv_bytes(header: list[str], body: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode("utf-8")


def export_xlsx(
    ws: Workspace, actor: Actor, unit_code: str, period: str | None = None, only: str | None = None
) -> bytes:
    """The same table as an xlsx workbook (one sheet; answers as numbers, text as text)."""
    from openpyxl import Workbook

    header, body = table(stored_rows(ws, actor, unit_code, period), only)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Jawaban"
    for c, name in enumerate(header, start=1):
        xlsx_text(sheet.cell(row=1, column=c), name)
    for r, values in enumerate(body, start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, int):
                cell.value = value
            else:
                xlsx_text(cell, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def responses_hash(
    ws: Workspace, actor: Actor, unit_code: str, period: str | None, only: str
) -> tuple[str, int]:
    """SHA-256 of the CSV export of one instrument's responses (the same bytes a user gets
    from ``export_csv(..., only=...)``, so anyone can check it) and its row count."""
    header, body = table(stored_rows(ws, actor, unit_code, period), only)
    return hashlib.sha256(csv_bytes(header, body)).hexdigest(), len(body)
