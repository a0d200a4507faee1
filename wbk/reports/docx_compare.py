"""The report's "Dibanding tahun lalu" chapter, and the plain comparison data it is made from
(filled by the services, drawn by the dashboard and the Word report alike)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from wbk.i18n import fmt_number, gate_label, t

COMPONENTS = ("pemenuhan", "reform", "pengungkit", "hasil", "total")


@dataclass(frozen=True, slots=True)
class ScorePair:
    """One score (a component or an area) in both years; None where a catalog lacks it."""

    key: str
    previous: Fraction | None
    current: Fraction | None
    previous_weight: Fraction | None = None
    current_weight: Fraction | None = None

    @property
    def delta(self) -> Fraction | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True, slots=True)
class GatePair:
    """One gate of a predicate in both years (a gate only one catalog has is None there)."""

    predicate: str
    gate: str
    previous: Fraction | None
    previous_minimum: Fraction | None
    previous_passed: bool | None
    current: Fraction | None
    current_minimum: Fraction | None
    current_passed: bool | None
    applies: bool = True
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class Moved:
    """A question whose answer value moved between the years (``previous_code`` is its code
    in last year's catalog)."""

    code: str
    previous_code: str
    text: str
    previous: Fraction | None
    current: Fraction | None
    previous_points: Fraction
    current_points: Fraction

    @property
    def delta(self) -> Fraction:
        return self.current_points - self.previous_points


@dataclass(frozen=True)
class YearComparison:
    """This year's assessment beside the unit's previous one, each with its own catalog."""

    previous_year: int
    current_year: int
    previous_id: int
    previous_catalog: str
    current_catalog: str
    components: list[ScorePair] = field(default_factory=list)
    areas: list[ScorePair] = field(default_factory=list)
    gates: list[GatePair] = field(default_factory=list)
    verdicts: list[tuple[str, bool | None, bool | None]] = field(default_factory=list)
    up: list[Moved] = field(default_factory=list)
    down: list[Moved] = field(default_factory=list)
    unconfirmed: int = 0  # carried questions nobody has confirmed or changed yet
    renew: int = 0  # carried documents that need renewing
    undated: int = 0  # carried documents without any date
    catalog_missing: bool = False  # last year's catalog cannot be read: no scores
    mapped: bool = False  # codes matched through a migration map

    def total(self) -> ScorePair | None:
        return next((p for p in self.components if p.key == "total"), None)


def _num(value: Fraction | None, lang: str) -> str:
    return "–" if value is None else fmt_number(value, lang=lang)


def _delta(value: Fraction | None, lang: str) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + fmt_number(value, lang=lang)


def _state(passed: bool | None, lang: str) -> str:
    if passed is None:
        return "–"
    return t("cli.ok" if passed else "cli.fail", lang=lang)


def score_rows(pairs: list[ScorePair], label, lang: str) -> list[list[str]]:
    """Rows label | previous | current | change, for the report and the dashboard."""
    return [
        [label(p.key), _num(p.previous, lang), _num(p.current, lang), _delta(p.delta, lang)]
        for p in pairs
    ]


def gate_rows(cmp: YearComparison, lang: str) -> list[list[str]]:
    return [
        [
            g.predicate,
            gate_label(g.gate, lang) + (" *" if g.uncertain else ""),
            _num(g.previous, lang),
            _state(g.previous_passed, lang),
            _num(g.current, lang),
            _state(g.current_passed, lang) if g.applies else t("cli.not_applied", lang=lang),
        ]
        for g in cmp.gates
    ]


def moved_rows(moved: list[Moved], lang: str) -> list[list[str]]:
    return [
        [
            m.code if m.code == m.previous_code else f"{m.previous_code} → {m.code}",
            m.text,
            _num(m.previous, lang),
            _num(m.current, lang),
            _delta(m.delta, lang),
        ]
        for m in moved
    ]


def add_comparison(doc, data, lang: str, make_table) -> None:
    """The chapter, when the report data carries a comparison (``data.comparison``)."""
    cmp: YearComparison | None = getattr(data, "comparison", None)
    if cmp is None:
        return
    doc.add_page_break()
    doc.add_heading(t("yearly.title", lang=lang, year=cmp.previous_year), level=1)
    doc.add_paragraph(
        t(
            "yearly.intro",
            lang=lang,
            previous=cmp.previous_year,
            current=cmp.current_year,
            previous_catalog=cmp.previous_catalog,
            current_catalog=cmp.current_catalog,
        )
    )
    doc.add_paragraph(
        t(
            "yearly.open_work",
            lang=lang,
            unconfirmed=cmp.unconfirmed,
            renew=cmp.renew,
            undated=cmp.undated,
        )
    )
    if cmp.catalog_missing:
        doc.add_paragraph(t("yearly.catalog_missing", lang=lang, catalog=cmp.previous_catalog))
        return
    head = [str(cmp.previous_year), str(cmp.current_year), t("yearly.change", lang=lang)]
    widths = [7.0, 3.2, 3.2, 3.2]
    doc.add_heading(t("yearly.scores", lang=lang), level=2)
    make_table(
        doc,
        [t("cli.component", lang=lang), *head],
        score_rows(cmp.components, lambda k: t(f"cli.{k}", lang=lang), lang)
        + score_rows(cmp.areas, lambda k: f"{t('cli.area', lang=lang)} {k}", lang),
        widths=widths,
        align_right={1, 2, 3},
    )
    doc.add_heading(t("yearly.gates", lang=lang), level=2)
    make_table(
        doc,
        [
            t("yearly.predicate", lang=lang),
            t("cli.gate", lang=lang),
            str(cmp.previous_year),
            t("cli.status", lang=lang),
            str(cmp.current_year),
            t("cli.status", lang=lang),
        ],
        gate_rows(cmp, lang),
        widths=[2.0, 5.0, 2.4, 2.4, 2.4, 2.4],
        align_right={2, 4},
    )
    for key, moved in (("yearly.up", cmp.up), ("yearly.down", cmp.down)):
        doc.add_heading(t(key, lang=lang, count=len(moved)), level=2)
        if not moved:
            doc.add_paragraph(t("yearly.none_moved", lang=lang))
            continue
        make_table(
            doc,
            [
                t("ui.code", lang=lang),
                t("ui.question_text", lang=lang),
                str(cmp.previous_year),
                str(cmp.current_year),
                t("yearly.points_change", lang=lang),
            ],
            moved_rows(moved, lang),
            widths=[2.6, 8.2, 1.8, 1.8, 2.2],
            align_right={2, 3, 4},
        )
