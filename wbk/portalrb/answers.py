"""PortalRB's answer format (``/lke/jawaban-unit/{id}``): stored answers to soal entries and back.

PortalRB asks each percentage question as its counts (one soal per count input), so a unit's
answers travel as counts and the catalog's formulas compute the percentage on our side. Every
answer travels as a string or null (``wbk.portalrb.values``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from wbk.catalog.model import Catalog, Soal
from wbk.errors import AnswerProblem, AnswersError, CatalogError
from wbk.portalrb.values import (
    count_text,
    decimal_text,
    is_json_int,
    read_count,
    read_decimal,
    separated_count,
)
from wbk.scoring.answers import AnswerRow, BadAnswer, check_stored, parse_number

Jawaban = str | None  # the guide: "A/B/C/D atau nilai numerik tergantung jenis soal", as text
Tier = Literal["self", "tpi"]
BODY_KEYS = ("unit_id", "nama_unit", "tahun", "answers")


@dataclass(frozen=True, slots=True)
class SoalEntry:
    """One entry of PortalRB's ``answers`` list: a soal's answer by the unit and by the TPI,
    the unit's penjelasan, the link to its evidence and the TPI's notes."""

    soal_id: int
    jawaban_unit: Jawaban
    jawaban_tpi: Jawaban
    catatan_unit: str | None
    bukti_dukung_unit: str | None
    catatan_tpi: str | None

    def to_dict(self) -> dict[str, Any]:
        """The entry as PortalRB's JSON object (its keys in the guide's order)."""
        return asdict(self)


class RatioOnly(NamedTuple):
    """A percentage question of ``tier`` stored as a ratio without its counts."""

    tier: Tier
    code: str


@dataclass(frozen=True, slots=True)
class PortalRBExport:
    """One entry per soal and the percentage questions they could not express.

    ``ratio_only``: percentage questions stored as a ratio without their counts. PortalRB only
    takes counts, so their count soals are sent as null; the caller decides whether to warn or
    refuse.
    """

    entries: list[SoalEntry]
    ratio_only: list[RatioOnly]

    @property
    def answers(self) -> list[dict[str, Any]]:
        """The entries as PortalRB's JSON ``answers`` list (a new list on every call)."""
        return [e.to_dict() for e in self.entries]


class SoalScaleError(CatalogError):
    """A soal whose kind its item's scale cannot give: an index soal on a scale without bounds,
    a number soal on a scale that does not read as a number. A checked catalog has none; this
    is a catalog that fits PortalRB's format wrongly, not a bad answer."""

    key = "portalrb.answers.soal_scale"


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _stored_jawaban(
    catalog: Catalog, soal: Soal, raw: str | None, tier: Tier, problems: list[AnswerProblem]
) -> Jawaban:
    """A stored answer (as the user wrote it) in PortalRB's form, or None when there is none."""
    text = _text(raw)
    if text is None:
        return None
    try:
        stored = check_stored(catalog, soal.code, text)
    except BadAnswer:
        problems.append(
            AnswerProblem("portalrb.answers.bad_stored", code=soal.code, tier=tier, answer=text)
        )
        return None
    if soal.kind == "count":
        assert stored.count is not None  # a count input's row always has its count
        return count_text(stored.count)
    if soal.kind == "option":
        if stored.item.scale.kind != "option":
            raise _scale_error(catalog, soal)
        return stored.text
    if stored.ratio is not None:  # a percentage question without counts (not in PortalRB's LKE)
        return decimal_text(stored.ratio)
    number = parse_number(stored.text)
    if number is None:
        raise _scale_error(catalog, soal)
    return decimal_text(number)


def to_portalrb_answers(
    catalog: Catalog,
    self_answers: Mapping[str, tuple[str | None, str | None]],
    tpi_answers: Mapping[str, str | None],
    tpi_notes: Mapping[str, Sequence[str]],
    evidence_links: Mapping[str, str | None],
) -> PortalRBExport:
    """One PortalRB entry per soal of the catalog, in soal order.

    ``self_answers`` maps a code (``P.MP.i.a``, ``R.MP.i.a#agen``, ``H.I.a``) to the unit's
    stored (answer, penjelasan); ``tpi_answers`` the TPI tier's answers; ``tpi_notes`` and
    ``evidence_links`` are keyed by question code. A count soal carries the penjelasan, TPI
    notes and evidence link of its percentage question. A stored answer that the catalog
    cannot read raises AnswersError naming its code (nothing is sent half-converted).
    """
    problems: list[AnswerProblem] = []
    unit = {code: value for code, (value, _) in self_answers.items()}
    tiers: dict[Tier, Mapping[str, str | None]] = {"self": unit, "tpi": tpi_answers}
    ratio_only: list[RatioOnly] = []
    for tier, answers in tiers.items():
        for code, q in catalog.questions.items():
            if q.formula is None or not q.formula.inputs:
                continue
            counted = any(_text(answers.get(f"{code}#{i.name}")) for i in q.formula.inputs)
            if not counted and _text(answers.get(code)):
                ratio_only.append(RatioOnly(tier, code))

    out: list[SoalEntry] = []
    for soal in catalog.soals:
        narrative = self_answers.get(soal.question, (None, None))[1]
        notes = [n.strip() for n in tpi_notes.get(soal.question, ()) if n and n.strip()]
        out.append(
            SoalEntry(
                soal_id=soal.soal_id,
                jawaban_unit=_stored_jawaban(catalog, soal, unit.get(soal.code), "self", problems),
                jawaban_tpi=_stored_jawaban(
                    catalog, soal, tpi_answers.get(soal.code), "tpi", problems
                ),
                catatan_unit=_text(narrative),
                bukti_dukung_unit=_text(evidence_links.get(soal.question)),
                catatan_tpi="\n\n".join(notes) or None,
            )
        )
    if problems:
        raise AnswersError(problems)
    return PortalRBExport(out, ratio_only)


def _scale_error(catalog: Catalog, soal: Soal, key: str | None = None) -> SoalScaleError:
    return SoalScaleError(
        key,
        soal_id=soal.soal_id,
        code=soal.code,
        kind=soal.kind,
        scale=catalog.items[soal.question].scale.kind,
        catalog=catalog.id,
    )


# --- from PortalRB ---------------------------------------------------------------------------


def _shown(jawaban: Any) -> str:
    """A refused value as the message names it: text in quotes, a number as JSON wrote it."""
    if isinstance(jawaban, str):
        return f"'{jawaban.strip()}'"
    if isinstance(jawaban, Decimal):  # a body read with parse_float=Decimal
        return str(jawaban)
    return repr(jawaban)


def _answer_text(catalog: Catalog, soal: Soal, jawaban: Any) -> str | AnswerProblem:
    """A PortalRB ``jawaban_unit`` as the text of an answer row, or the problem with it."""
    item = catalog.items[soal.question]
    where = {"soal_id": soal.soal_id, "code": soal.code}
    shown = _shown(jawaban)
    if soal.kind == "option":
        options = "/".join(item.scale.canonical.values())
        if not isinstance(jawaban, str):
            return AnswerProblem(
                "portalrb.answers.not_option", **where, options=options, answer=shown
            )
        checked = _checked(catalog, soal, jawaban)
        if checked is None:
            return AnswerProblem(
                "portalrb.answers.bad_option", **where, answer=jawaban.strip(), options=options
            )
        return checked
    if soal.kind == "count":
        number = read_count(jawaban)
        checked = _checked(catalog, soal, format(number, "f")) if number is not None else None
        if checked is None:
            key = "count_separator" if separated_count(jawaban) else "bad_count"
            return AnswerProblem(f"portalrb.answers.{key}", **where, answer=shown)
        return checked
    if soal.kind == "index":
        lo, hi = item.scale.minimum, item.scale.maximum
        if lo is None or hi is None:
            raise _scale_error(catalog, soal, "portalrb.answers.index_unbounded")
        number = read_decimal(jawaban)
        checked = _checked(catalog, soal, format(number, "f")) if number is not None else None
        if checked is None:
            return AnswerProblem(
                "portalrb.answers.bad_index",
                **where,
                answer=shown,
                minimum=str(lo),
                maximum=str(hi),
            )
        return checked
    # a percentage without counts (not in PortalRB's LKE): a ratio, or a percent as text
    text = jawaban.strip() if isinstance(jawaban, str) else None
    percent = text is not None and text.endswith("%")
    number = read_decimal(text[:-1] if percent else jawaban)
    if number is not None:
        checked = _checked(catalog, soal, format(number, "f") + ("%" if percent else ""))
    else:
        checked = None
    if checked is None:
        return AnswerProblem("portalrb.answers.bad_ratio", **where, answer=shown)
    return checked


def _checked(catalog: Catalog, soal: Soal, text: str) -> str | None:
    """The stored form of an answer PortalRB sent, by the one check every answer passes;
    None when it is refused (the caller names the problem in PortalRB's terms)."""
    try:
        return check_stored(catalog, soal.code, text).text
    except BadAnswer:
        return None


def from_portalrb_answers(catalog: Catalog, body: Any) -> list[AnswerRow]:
    """Answer rows from a ``/lke/jawaban-unit/{id}`` body (``unit_id``, ``nama_unit``,
    ``tahun``, ``answers``): each ``jawaban_unit`` becomes a row (a count soal a
    ``<code>#<name>`` row, so the catalog's formula computes its percentage), each
    ``catatan_unit`` the note of its question. TPI fields are not read. A question none of
    whose entries has the ``catatan_unit`` key has the note None (nothing said of it); one
    whose entries give it only null or empty has the note ``""`` (an empty penjelasan).

    Any bad entry (an unknown or repeated soal, an answer the scale lacks, a wrong type, some
    but not all counts of a percentage question) raises AnswersError with one problem per
    entry, naming the soal; nothing is returned in part.
    """
    if not isinstance(body, dict) or not all(k in body for k in BODY_KEYS):
        found = ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__
        raise AnswersError([AnswerProblem("portalrb.answers.not_body", detail=found or "{}")])
    if not isinstance(body["answers"], list):
        detail = f"answers: {type(body['answers']).__name__}"
        raise AnswersError([AnswerProblem("portalrb.answers.not_body", detail=detail)])

    by_id = {s.soal_id: s for s in catalog.soals}
    problems: list[AnswerProblem] = []
    seen: dict[int, int] = {}
    answers: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    said: set[str] = set()  # questions an entry gives a catatan_unit for, empty or not
    broken: set[str] = set()  # questions with a count already reported as bad
    for index, entry in enumerate(body["answers"]):
        if not isinstance(entry, dict) or not is_json_int(entry.get("soal_id")):
            problems.append(AnswerProblem("portalrb.answers.not_entry", index=index))
            continue
        sid = entry["soal_id"]
        if sid in seen:
            problems.append(
                AnswerProblem(
                    "portalrb.answers.duplicate_soal", soal_id=sid, first=seen[sid], index=index
                )
            )
            continue
        seen[sid] = index
        soal = by_id.get(sid)
        if soal is None:
            problems.append(
                AnswerProblem("portalrb.answers.unknown_soal", soal_id=sid, catalog=catalog.id)
            )
            continue
        note = entry.get("catatan_unit")
        if "catatan_unit" in entry:
            said.add(soal.question)
        if note is not None and not isinstance(note, str):
            problems.append(
                AnswerProblem(
                    "portalrb.answers.bad_note", soal_id=sid, code=soal.code, field="catatan_unit"
                )
            )
        elif note and note.strip() and note.strip() not in notes.get(soal.question, []):
            # every count soal repeats its question's penjelasan: keep each text once
            notes.setdefault(soal.question, []).append(note.strip())
        jawaban = entry.get("jawaban_unit")
        if jawaban is None or (isinstance(jawaban, str) and not jawaban.strip()):
            continue
        text = _answer_text(catalog, soal, jawaban)
        if isinstance(text, AnswerProblem):
            problems.append(text)
            broken.add(soal.question)
        else:
            answers[soal.code] = text

    counts: dict[str, list[Soal]] = {}
    for soal in catalog.soals:
        if soal.kind == "count":
            counts.setdefault(soal.question, []).append(soal)
    for question, soals in counts.items():
        missing = [s for s in soals if s.code not in answers]
        if missing and len(missing) < len(soals) and question not in broken:
            problems.append(_missing_counts(question, missing))
    if problems:
        raise AnswersError(problems)

    rows: list[AnswerRow] = []
    noted: set[str] = set()
    for soal in catalog.soals:
        note = "\n\n".join(notes.get(soal.question, []))
        if not note and soal.question not in said:
            note = None
        if soal.kind == "count":
            if note is not None and soal.question not in noted:
                rows.append(AnswerRow(soal.question, "", note=note))
                noted.add(soal.question)
            if soal.code in answers:
                rows.append(AnswerRow(soal.code, answers[soal.code]))
        elif soal.code in answers or note is not None:
            rows.append(AnswerRow(soal.code, answers.get(soal.code, ""), note=note))
    return rows


def _missing_counts(question: str, missing: list[Soal]) -> AnswerProblem:
    return AnswerProblem(
        "portalrb.answers.missing_counts",
        soal_ids=", ".join(str(s.soal_id) for s in missing),
        question=question,
    )
