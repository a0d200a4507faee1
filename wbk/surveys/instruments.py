"""Survey instruments as data (SKM, SPKP, SPAK or a unit's own): load, validate, convert scales."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wbk.catalog.exact_yaml import BadYaml, load_exact_yaml
from wbk.errors import CatalogError

# Only these scales are seen in practice (most forms 1-4, stars 1-6 at courts, 1-10 at BPS).
SCALES = ((1, 4), (1, 6), (1, 10))
CONVERSIONS = ("linear_1_4", "proportional_0_4", "none")
TARGETS = {"H.I.a": "IPAK", "H.II.a": "IPKP"}
ITEM_MEANS = ("skip_blanks",)
INDEX_METHODS = ("mean_of_item_means", "pooled_mean")
DEFAULT_FOR_TARGET = {"H.I.a": "spak", "H.II.a": "spkp"}
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
# A file may leave out the scale: it is then 1-4 with the agreement words of SPKP/SPAK.
AGREEMENT_WORDS = {
    1: ("Tidak setuju", "Disagree"),
    2: ("Kurang setuju", "Somewhat disagree"),
    3: ("Setuju", "Agree"),
    4: ("Sangat setuju", "Strongly agree"),
}


class InstrumentError(CatalogError):
    """An instrument file that is missing, malformed or inconsistent; lists every problem with
    the file, the item (or field) and the rule it breaks."""

    key = "perception.instrument.invalid"

    def __init__(
        self,
        key: str | None = None,
        /,
        problems: list[tuple[str, str, dict[str, Any]]] | None = None,
        **params: Any,
    ) -> None:
        self.problems = problems or []
        super().__init__(key, **params)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        head = t(self.key, lang=lang, **self.params)
        lines = [
            t(
                "perception.instrument.problem",
                lang=lang,
                item=item,
                rule=t(rule, lang=lang, **params),
            )
            for item, rule, params in self.problems
        ]
        return "\n".join([head, *("  - " + x for x in lines)])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleWord(_Model):
    """What an answer value is called on the form, in both languages."""

    id: str
    en: str


class InstrumentScale(_Model):
    min: int = 1
    max: int = 4
    words: dict[int, ScaleWord] | None = None


class Arithmetic(_Model):
    """How answers become an index; the defaults are the practice seen (no official rule)."""

    item_mean: str = "skip_blanks"
    index: str = "mean_of_item_means"
    zero_is_blank: bool = False  # some form tools write 0 for "not answered"


class InstrumentItem(_Model):
    code: str
    text: str
    text_en: str | None = None


class Instrument(_Model):
    """A perception questionnaire: its items, answer scale, LKE target and arithmetic."""

    id: str
    version: str
    name: str
    name_en: str | None = None
    index: str | None = None  # the index's name: IPAK, IPKP, IKM
    target: str | None = None  # the LKE item fed: H.I.a, H.II.a, or none
    scale: InstrumentScale = Field(default_factory=InstrumentScale)
    conversion: str = "linear_1_4"
    arithmetic: Arithmetic = Field(default_factory=Arithmetic)
    items: list[InstrumentItem] = Field(default_factory=list)
    source_note: str | None = None

    @field_validator("id", "version", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # `version: 1.0` in YAML is a number; it names a version all the same
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        return value

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items)

    @property
    def scale_range(self) -> tuple[int, int]:
        return (self.scale.min, self.scale.max)

    @property
    def conversion_uncertain(self) -> bool:
        """No official rule maps a 1-6 or 1-10 scale onto the LKE's 0-4."""
        return self.scale_range != (1, 4)

    def to_lke(self, value: Fraction) -> Fraction:
        """A mean on the instrument's scale as a value on the LKE's 0-4 scale."""
        lo, hi = self.scale.min, self.scale.max
        if self.conversion == "none":
            return Fraction(value)
        if self.conversion == "proportional_0_4":
            return Fraction(value) / hi * 4
        return 1 + (Fraction(value) - lo) * 3 / (hi - lo)

    def word(self, value: int, lang: str = "id") -> str:
        words = self.scale.words or {}
        if value in words:
            return words[value].en if lang == "en" else words[value].id
        return str(value)

    def item_text(self, code: str, lang: str = "id") -> str:
        for item in self.items:
            if item.code == code:
                return item.text_en if lang == "en" and item.text_en else item.text
        raise KeyError(code)

    def display_name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


def check_instrument(inst: Instrument) -> list[tuple[str, str, dict[str, Any]]]:
    """Every rule the instrument breaks beyond its shape: (item or field, message key, params)."""
    problems: list[tuple[str, str, dict[str, Any]]] = []

    def bad(item: str, rule: str, **params: Any) -> None:
        problems.append((item, f"perception.instrument.rule.{rule}", params))

    if not inst.items:
        bad("items", "no_items")
    counts = Counter(i.code.upper() for i in inst.items)
    for n, item in enumerate(inst.items):
        where = f"{item.code} (items[{n}])"
        if not CODE.match(item.code):
            bad(where, "bad_code", code=item.code)
        if counts[item.code.upper()] > 1:
            bad(where, "duplicate_code", code=item.code)
        if not item.text.strip():
            bad(where, "empty_text")
    lo, hi = inst.scale_range
    if hi <= lo:
        bad("scale", "scale_order", min=lo, max=hi)
    elif (lo, hi) not in SCALES:
        bad("scale", "scale_kind", min=lo, max=hi)
    words = inst.scale.words
    if words is not None and hi > lo:
        missing = [v for v in range(lo, hi + 1) if v not in words]
        extra = sorted(v for v in words if not lo <= v <= hi)
        if missing:
            bad("scale.words", "words_missing", values=", ".join(map(str, missing)))
        if extra:
            bad("scale.words", "words_extra", values=", ".join(map(str, extra)), min=lo, max=hi)
        for value, word in sorted(words.items()):
            if not word.id.strip() or not word.en.strip():
                bad(f"scale.words.{value}", "word_empty")
    elif words is None and (lo, hi) != (1, 4) and hi > lo:
        bad("scale.words", "words_missing", values=", ".join(map(str, range(lo, hi + 1))))
    if inst.target is not None and inst.target not in TARGETS:
        bad("target", "unknown_target", target=inst.target, known=", ".join(TARGETS))
    if inst.conversion not in CONVERSIONS:
        bad("conversion", "unknown_conversion", name=inst.conversion, known=", ".join(CONVERSIONS))
    elif inst.conversion == "none" and (lo, hi) != (1, 4):
        bad("conversion", "conversion_none", min=lo, max=hi)
    if inst.arithmetic.item_mean not in ITEM_MEANS:
        bad(
            "arithmetic.item_mean",
            "unknown_method",
            name=inst.arithmetic.item_mean,
            known=", ".join(ITEM_MEANS),
        )
    if inst.arithmetic.index not in INDEX_METHODS:
        bad(
            "arithmetic.index",
            "unknown_method",
            name=inst.arithmetic.index,
            known=", ".join(INDEX_METHODS),
        )
    return problems


def parse_instrument(data: bytes | str, source: str = "<instrument>") -> Instrument:
    """Parse and validate instrument text; any problem raises InstrumentError naming ``source``."""
    try:
        raw = load_exact_yaml(data)
    except BadYaml as exc:
        problem = (exc.where, "perception.instrument.rule.literal", {"text": exc.problem})
        raise InstrumentError(file=source, problems=[problem]) from None
    if not isinstance(raw, dict):
        raise InstrumentError(
            file=source, problems=[("/", "perception.instrument.rule.not_mapping", {})]
        )
    if raw.get("scale") is not None and isinstance(raw["scale"], dict):
        scale = raw["scale"]
        if "words" not in scale and (scale.get("min", 1), scale.get("max", 4)) == (1, 4):
            scale = {**scale, "words": _agreement_words()}
        raw = {**raw, "scale": scale}
    elif "scale" not in raw:
        raw = {**raw, "scale": {"min": 1, "max": 4, "words": _agreement_words()}}
    try:
        inst = Instrument.model_validate(raw)
    except ValidationError as exc:
        problems = [
            (_where(raw, e["loc"]), "perception.instrument.rule.literal", {"text": e["msg"]})
            for e in exc.errors()
        ]
        raise InstrumentError(file=source, problems=problems) from None
    problems = check_instrument(inst)
    if problems:
        raise InstrumentError(file=source, problems=problems)
    return inst


def _agreement_words() -> dict[int, dict[str, str]]:
    return {v: {"id": w_id, "en": w_en} for v, (w_id, w_en) in AGREEMENT_WORDS.items()}


def _where(raw: object, loc: tuple) -> str:
    """A readable path to a schema error, naming the item code on the way when there is one."""
    parts: list[str] = []
    node, label = raw, ""
    for step in loc:
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
        try:
            node = node[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(node.get("code"), str):
            label = node["code"]
    path = "".join(parts).lstrip(".")
    return f"{label} ({path})" if label else path


def load_instrument(path: str | Path) -> Instrument:
    """The instrument file at ``path``, validated."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InstrumentError(
            "perception.instrument.not_found", file=str(p), reason=exc.strerror or str(exc)
        ) from None
    return parse_instrument(data, source=str(p))


def instruments_dir() -> Path:
    """Where the shipped instruments live: ``<criteria>/surveys`` (WBK_CRITERIA_DIR honoured)."""
    from wbk.catalog.loader import criteria_dir

    return criteria_dir() / "surveys"


def default_instrument(name: str) -> Instrument:
    """A shipped instrument by id: ``skm``, ``spkp`` or ``spak``. A criteria directory set by
    WBK_CRITERIA_DIR without a ``surveys/`` folder falls back to the packaged files."""
    from wbk.catalog.loader import CRITERIA_DIR

    path = instruments_dir() / f"{name}.yaml"
    if not path.exists():
        path = CRITERIA_DIR / "surveys" / f"{name}.yaml"
    return load_instrument(path)


def available_instruments() -> list[str]:
    return sorted(p.stem for p in instruments_dir().glob("*.yaml"))
