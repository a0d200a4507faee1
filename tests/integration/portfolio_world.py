"""The Kanwil world the portfolio tests share: KW with satker A, B, C and D (D below C, no
assessment), another Kanwil X, hand-set answers on both tiers, a note and a link."""

from __future__ import annotations

from datetime import date

from wbk.scoring import AnswerRow
from wbk.services.assessment import answer_import, assessments, evidence, notes
from wbk.services.people import people

YEAR = 2026


def options(catalog, code):
    return [o.key for o in catalog.items[code].scale.options]


def answers_for(catalog, best: int):
    """Option questions answered at index ``best`` (0 = best answer), one count question."""
    rows = []
    for code, item in catalog.items.items():
        if item.scale.kind == "option":
            keys = options(catalog, code)
            rows.append(AnswerRow(code, keys[min(best, len(keys) - 1)]))
    rows += [
        AnswerRow("R.AK.i.a#tercapai", str(10 - 3 * best)),
        AnswerRow("R.AK.i.a#sasaran", "10"),
    ]
    rows += [AnswerRow("H.I.a", "3.7"), AnswerRow("H.II.a", "3.5")]
    return rows


def make_kanwil(world):
    """KW with satker A, B, C and D (D below C, no assessment), hand-set answers."""
    ws, op = world["ws"], world["op"]
    people.add_unit(ws, op, "C", "Kankemenag Kabupaten C", parent_code="KW")
    people.add_unit(ws, op, "C1", "KUA Kecamatan C1", parent_code="C")
    people.add_unit(ws, op, "D", "Kankemenag Kabupaten D", parent_code="KW")
    people.add_unit(ws, op, "X", "Kanwil Lain", kind="kanwil")
    people.add_unit(ws, op, "X1", "Satker Lain", parent_code="X")
    people.add_user(ws, op, "koor_kw", password="rahasia-123", role="koordinator", unit_code="KW")
    people.add_user(ws, op, "koor_x", password="rahasia-123", role="koordinator", unit_code="X")
    c = assessments.create_assessment(ws, op, "C", YEAR, deadline=date(2026, 5, 31)).id
    c1 = assessments.create_assessment(ws, op, "C1", YEAR).id
    x1 = assessments.create_assessment(ws, op, "X1", YEAR).id
    catalog = ws.catalog("lke-zi-2021")
    answer_import.import_answers(ws, op, world["a"], answers_for(catalog, 0))
    answer_import.import_answers(ws, op, world["b"], answers_for(catalog, 1))
    answer_import.import_answers(ws, op, c, answers_for(catalog, 2))
    answer_import.import_answers(ws, op, x1, answers_for(catalog, 0))
    # the TPI scores part of A (lower) and nothing of B or C
    tpi = world["actors"]["tpi"]
    code = "P.MP.i.a"
    assessments.set_answer(ws, tpi, world["a"], code, options(catalog, code)[-1], tier="tpi")
    assessments.set_answer(ws, tpi, world["a"], "R.AK.i.a#tercapai", "2", tier="tpi")
    assessments.set_answer(ws, tpi, world["a"], "R.AK.i.a#sasaran", "10", tier="tpi")
    notes.add_note(ws, tpi, world["a"], "P.MP.i.b", "Lampirkan notulen.")
    evidence.add_link(
        ws, op, world["a"], ["P.MP.i.a", "P.MP.i.b"], "https://contoh.go.id/sk", "SK Tim"
    )
    return {
        **world,
        "c": c,
        "c1": c1,
        "koor_kw": people.actor_for(ws, "koor_kw"),
        "koor_x": people.actor_for(ws, "koor_x"),
    }
