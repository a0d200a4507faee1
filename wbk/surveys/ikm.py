"""Indeks Kepuasan Masyarakat (PermenPANRB 14/2017): NRR, index, conversion and category.

Exact arithmetic (fractions) from integer sums; the category is read from the converted
value rounded to 2 decimals half up, which is how published reports state it (88.305 -> 88.31,
A). The "legacy" weight 0.111 reproduces reports that rounded 1/9.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import isfinite

import numpy as np
import pandas as pd

ELEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
ELEMENT_NAMES = {
    "U1": "Persyaratan",
    "U2": "Sistem, Mekanisme, dan Prosedur",
    "U3": "Waktu Penyelesaian",
    "U4": "Biaya/Tarif",
    "U5": "Produk Spesifikasi Jenis Pelayanan",
    "U6": "Kompetensi Pelaksana",
    "U7": "Perilaku Pelaksana",
    "U8": "Penanganan Pengaduan, Saran dan Masukan",
    "U9": "Sarana dan Prasarana",
}
WEIGHTS = {"exact": Fraction(1, 9), "legacy": Fraction("0.111")}
# (minimum converted value, category, Indonesian label, English label), best first
BANDS = (
    (Decimal("88.31"), "A", "Sangat Baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang Baik", "Fair"),
    (Decimal("25.00"), "D", "Tidak Baik", "Poor"),
)


@dataclass(frozen=True, slots=True)
class ElementScore:
    element: str
    nrr: Fraction  # mean of the answers, 1..4
    weighted: Fraction  # nrr x weight


@dataclass(frozen=True, slots=True)
class IkmResult:
    respondents: int
    elements: list[ElementScore]
    index: Fraction  # 1..4
    ikm: Fraction  # index x 25, 25..100
    category: str
    weights: str

    @property
    def ikm_display(self) -> Decimal:
        return round2(self.ikm)


def round2(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def category(ikm: Fraction | Decimal | float) -> str:
    """The mutu category (A..D) of a converted IKM value, on its 2-decimal half-up form."""
    if isinstance(ikm, float):
        if not isfinite(ikm):
            raise ValueError("IKM must be finite")
        ikm = Fraction(Decimal(repr(ikm)))
    value = (
        round2(Fraction(ikm))
        if not isinstance(ikm, Decimal)
        else ikm.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )
    for minimum, code, _, _ in BANDS:
        if value >= minimum:
            return code
    return "D"


def category_label(code: str, lang: str = "id") -> str:
    for _, c, label_id, label_en in BANDS:
        if c == code:
            return label_id if lang == "id" else label_en
    return code


def from_sums(sums: list[int], respondents: int, weights: str = "exact") -> IkmResult:
    """The IKM from each element's sum of answers over ``respondents`` questionnaires."""
    if respondents <= 0:
        raise ValueError("no respondents")
    w = WEIGHTS[weights]
    elements = []
    for name, total in zip(ELEMENTS, sums, strict=True):
        nrr = Fraction(int(total), respondents)
        elements.append(ElementScore(name, nrr, nrr * w))
    index = sum((e.weighted for e in elements), Fraction(0))
    ikm = index * 25
    return IkmResult(respondents, elements, index, ikm, category(ikm), weights)


def compute(answers: np.ndarray, weights: str = "exact") -> IkmResult:
    """The IKM of an N x 9 array of answers on the 1..4 scale (already validated)."""
    sums = answers.astype(np.int64).sum(axis=0)
    return from_sums([int(s) for s in sums], int(answers.shape[0]), weights)


def compute_groups(
    answers: np.ndarray,
    groups: np.ndarray,
    weights: str = "exact",
) -> dict[str, IkmResult]:
    """The IKM per group label (service type, period), from one pass over the data."""
    inverse, labels = pd.factorize(pd.Series(groups).astype(str), sort=True)
    frame = pd.DataFrame(answers.astype(np.int64))
    sums = frame.groupby(inverse).sum().to_numpy()
    counts = np.bincount(inverse, minlength=len(labels))
    return {
        str(label): from_sums([int(x) for x in sums[i]], int(counts[i]), weights)
        for i, label in enumerate(labels)
    }


def sample_size(population: int) -> int:
    """Krejcie-Morgan sample size (chi-square 3.841, p = 0.5, margin 0.05), the table that
    PermenPANRB 14/2017 refers to: 100 -> 80, 1,000 -> 278, 1,000,000 -> 384."""
    if population <= 0:
        raise ValueError("population must be positive")
    chi2, p, d = Fraction("3.841"), Fraction(1, 2), Fraction(1, 20)
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    exact = Decimal(s.numerator) / Decimal(s.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def survey_points(
    index: Fraction | Decimal | float, weight: Fraction = Fraction(35, 2), maximum: int = 4
) -> Fraction:
    """An IPAK or IPKP survey value (0..4) as LKE result points: value / 4 x 17.5."""
    value = Fraction(Decimal(repr(index))) if isinstance(index, float) else Fraction(index)
    if not 0 <= value <= maximum:
        raise ValueError("survey value outside 0..4")
    return value / maximum * weight
