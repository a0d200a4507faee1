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
    """A raw count that feeds a percentage question, addressed as ``<code>#<name>``."""

    name: str
    label: str


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
    """One scored LKE question (pertanyaan) of the Pengungkit component."""

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
    """A result (hasil) item, weighted directly: points = weight x value."""

    code: str
    key: str
    weight: Decimal
    scale: str
    text: str
    text_en: str | None = None
    criteria: dict[str, str] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list)
    uncertain: bool = False


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
    def area_codes(self) -> list[str]:
        return [a.code for a in self.areas]

    def predicate(self, pid: str) -> Predicate:
        for p in self.predicates:
            if p.id == pid:
                return p
        raise KeyError(pid)
