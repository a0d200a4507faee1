"""Properties of the planner: every plan passes every applicable gate per the exact engine and
never lowers an answer (real catalog, random answers); and the plans equal a brute-force
search over every answer change on a catalog small enough to enumerate."""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CATALOG_FILE
from wbk.catalog import Catalog, load_catalog, parse_catalog
from wbk.planner import effort_model, plan
from wbk.scoring import score, values_from_mapping

REAL: Catalog = load_catalog(CATALOG_FILE)


# --- every plan passes, and only ever raises answers (real catalog) -------------------------


@st.composite
def real_answers(draw) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, item in REAL.items.items():
        kind = item.scale.kind
        if item.kind == "hasil":
            if kind == "index":
                out[code] = f"{draw(st.integers(300, 400)) / 100:.2f}"
            else:
                out[code] = draw(st.sampled_from([o.key for o in item.scale.options[:3]]))
            continue
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # unanswered
        if kind == "option":
            options = item.scale.options
            # Mostly the better half, as a unit near the line answers.
            pool = options[: max(1, len(options) // 2)] if choice > 3 else options
            out[code] = draw(st.sampled_from([o.key for o in pool]))
        elif item.formula is not None and choice == 1:
            for inp in item.formula.inputs:
                out[f"{code}#{inp.name}"] = str(draw(st.integers(1, 12)))
        else:
            out[code] = f"{draw(st.integers(0, 110))}%"
    return out


efforts_strategy = st.dictionaries(
    st.sampled_from([c for c, i in REAL.items.items() if i.kind == "pengungkit"]),
    st.sampled_from(["0", "0.5", "1", "2", "3.25"]),
    max_size=12,
)


def value_of(card, code):
    return card.questions[code].value or F(0)


@given(real_answers(), st.sampled_from(["WBK", "WBBM"]), efforts_strategy)
def test_every_plan_passes_every_gate_and_never_lowers_an_answer(answers, target, efforts):
    answer_set = values_from_mapping(REAL, answers)
    result = plan(REAL, answer_set, target, effort_model(REAL, efforts))
    before = score(REAL, answer_set.values)

    # The plan as a user writes it: its answers over the originals, parsed and scored again.
    merged = {c: a for c, a in answers.items() if c.split("#")[0] not in result.answers}
    merged.update(result.answers)
    after = score(REAL, values_from_mapping(REAL, merged).values)

    if result.feasible:
        assert after.verdicts[target].passed
        assert result.blocking == []
    else:
        assert result.steps == [] and result.blocking
        # Each blocking gate fails even with every worksheet answer at its best.
        best = dict(answers)
        for code, item in REAL.items.items():
            if item.kind == "pengungkit":
                best = {c: a for c, a in best.items() if c.split("#")[0] != code}
                kind = item.scale.kind
                best[code] = item.scale.options[0].key if kind == "option" else "100%"
        best_card = score(REAL, values_from_mapping(REAL, best).values)
        failing = {g.id for g in best_card.verdicts[target].failing}
        assert set(result.blocking) == failing

    assert result.after.total == after.total
    assert result.after.total - result.before.total == sum(s.gain for s in result.steps)
    assert result.effort == sum(s.effort for s in result.steps)
    for step in result.steps:
        assert value_of(after, step.code) > value_of(before, step.code)
        assert step.gain > 0
        per_level = F(efforts.get(step.code, "1"))
        assert step.effort == step.levels * per_level
    codes = [s.code for s in result.steps]
    order = list(REAL.items)
    assert codes == sorted(codes, key=order.index)  # LKE order


# --- the same optimum as brute force (a catalog small enough to enumerate) ------------------

SMALL = """
id: kecil
name: Katalog kecil
regulation: {{title: Uji, short: Uji, number: 1, year: 2021, source: uji}}
total_weight: 100
scales:
  ya_tidak:
    kind: option
    label: Ya/Tidak
    options: [{{key: "Ya", value: 1}}, {{key: "Tidak", value: 0}}]
  abc:
    kind: option
    label: A/B/C
    options: [{{key: A, value: 1}}, {{key: B, value: 0.5}}, {{key: C, value: 0}}]
  abcd:
    kind: option
    label: A/B/C/D
    options:
      - {{key: A, value: 1}}
      - {{key: B, value: 0.67}}
      - {{key: C, value: 0.33}}
      - {{key: D, value: 0}}
  abcde:
    kind: option
    label: A-E
    options:
      - {{key: A, value: 1}}
      - {{key: B, value: 0.75}}
      - {{key: C, value: 0.5}}
      - {{key: D, value: 0.25}}
      - {{key: E, value: 0}}
  persen: {{kind: ratio, label: "%", cap: 1}}
  indeks: {{kind: index, label: Indeks, minimum: 0, maximum: 4}}
areas:
  - {{code: MP, name: Manajemen Perubahan}}
  - {{code: TT, name: Tatalaksana}}
predicates:
  - id: WBK
    name: WBK
    area_reading: {reading}
    gates:
      - {{id: total, target: total, minimum: 75}}
      - {{id: pengungkit, target: pengungkit, minimum: 40}}
      - {{id: area, target: areas, reading: separate, minimum_ratio: 0.60}}
      - {{id: area, target: areas, reading: combined, minimum_ratio: 0.60}}
      - {{id: bersih_akuntabel, target: "group:H.I", minimum: 18.25}}
      - {{id: ipak, target: "item:H.I.a", minimum: 15.75}}
      - {{id: capaian_kinerja, target: "item:H.I.b", minimum: 2.50}}
      - {{id: ipkp, target: "item:H.II.a", minimum: 14.00}}
pengungkit:
  name: Pengungkit
  weight: 60
  parts:
    - code: P
      key: pemenuhan
      name: Pemenuhan
      weight: 30
      areas:
        - code: MP
          weight: 15
          subareas:
            - id: i
              name: Tim
              weight: 15
              questions:
                - {{code: P.MP.i.a, text: Tim dibentuk, scale: ya_tidak}}
                - {{code: P.MP.i.b, text: Monev, scale: abcd}}
        - code: TT
          weight: 15
          subareas:
            - id: i
              name: SOP
              weight: 15
              questions:
                - {{code: P.TT.i.a, text: SOP, scale: abc}}
    - code: R
      key: reform
      name: Reform
      weight: 30
      areas:
        - code: MP
          weight: 15
          subareas:
            - id: i
              name: Komitmen
              weight: 15
              questions:
                - {{code: R.MP.i.a, text: Perubahan per agen, scale: persen}}
        - code: TT
          weight: 15
          subareas:
            - id: i
              name: SPBE
              weight: 15
              questions:
                - {{code: R.TT.i.a, text: SPBE, scale: abcd}}
hasil:
  name: Hasil
  weight: 40
  groups:
    - code: H.I
      key: bersih_akuntabel
      name: Bersih dan akuntabel
      weight: 22.5
      items:
        - {{code: H.I.a, key: ipak, weight: 17.5, scale: indeks, text: IPAK}}
        - {{code: H.I.b, key: capaian_kinerja, weight: 5, scale: abcde, text: Capaian}}
    - code: H.II
      key: pelayanan_prima
      name: Pelayanan prima
      weight: 17.5
      items:
        - {{code: H.II.a, key: ipkp, weight: 17.5, scale: indeks, text: IPKP}}
"""


@cache
def small(reading: str) -> Catalog:
    return parse_catalog(SMALL.format(reading=reading), source="kecil.yaml")


QUESTIONS = ["P.MP.i.a", "P.MP.i.b", "P.TT.i.a", "R.MP.i.a", "R.TT.i.a"]


@st.composite
def small_case(draw):
    reading = draw(st.sampled_from(["separate", "combined", "both"]))
    catalog = small(reading)
    answers: dict[str, str] = {}
    for code in QUESTIONS:
        item = catalog.items[code]
        if draw(st.integers(0, 7)) == 0:
            continue
        if item.scale.kind == "ratio":
            answers[code] = draw(st.sampled_from(["0.35", "50%", "0.8", "0.85", "0.9", "1.05"]))
        else:
            answers[code] = draw(st.sampled_from([o.key for o in item.scale.options]))
    answers["H.I.a"] = draw(st.sampled_from(["3.5", "3.6", "3.8", "4"]))
    answers["H.I.b"] = draw(st.sampled_from(["A", "B", "C", "D"]))
    answers["H.II.a"] = draw(st.sampled_from(["3.2", "3.4", "3.6"]))
    efforts = {
        code: effort
        for code in QUESTIONS
        if (effort := draw(st.sampled_from([None, "0", "0.5", "1", "2", "3"]))) is not None
    }
    budget = draw(st.sampled_from([None, None, "0", "1", "2.5", "4", "7"]))
    return catalog, answers, efforts, budget


def choices(catalog: Catalog, code: str, answer: str | None) -> list[tuple[str | None, int]]:
    """Every answer ``code`` may end at, with its levels, written from the spec: stay, a
    better option (levels = options climbed; unanswered = from the worst), or any whole ten
    percent above the current ratio up to 100 % (levels = tens reached or passed)."""
    scale = catalog.items[code].scale
    out: list[tuple[str | None, int]] = [(answer, 0)]
    if scale.kind == "option":
        keys = [o.key for o in scale.options]
        start = keys.index(answer) if answer is not None else len(keys) - 1
        out += [(keys[k], start - k) for k in range(start)]
    else:
        ratio = F(answer.rstrip("%")) / (100 if answer.endswith("%") else 1) if answer else F(0)
        tens = int(ratio * 10)  # floor: ratios here are >= 0
        out += [(f"{k / 10:.1f}", k - tens) for k in range(tens + 1, 11)]
    return out


def brute_force(catalog, answers, efforts, budget):
    """(least effort, best total) to pass; or (best total, least effort) within the budget."""
    per_level = {c: F(efforts.get(c, "1")) for c in QUESTIONS}
    best = None
    options = [choices(catalog, c, answers.get(c)) for c in QUESTIONS]
    for combo in itertools.product(*options):
        chosen = dict(answers)
        for code, (answer, _) in zip(QUESTIONS, combo, strict=True):
            if answer is not None:
                chosen[code] = answer
        effort = sum((per_level[c] * lv for c, (_, lv) in zip(QUESTIONS, combo, strict=True)), F(0))
        card = score(catalog, values_from_mapping(catalog, chosen).values)
        if budget is None:
            if not card.verdicts["WBK"].passed:
                continue
            key = (effort, -card.total)
        else:
            if effort > F(budget):
                continue
            key = (-card.total, effort)
        best = key if best is None or key < best else best
    return best


@given(small_case())
def test_plans_equal_brute_force_on_a_small_catalog(case):
    catalog, answers, efforts, budget = case
    result = plan(
        catalog,
        values_from_mapping(catalog, answers),
        "WBK",
        effort_model(catalog, efforts),
        budget,
    )
    best = brute_force(catalog, answers, efforts, budget)
    if budget is None:
        if best is None:
            assert not result.feasible and result.blocking
        else:
            assert result.feasible
            assert (result.effort, -result.after.total) == best
    else:
        assert (-result.after.total, result.effort) == best
        assert result.effort <= F(budget)
