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
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class Hasil(_Model):
    """The result component (komponen hasil)."""

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

    def predicate(self, pid: str) -> Predicate:
        for p in self.predicates:
            if p.id == pid:
                return p
        raise KeyError(pid)
