"""Score one answer set exactly as the LKE does (PermenPANRB 90/2021, reference section 4)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from wbk.catalog.model import Catalog
from wbk.scoring.scorecard import GateResult, QuestionScore, ScoreCard, Subtotal, Verdict

ZERO = Fraction(0)


def _f(x) -> Fraction:
    return Fraction(x)


def score(catalog: Catalog, values: Mapping[str, Fraction]) -> ScoreCard:
    """A ScoreCard for ``values`` (question code -> value in [0, 1]); missing codes score 0.

    Sub-area = weight x mean of its question values; area, part and component scores are
    sums; a result item scores weight x value (IPAK and IPKP value = index / 4).
    """
    questions: dict[str, QuestionScore] = {}
    subareas: dict[str, Subtotal] = {}
    areas: dict[str, Subtotal] = {}
    components: dict[str, Subtotal] = {}
    results: dict[str, Subtotal] = {}
    unanswered: list[str] = []
    combined: dict[str, list[Fraction]] = {a: [ZERO, ZERO] for a in catalog.area_codes}

    pengungkit = ZERO
    for part in catalog.pengungkit.parts:
        part_score = ZERO
        for area in part.areas:
            area_score = ZERO
            for sub in area.subareas:
                weight = _f(sub.weight)
                n = len(sub.questions)
                per_q = weight / n
                total_v = ZERO
                for q in sub.questions:
                    v = values.get(q.code)
                    if v is None:
                        unanswered.append(q.code)
                        questions[q.code] = QuestionScore(q.code, None, ZERO, per_q)
                        continue
                    total_v += v
                    questions[q.code] = QuestionScore(q.code, v, per_q * v, per_q)
                sub_score = weight * total_v / n
                subareas[f"{part.code}.{area.code}.{sub.id}"] = Subtotal(sub_score, weight)
                area_score += sub_score
            area_weight = _f(area.weight)
            areas[f"{part.code}.{area.code}"] = Subtotal(area_score, area_weight)
            acc = combined[area.code]
            acc[0] += area_score
            acc[1] += area_weight
            part_score += area_score
        components[part.key] = Subtotal(part_score, _f(part.weight))
        pengungkit += part_score
    for code, (s, w) in combined.items():
        areas[code] = Subtotal(s, w)
    components["pengungkit"] = Subtotal(pengungkit, _f(catalog.pengungkit.weight))

    hasil = ZERO
    groups: dict[str, Subtotal] = {}
    for group in catalog.hasil.groups:
        group_score = ZERO
        for item in group.items:
            weight = _f(item.weight)
            v = values.get(item.code)
            if v is None:
                unanswered.append(item.code)
                questions[item.code] = QuestionScore(item.code, None, ZERO, weight)
                points = ZERO
            else:
                points = weight * v
                questions[item.code] = QuestionScore(item.code, v, points, weight)
            results[item.key] = Subtotal(points, weight)
            group_score += points
        groups[group.code] = results[group.key] = Subtotal(group_score, _f(group.weight))
        hasil += group_score
    components["hasil"] = Subtotal(hasil, _f(catalog.hasil.weight))
    components["total"] = Subtotal(pengungkit + hasil, _f(catalog.total_weight))

    card_parts = {"areas": areas, "components": components, "groups": groups, "results": questions}
    verdicts = {p.id: _verdict(catalog, p.id, card_parts) for p in catalog.predicates}
    return ScoreCard(
        catalog_id=catalog.id,
        questions=questions,
        subareas=subareas,
        areas=areas,
        components=components,
        results=results,
        verdicts=verdicts,
        unanswered=unanswered,
    )


def _verdict(catalog: Catalog, pid: str, card: dict) -> Verdict:
    pred = catalog.predicate(pid)
    areas: dict[str, Subtotal] = card["areas"]
    components: dict[str, Subtotal] = card["components"]
    gates: list[GateResult] = []
    for gate in pred.gates:
        if gate.target == "areas":
            ratio = _f(gate.minimum_ratio)
            applies = pred.area_reading in (gate.reading, "both")
            if gate.reading == "separate":
                keys = [f"{p.code}.{a.code}" for p in catalog.pengungkit.parts for a in p.areas]
            else:
                keys = list(catalog.area_codes)
            for key in keys:
                sub = areas[key]
                minimum = ratio * sub.weight
                gates.append(
                    GateResult(
                        f"{gate.id}:{key}",
                        sub.score,
                        minimum,
                        sub.score >= minimum,
                        applies,
                        gate.uncertain,
                        gate.stricter,
                    )
                )
            continue
        kind, _, ref = gate.target.partition(":")
        if kind == "item":
            value = card["results"][ref].points
        elif kind == "group":
            value = card["groups"][ref].score
        else:
            value = components[gate.target].score
        minimum = _f(gate.minimum)
        gates.append(GateResult(gate.id, value, minimum, value >= minimum, True, gate.uncertain))
    passed = all(g.passed for g in gates if g.applies)
    return Verdict(pid, passed, gates, list(pred.prerequisites))
