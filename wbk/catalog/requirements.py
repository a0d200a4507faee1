"""What a unit needs besides its LKE to be proposed (PermenPANRB 5/2024, Lampiran Bab II A,
Tabel 5), as data: ``criteria/proposal-requirements-<year>.yaml``. Pure: reading the file, a
value checked against its type, and a recorded value compared with what a predicate needs.

A later regulation is a new file beside the old one (its ``applies_from`` the first
evaluation year it governs), not new code.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from wbk.catalog.exact_yaml import BadYaml, load_exact_yaml
from wbk.errors import CatalogError

PREFIX = "proposal-requirements-"
YES, NO = "ya", "tidak"
_YES_WORDS = {"ya", "y", "yes", "true", "1"}
_NO_WORDS = {"tidak", "t", "no", "n", "false", "0"}
Type = Literal["choice", "ordered", "letter", "level", "yes_no", "percent", "since_year"]


class Text(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    en: str

    def get(self, lang: str | None) -> str:
        return self.en if lang == "en" else self.id


class Requirement(BaseModel):
    """One row of Tabel 5: its key, its level (``instansi``: set on a unit, it holds for every
    unit below; ``unit``: the unit's own), its value type and, per predicate (and per agency
    type where the table says so), the least value that meets it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    key: str
    level: Literal["instansi", "unit"]
    type: Type
    label: Text
    values: tuple[str, ...] = ()
    range: tuple[int, int] | None = None
    minimum: dict[str, str | int | dict[str, str | int]] = {}


class StranasPk(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    key: str
    agency_type: str
    units: tuple[Text, ...]


class Deadline(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    month: int
    day: int


class RequirementSet(BaseModel):
    """A regulation's requirements for a proposal."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    applies_from: int
    regulation: Text
    predicates: tuple[str, ...]
    letter_scale: tuple[str, ...]
    deadline: Deadline
    agency_types: dict[str, Text]
    agency_type_key: str
    stranas_pk: StranasPk
    requirements: tuple[Requirement, ...]

    @model_validator(mode="after")
    def _consistent(self) -> RequirementSet:
        keys = [r.key for r in self.requirements]
        problems = [f"key {k} twice" for k in sorted({k for k in keys if keys.count(k) > 1})]
        by_key = {r.key: r for r in self.requirements}
        for needed in (self.agency_type_key, self.stranas_pk.key):
            if needed not in by_key:
                problems.append(f"no requirement {needed}")
        agency = by_key.get(self.agency_type_key)
        if agency is not None and set(agency.values) != set(self.agency_types):
            problems.append(f"{agency.key}: values are not the agency types")
        for r in self.requirements:
            problems += [f"{r.key}: {p}" for p in _requirement_problems(self, r)]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def get(self, key: str) -> Requirement | None:
        return next((r for r in self.requirements if r.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.requirements)

    def choices(self, req: Requirement) -> tuple[str, ...] | None:
        """Every value ``req`` takes, where they are few enough to list (None: a number)."""
        if req.type in ("choice", "ordered"):
            return req.values
        if req.type == "letter":
            return self.letter_scale
        if req.type == "yes_no":
            return (YES, NO)
        if req.type == "level":
            low, high = req.range or (1, 5)
            return tuple(str(n) for n in range(low, high + 1))
        return None

    def allowed(self, req: Requirement) -> str:
        """The values ``req`` takes, as a person would type them."""
        listed = self.choices(req)
        if listed is not None:
            return ", ".join(listed)
        if req.type == "percent":
            return "0-100"
        return "2000-2100"

    def normalize(self, req: Requirement, raw: str) -> str:
        """The stored form of a typed value; ValueError when it is not one of ``allowed``."""
        text = str(raw).strip()
        if req.type in ("choice", "ordered", "letter"):
            values = req.values if req.type != "letter" else self.letter_scale
            found = next((v for v in values if v.casefold() == text.casefold()), None)
            if found is None:
                raise ValueError(text)
            return found
        if req.type == "yes_no":
            word = text.casefold()
            if word in _YES_WORDS:
                return YES
            if word in _NO_WORDS:
                return NO
            raise ValueError(text)
        if req.type == "percent":
            number = _decimal(text.removesuffix("%").strip())
            if number is None or not 0 <= number <= 100:
                raise ValueError(text)
            return _plain(number)
        if not re.fullmatch(r"\d{1,4}", text):
            raise ValueError(text)
        whole = int(text)
        low, high = (req.range or (1, 5)) if req.type == "level" else (2000, 2100)
        if not low <= whole <= high:
            raise ValueError(text)
        return str(whole)

    def required(self, req: Requirement, predicate: str, agency_type: str | None):
        """The least value ``req`` needs for ``predicate`` (None: nothing to meet, or it depends
        on an agency type not recorded yet)."""
        need = req.minimum.get(predicate)
        if isinstance(need, dict):
            return need.get(agency_type) if agency_type else None
        return need

    def depends_on_agency_type(self, req: Requirement, predicate: str) -> bool:
        return isinstance(req.minimum.get(predicate), dict)

    def met(
        self,
        req: Requirement,
        value: str | None,
        predicate: str,
        agency_type: str | None,
        year: int,
    ) -> bool | None:
        """Whether the recorded ``value`` meets ``req`` for ``predicate`` in the evaluation
        ``year``: None when nothing is recorded (or the agency type it depends on is not)."""
        if value is None:
            return None
        if not req.minimum:
            return True  # a fact, not a threshold (the agency type): recorded is enough
        need = self.required(req, predicate, agency_type)
        if need is None:
            return None if self.depends_on_agency_type(req, predicate) else True
        if req.type == "ordered":
            return req.values.index(value) <= req.values.index(str(need))
        if req.type == "letter":
            return self.letter_scale.index(value) <= self.letter_scale.index(str(need))
        if req.type == "yes_no":
            return value == need
        if req.type == "percent":
            return Decimal(value) >= Decimal(str(need))
        if req.type == "since_year":
            return year - int(value) >= int(need)
        return int(value) >= int(need)

    def exempt(self, agency_type: str | None, stranas_pk: str | None) -> bool:
        """A regional-government unit carrying out Stranas PK priority actions may be proposed
        while still meeting the requirements."""
        return agency_type == self.stranas_pk.agency_type and stranas_pk == YES


def _requirement_problems(rs: RequirementSet, r: Requirement) -> list[str]:
    problems = []
    if r.type in ("choice", "ordered") and not r.values:
        problems.append("values missing")
    for predicate, need in r.minimum.items():
        if predicate not in rs.predicates:
            problems.append(f"unknown predicate {predicate}")
        per_type = need if isinstance(need, dict) else {None: need}
        for agency_type, value in per_type.items():
            if agency_type is not None and agency_type not in rs.agency_types:
                problems.append(f"unknown agency type {agency_type}")
            if r.type == "since_year":  # a number of years
                if not isinstance(value, int) or value < 0:
                    problems.append(f"minimum {value} is not a number of years")
                continue
            try:
                rs.normalize(r, str(value))
            except ValueError:
                problems.append(f"minimum {value} is not a value of its type")
    return problems


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def requirement_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"{PREFIX}*.yaml"))


@cache
def _parse(path: Path, stamp: float) -> RequirementSet:
    try:
        data = load_exact_yaml(path.read_bytes())
        return RequirementSet.model_validate(data)
    except BadYaml as exc:
        raise CatalogError(
            "catalog.invalid", file=str(path), item=exc.where, rule=exc.problem
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        item = ".".join(str(p) for p in first["loc"]) or "-"
        raise CatalogError(
            "catalog.invalid", file=str(path), item=item, rule=first["msg"]
        ) from None


def requirement_set(year: int, directory: Path | None = None) -> RequirementSet:
    """The requirements in force for the evaluation ``year``: the file with the latest
    ``applies_from`` not after it (the earliest file for a year before them all)."""
    if directory is None:
        from wbk.catalog.loader import criteria_dir

        directory = criteria_dir()
    sets = [_parse(p, p.stat().st_mtime) for p in requirement_files(directory)]
    if not sets:
        raise CatalogError(
            "catalog.invalid", file=str(directory / f"{PREFIX}*.yaml"), item="-", rule="missing"
        )
    sets.sort(key=lambda s: s.applies_from)
    in_force = [s for s in sets if s.applies_from <= year]
    return in_force[-1] if in_force else sets[0]
