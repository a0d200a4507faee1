"""Pydantic model of an LKE criteria catalog (areas, sub-areas, questions, scales, gates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CODE_PART = re.compile(r"^[A-Z]$")
IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


class _Model(BaseModel):
    # defer_build: a model's validator is built when first used, not at import; validating a
    # Catalog builds the nested ones inside it once (wbk score starts ~50 ms sooner)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Option(_Model):
    """One answer option of a scale: its letter (or Ya/Tidak) and the value the LKE gives it."""

    key: str
    value: Decimal


class Scale(_Model):
    """An answer scale: options with literal values, a ratio capped at ``cap``, or an index."""

    kind: Literal["option", "ratio", "index"]
    label: str
    options: list[Option] = Field(default_factory=list)
    cap: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @cached_property
    def values(self) -> dict[str, Decimal]:
        return {o.key.upper(): o.value for o in self.options}

    @cached_property
    def canonical(self) -> dict[str, str]:
        return {o.key.upper(): o.key for o in self.options}


class FormulaInput(_Model):
    """A raw count that feeds a percentage question, addressed as ``<code>#<name>``.

    ``soal_id``/``excel_baris``: PortalRB's question number and the row of the official
    "Jawaban" sheet, for catalogs PortalRB exchanges answers for; ``portalrb_text`` is
    PortalRB's wording where it differs from ``label``.
    """

    name: str
    label: str
    soal_id: int | None = None
    excel_baris: int | None = None
    portalrb_text: str | None = None


class Formula(_Model):
    """ratio = numerator / denominator, each a sum/difference of the inputs.

    ``when_zero`` is the value when both numerator and denominator are 0 (``None``: the
    question counts as unanswered). A positive numerator over a zero denominator is an
    unbounded ratio, capped like any other; a negative one is clamped to 0.
    """

    inputs: list[FormulaInput]
    numerator: str
    denominator: str
    when_zero: Decimal | None = None
    note: str | None = None


class Question(_Model):
    """One scored LKE question (pertanyaan) of the Pengungkit component.

    ``soal_id``/``excel_baris``/``portalrb_text`` as on ``FormulaInput``; a percentage
    question with count inputs has none of its own: PortalRB asks for its inputs.
    """

    code: str
    text: str
    text_en: str | None = None
    scale: str
    criteria: dict[str, str] = Field(default_factory=dict)
    explanation: str | None = None
    formula: Formula | None = None
    evidence: list[str] = Field(default_factory=list)
    source_note: str | None = None
    uncertain: bool = False
    uncertain_note: str | None = None  # why it is uncertain, with the figures behind the reading
    soal_id: int | None = None
    excel_baris: int | None = None
    portalrb_text: str | None = None


class SubArea(_Model):
    """A sub-area (sub-indikator) with its weight; its score is weight x mean of its questions."""

    id: str
    name: str
    name_en: str | None = None
    weight: Decimal
    questions: list[Question]


class Area(_Model):
    """A reform area (area perubahan) within Pemenuhan or Reform."""

    code: str
    weight: Decimal
    subareas: list[SubArea]


class Part(_Model):
    """Pemenuhan (P) or Reform (R): the two halves of the Pengungkit component."""

    code: str
    key: str
    name: str
    weight: Decimal
    areas: list[Area]


class Pengungkit(_Model):
    """The enabler component (komponen pengungkit)."""

    name: str
    weight: Decimal
    parts: list[Part]


class ResultItem(_Model):
    """A result (hasil) item, weighted directly: points = weight x value (PortalRB fields as
    on ``Question``)."""

    code: str
    key: str
    weight: Decimal
    scale: str
    text: str
    text_en: str | None = None
    criteria: dict[str, str] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list)
    uncertain: bool = False
    uncertain_note: str | None = None
    soal_id: int | None = None
    excel_baris: int | None = None
    portalrb_text: str | None = None


class ResultGroup(_Model):
    """A result sub-component: birokrasi bersih & akuntabel, or pelayanan publik prima."""

    code: str
    key: str
    name: str
    name_en: str | None = None
    weight: Decimal
    items: list[ResultItem]


# The result component's code, which is also the area of the result items where questions are
# grouped by area: permissions give it to an agen only when it is named in their grant.
RESULTS_AREA = "H"


class Hasil(_Model):
    """The result component (komponen hasil). ``code`` heads its group codes (``H.I``) and is
    the area a result item belongs to where questions are grouped by area (permissions, the
    LKE page, the evidence filter)."""

    code: str = RESULTS_AREA
    name: str
    weight: Decimal
    groups: list[ResultGroup]


AreaReading = Literal["separate", "combined", "both"]


class Gate(_Model):
    """A minimum a predicate requires: on the total, a component, an area, a group or an item."""

    id: str
    target: str
    minimum: Decimal | None = None
    minimum_ratio: Decimal | None = None
    reading: Literal["separate", "combined"] | None = None
    uncertain: bool = False
    uncertain_note: str | None = None
    source: str | None = None  # where the regulation states it (pages)
    stricter: bool = False  # a reading stricter than the regulation (an internal target)


class Predicate(_Model):
    """WBK or WBBM: the gates that must all pass."""

    id: str
    name: str
    area_reading: AreaReading = "both"
    prerequisites: list[str] = Field(default_factory=list)
    gates: list[Gate]


class AreaInfo(_Model):
    code: str
    name: str
    name_en: str | None = None


class PortalRBInfo(_Model):
    """How PortalRB numbers this catalog's questions: the soal count of its master list."""

    total_soal: int | None = None
    source: str | None = None


class Regulation(_Model):
    title: str
    short: str
    number: int
    year: int
    source: str


@dataclass(frozen=True, slots=True)
class ScoredItem:
    """A question or result item placed in the tree, with the points one unit of value earns."""

    code: str
    kind: Literal["pengungkit", "hasil"]
    scale: Scale
    points_per_unit: Decimal  # sub-area weight / questions in it, or the item's weight
    container: str  # sub-area code (P.MP.i) or result group code (H.I)
    part: str | None  # P or R
    area: str | None  # MP .. PP
    text: str
    formula: Formula | None


SoalKind = Literal["option", "count", "index", "ratio"]


@dataclass(frozen=True, slots=True)
class Soal:
    """One PortalRB question (soal) and the catalog item that answers it.

    ``code`` is a question (``P.MP.i.a``), a count input (``R.MP.i.a#agen``) or a result
    item (``H.I.a``); ``question`` is the scored item it belongs to (the code without
    ``#<name>``). ``kind``: ``option`` (a letter or Ya/Tidak), ``count`` (a whole number),
    ``index`` (a survey value) or ``ratio`` (a percentage question without count inputs,
    which PortalRB itself never has). ``portalrb_text`` is the wording PortalRB is expected
    to use.
    """

    soal_id: int
    code: str
    question: str
    input: str | None
    kind: SoalKind
    excel_baris: int | None
    text: str
    portalrb_text: str


class Catalog(_Model):
    """A whole LKE version: the tree of weighted questions, the scales and the predicate gates."""

    id: str
    name: str
    name_en: str | None = None
    regulation: Regulation
    total_weight: Decimal
    scales: dict[str, Scale]
    areas: list[AreaInfo]
    predicates: list[Predicate]
    pengungkit: Pengungkit
    hasil: Hasil
    portalrb: PortalRBInfo | None = None

    @cached_property
    def items(self) -> dict[str, ScoredItem]:
        """Every scored question and result item, in LKE order, by code."""
        out: dict[str, ScoredItem] = {}
        for part in self.pengungkit.parts:
            for area in part.areas:
                for sub in area.subareas:
                    n = len(sub.questions)
                    for q in sub.questions:
                        out[q.code] = ScoredItem(
                            code=q.code,
                            kind="pengungkit",
                            scale=self.scales[q.scale],
                            points_per_unit=sub.weight / n if n else Decimal(0),
                            container=f"{part.code}.{area.code}.{sub.id}",
                            part=part.code,
                            area=area.code,
                            text=q.text,
                            formula=q.formula,
                        )
        for group in self.hasil.groups:
            for item in group.items:
                out[item.code] = ScoredItem(
                    code=item.code,
                    kind="hasil",
                    scale=self.scales[item.scale],
                    points_per_unit=item.weight,
                    container=group.code,
                    part=None,
                    area=None,
                    text=item.text,
                    formula=None,
                )
        return out

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {
            q.code: q
            for part in self.pengungkit.parts
            for area in part.areas
            for sub in area.subareas
            for q in sub.questions
        }

    @cached_property
    def soals(self) -> list[Soal]:
        """Every item that carries a PortalRB soal_id, ordered by soal_id (empty if none)."""
        out: list[Soal] = []
        for code, q in self.questions.items():
            if q.formula is not None:
                for inp in q.formula.inputs:
                    if inp.soal_id is not None:
                        out.append(
                            Soal(
                                soal_id=inp.soal_id,
                                code=f"{code}#{inp.name}",
                                question=code,
                                input=inp.name,
                                kind="count",
                                excel_baris=inp.excel_baris,
                                text=inp.label,
                                portalrb_text=inp.portalrb_text or inp.label,
                            )
                        )
            if q.soal_id is not None:
                out.append(self._soal(q.soal_id, code, q.excel_baris, q.text, q.portalrb_text))
        for group in self.hasil.groups:
            for item in group.items:
                if item.soal_id is not None:
                    out.append(
                        self._soal(
                            item.soal_id, item.code, item.excel_baris, item.text, item.portalrb_text
                        )
                    )
        return sorted(out, key=lambda s: s.soal_id)

    def _soal(
        self, soal_id: int, code: str, row: int | None, text: str, portalrb_text: str | None
    ) -> Soal:
        return Soal(
            soal_id=soal_id,
            code=code,
            question=code,
            input=None,
            kind=self.items[code].scale.kind,
            excel_baris=row,
            text=text,
            portalrb_text=portalrb_text or text,
        )

    @cached_property
    def soal_ids(self) -> dict[str, int]:
        """The reverse of ``soals``: item code (``R.MP.i.a#agen``, ``H.I.a``) -> soal_id."""
        return {s.code: s.soal_id for s in self.soals}

    @cached_property
    def area_codes(self) -> list[str]:
        return [a.code for a in self.areas]

    def with_area_reading(self, reading: str) -> Catalog:
        """This catalog with every predicate's ``area_reading`` set to ``reading`` (the strict
        reading a workspace may choose as an internal target)."""
        if all(p.area_reading == reading for p in self.predicates):
            return self
        predicates = [p.model_copy(update={"area_reading": reading}) for p in self.predicates]
        return self.model_copy(update={"predicates": predicates})

    def predicate(self, pid: str) -> Predicate:
        for p in self.predicates:
            if p.id == pid:
                return p
        raise KeyError(pid)

    # --- predicates, in the catalog's order -------------------------------------------------

    @cached_property
    def predicate_ids(self) -> tuple[str, ...]:
        """The predicates' ids as the catalog lists them, the lower one first (WBK, WBBM)."""
        return tuple(p.id for p in self.predicates)

    @property
    def lower_predicate(self) -> str:
        """The first predicate (WBK): the one a unit reaches first and plans aim at by default."""
        return self.predicate_ids[0]

    @property
    def higher_predicate(self) -> str:
        """The last predicate (WBBM): the one that requires those before it."""
        return self.predicate_ids[-1]

    # --- where a code lives, from the catalog's own index (never by parsing the code) --------

    @cached_property
    def part_codes(self) -> tuple[str, ...]:
        """The Pengungkit parts' codes (P, R)."""
        return tuple(p.code for p in self.pengungkit.parts)

    def part_by_key(self, key: str) -> Part:
        """A Pengungkit part by its key (``pemenuhan``, ``reform``)."""
        for part in self.pengungkit.parts:
            if part.key == key:
                return part
        raise KeyError(key)

    @property
    def results_area(self) -> str:
        """The code of the result component (H): the "area" of every result item."""
        return self.hasil.code

    def item_of(self, code: str) -> ScoredItem | None:
        """The scored item ``code`` belongs to (a count input ``R.MP.i.a#agen`` belongs to its
        question); None for a code the catalog does not have."""
        return self.items.get(code.split("#", 1)[0])

    def component_of(self, code: str) -> Literal["pengungkit", "hasil"] | None:
        """``pengungkit`` for a question or its count input, ``hasil`` for a result item."""
        item = self.item_of(code)
        return item.kind if item is not None else None

    def is_result(self, code: str) -> bool:
        """Whether ``code`` is a result item (``H.I.a``)."""
        return self.component_of(code) == "hasil"

    def part_of(self, code: str) -> str | None:
        """The part (P, R) of a question or count input; None for a result item."""
        item = self.item_of(code)
        return item.part if item is not None else None

    def area_of(self, code: str) -> str | None:
        """The area of a question or count input (``MP`` for ``P.MP.i.a`` and
        ``R.MP.i.a#agen``), ``results_area`` for a result item, None for a code the catalog
        does not have."""
        item = self.item_of(code)
        if item is None:
            return None
        return item.area if item.kind == "pengungkit" else self.results_area

    def part_area(self, code: str) -> tuple[str, str | None] | None:
        """(part, area) of a question, (``results_area``, None) of a result item, None for a
        code the catalog does not have: where the LKE page shows it."""
        item = self.item_of(code)
        if item is None:
            return None
        if item.kind == "hasil":
            return self.results_area, None
        return item.part or "", item.area

    @staticmethod
    def area_key(part: str, area: str) -> str:
        """The key of one part's area in a score card's ``areas`` (``P.MP``); the area code
        alone (``MP``) is the combined area."""
        return f"{part}.{area}"

    def split_area_key(self, key: str) -> tuple[str, str]:
        """(part, area) of a score card's area key: ``P.MP`` -> (P, MP); a combined area
        (``MP``) or a key the catalog does not have -> ("", key)."""
        for part in self.pengungkit.parts:
            for area in part.areas:
                if self.area_key(part.code, area.code) == key:
                    return part.code, area.code
        return "", key

    def area_prefix(self, part: str, area: str) -> str:
        """What every code of one part's area starts with (``P.MP.``)."""
        return self.area_key(part, area) + "."

    def codes_in(self, part: str, area: str | None = None) -> list[str]:
        """The question codes of a part (or of one of its areas), in LKE order; with ``part``
        the results area: the result items."""
        if part == self.results_area:
            return [item.code for _, item in self.result_items]
        return [
            code
            for code, item in self.items.items()
            if item.part == part and (area is None or item.area == area)
        ]

    # --- the result component ----------------------------------------------------------------

    @cached_property
    def result_items(self) -> tuple[tuple[ResultGroup, ResultItem], ...]:
        """Every result item with its group, in LKE order."""
        return tuple((group, item) for group in self.hasil.groups for item in group.items)

    def result_item(self, code: str) -> ResultItem | None:
        """The result item ``code`` (``H.I.a``) or, by its key, ``ipak``; None otherwise."""
        for _, item in self.result_items:
            if code in (item.code, item.key):
                return item
        return None

    def result_group(self, code: str) -> ResultGroup | None:
        """The result group by its code (``H.I``) or key (``bersih_akuntabel``)."""
        for group in self.hasil.groups:
            if code in (group.code, group.key):
                return group
        return None
