"""The LKE ZI 2021 catalog matches the reference, and a broken catalog is refused clearly."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
import yaml

from tests.conftest import CATALOG_FILE
from wbk.catalog import parse_catalog
from wbk.errors import CatalogError

# Reference section 2.1, typed by hand from the regulation tree (not read from the YAML).
SUBAREA_WEIGHTS = {
    "P.MP": ["0.50", "1.00", "1.00", "1.50"],
    "P.TT": ["1.00", "2.00", "0.50"],
    "P.SDM": ["0.25", "0.50", "1.25", "2.00", "0.75", "0.25"],
    "P.AK": ["2.50", "2.50"],
    "P.PW": ["1.50", "1.50", "1.50", "1.50", "1.50"],
    "P.PP": ["1.00", "1.00", "1.00", "1.00", "1.00"],
    "R.MP": ["2.00", "1.00", "1.00"],
    "R.TT": ["0.50", "1.00", "2.00"],
    "R.SDM": ["1.50", "1.50", "2.00"],
    "R.AK": ["2.00", "1.50", "1.50"],
    "R.PW": ["2.50", "3.00", "2.00"],
    "R.PP": ["2.50", "2.50"],
}
AREA_WEIGHTS = {"MP": "4", "TT": "3.5", "SDM": "5", "AK": "5", "PW": "7.5", "PP": "5"}
QUESTIONS_PER_AREA = {
    "P": {"MP": 12, "TT": 9, "SDM": 18, "AK": 11, "PW": 18, "PP": 19},
    "R": {"MP": 4, "TT": 6, "SDM": 3, "AK": 3, "PW": 4, "PP": 3},
}
PERCENT_QUESTIONS = {
    "R.MP.i.a",
    "R.MP.i.b",
    "R.SDM.iii.a",
    "R.AK.i.a",
    "R.PW.ii.a",
    "R.PW.iii.a",
    "R.PW.iii.b",
    "R.PP.i.b",
}


def test_question_counts_match_the_lke(catalog):
    kinds = Counter(item.part or "H" for item in catalog.items.values())
    assert kinds == {"P": 87, "R": 23, "H": 3}
    for part, per_area in QUESTIONS_PER_AREA.items():
        for area, n in per_area.items():
            got = sum(1 for i in catalog.items.values() if i.part == part and i.area == area)
            assert got == n, f"{part}.{area}"


def test_weights_match_the_regulation_tree(catalog):
    for part in catalog.pengungkit.parts:
        assert part.weight == 30
        for area in part.areas:
            assert area.weight == Decimal(AREA_WEIGHTS[area.code])
            got = [sub.weight for sub in area.subareas]
            assert got == [Decimal(w) for w in SUBAREA_WEIGHTS[f"{part.code}.{area.code}"]]
    assert [g.weight for g in catalog.hasil.groups] == [Decimal("22.5"), Decimal("17.5")]
    assert {i.code: i.weight for g in catalog.hasil.groups for i in g.items} == {
        "H.I.a": Decimal("17.5"),
        "H.I.b": Decimal(5),
        "H.II.a": Decimal("17.5"),
    }


def test_option_values_are_the_lke_literals(catalog):
    values = {name: [o.value for o in s.options] for name, s in catalog.scales.items()}
    assert values["abcd"] == [Decimal(1), Decimal("0.67"), Decimal("0.33"), Decimal(0)]
    assert values["abcde"] == [Decimal(1), Decimal("0.75"), Decimal("0.5"), Decimal("0.25"), 0]
    assert values["abc"] == [Decimal(1), Decimal("0.5"), Decimal(0)]
    assert values["ya_tidak"] == [Decimal(1), Decimal(0)]


def test_disputed_answer_types_resolved_to_abc(catalog):
    # The reference resolves both to A/B/C: S7 lists exactly three options.
    assert catalog.questions["P.MP.iv.c"].scale == "abc"
    assert catalog.questions["P.AK.i.b"].scale == "abc"


def test_percentage_questions_carry_their_count_inputs(catalog):
    percent = {c for c, q in catalog.questions.items() if q.scale == "persen"}
    assert percent == PERCENT_QUESTIONS
    for code in percent:
        formula = catalog.questions[code].formula
        assert formula is not None and len(formula.inputs) >= 2, code
    inputs = [i.name for i in catalog.questions["R.MP.i.a"].formula.inputs]
    assert inputs == ["perubahan", "agen"]


def test_every_option_question_has_criteria_for_its_options(catalog):
    for code, q in catalog.questions.items():
        scale = catalog.scales[q.scale]
        if scale.kind == "option" and q.scale != "ya_tidak":
            assert set(q.criteria) == set(scale.canonical.values()), code
        assert q.evidence, f"{code} lists no typical evidence"


def test_gates_of_both_predicates(catalog):
    wbk = {g.id + (f"/{g.reading}" if g.reading else ""): g for g in catalog.predicate("WBK").gates}
    assert wbk["total"].minimum == 75
    assert wbk["pengungkit"].minimum == 40
    assert wbk["area/separate"].minimum_ratio == Decimal("0.60")
    assert wbk["area/combined"].minimum_ratio == Decimal("0.60")
    assert wbk["bersih_akuntabel"].minimum == Decimal("18.25")
    assert wbk["ipak"].minimum == Decimal("15.75")
    assert wbk["capaian_kinerja"].minimum == Decimal("2.50")
    assert wbk["ipkp"].minimum == Decimal("14.00")
    wbbm = {
        g.id + (f"/{g.reading}" if g.reading else ""): g for g in catalog.predicate("WBBM").gates
    }
    assert wbbm["total"].minimum == 85
    assert wbbm["pengungkit"].minimum == 48
    assert wbbm["area/separate"].minimum_ratio == Decimal("0.75")
    assert wbbm["bersih_akuntabel"].minimum == Decimal("19.50")
    assert wbbm["capaian_kinerja"].minimum == Decimal("3.75")
    assert wbbm["ipkp"].minimum == Decimal("15.75")
    # the regulation judges the combined area (Bab III A, hlm. 52-53, on Tabel 3's weights)
    assert catalog.predicate("WBK").area_reading == "combined"
    assert catalog.predicate("WBBM").area_reading == "combined"


# where the regulation states each gate: PermenPANRB 90/2021, Lampiran II
PAGES = {
    "total": "Bab III A (hlm. 52-53)",
    "pengungkit": "Bab III A (hlm. 52-53)",
    "area/combined": "Bab III A (hlm. 52-53)",
    "bersih_akuntabel": "Bab III A (hlm. 52-53)",
}


@pytest.mark.parametrize("pid", ["WBK", "WBBM"])
def test_each_gate_is_pinned_to_its_page_and_none_is_uncertain(catalog, pid):
    gates = {g.id + (f"/{g.reading}" if g.reading else ""): g for g in catalog.predicate(pid).gates}
    for key, page in PAGES.items():
        assert page in gates[key].source, key
        assert "Tabel 6 (hlm. 58)" in gates[key].source or key == "area/combined"
    assert "Tabel 3 (hlm. 43)" in gates["area/combined"].source
    assert not any(g.uncertain for g in gates.values())
    # the separate reading is not the regulation's: only a stricter internal target
    assert gates["area/separate"].stricter and not gates["area/combined"].stricter
    assert all(g.source for g in gates.values())


def test_every_remaining_uncertain_mark_says_why_with_its_figures(catalog):
    marked = {
        q.code: q.uncertain_note
        for q in [*catalog.questions.values(), *(i for g in catalog.hasil.groups for i in g.items)]
        if q.uncertain
    }
    assert set(marked) >= {"H.I.a", "H.II.a", "R.MP.i.b", "R.PW.ii.a", "R.PW.iii.a", "R.PW.iii.b"}
    assert all(note and len(note) > 40 for note in marked.values())
    assert "3,60 -> 15,75" in marked["H.I.a"] and "3,20 -> 14,00" in marked["H.II.a"]
    assert "sedang diproses" in marked["R.PW.ii.a"]


def test_catalog_texts_follow_the_regulation(catalog):
    q = catalog.questions
    assert "LHKASN" in q["R.PW.iii.b"].text and "Aparatur Sipil Negara" in q["R.PW.iii.b"].text
    assert "SE Menteri PANRB No. 1 Tahun 2015" in q["R.PW.iii.b"].explanation
    assert "Komisi Pemberantasan Korupsi" not in q["R.PW.iii.b"].explanation
    assert "Pedoman sesudah peraturan ini" in q["R.PW.iii.a"].explanation
    assert "9. Penanganan Pengaduan" in q["R.PP.i.a"].text
    assert "4. Terintegrasi dengan aplikasi" in q["R.PP.i.b"].text
    assert "sistem informasi" in q["P.AK.ii.g"].text
    assert "menangani akuntabilitas kinerja" in q["P.AK.ii.g"].source_note


def test_regulation_metadata(catalog):
    assert catalog.id == "lke-zi-2021"
    assert catalog.regulation.number == 90 and catalog.regulation.year == 2021


# --- broken catalogs -------------------------------------------------------------------


def _raw() -> dict:
    return yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))


def _refused(raw: dict) -> str:
    with pytest.raises(CatalogError) as info:
        parse_catalog(yaml.safe_dump(raw, allow_unicode=True), source="broken.yaml")
    message = info.value.message("en")
    assert message.startswith("Invalid criteria catalog: broken.yaml: ")
    return message


def _subarea(raw: dict, part: int, area: int, sub: int) -> dict:
    return raw["pengungkit"]["parts"][part]["areas"][area]["subareas"][sub]


def test_refuses_weights_that_do_not_add_up():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["weight"] = 0.75  # P.MP.i 0.50 -> 0.75: P.MP no longer sums to 4
    message = _refused(raw)
    assert "P.MP:" in message and "add up to 4.25" in message


def test_refuses_duplicate_codes():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["questions"][1]["code"] = "P.MP.i.a"
    message = _refused(raw)
    assert "P.MP.i.a" in message and "more than once" in message


def test_refuses_option_value_outside_unit_interval():
    raw = _raw()
    raw["scales"]["abcd"]["options"][1]["value"] = 1.5
    message = _refused(raw)
    assert "scale abcd option B" in message and "outside [0, 1]" in message


def test_refuses_subarea_without_questions():
    raw = _raw()
    _subarea(raw, 1, 0, 2)["questions"] = []  # R.MP.iii
    message = _refused(raw)
    assert "R.MP.iii" in message and "without questions" in message


def test_refuses_gate_naming_unknown_item():
    raw = _raw()
    raw["predicates"][0]["gates"][5]["target"] = "item:H.I.z"
    message = _refused(raw)
    assert "predicate WBK gate ipak" in message and "item:H.I.z" in message


def test_refuses_question_code_out_of_place():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["questions"][1]["code"] = "P.TT.i.b"
    message = _refused(raw)
    assert "P.TT.i.b" in message and "P.MP.i.<a-z>" in message


def test_refuses_unknown_scale_and_bad_formula():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["questions"][0]["scale"] = "abcdef"
    assert "unknown scale abcdef" in _refused(raw)
    raw = _raw()
    _subarea(raw, 1, 0, 0)["questions"][0]["formula"]["denominator"] = "agen * 2"
    assert "R.MP.i.a" in _refused(raw)
    raw = _raw()
    _subarea(raw, 1, 0, 0)["questions"][0]["formula"]["numerator"] = "perubahan + bonus"
    assert "undefined inputs: bonus" in _refused(raw)


def test_refuses_wrong_shape_naming_the_item():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["questions"][0]["weight_typo"] = 1
    message = _refused(raw)
    assert "P.MP.i.a" in message


def test_refuses_malformed_yaml_and_missing_file(tmp_path):
    with pytest.raises(CatalogError) as info:
        parse_catalog("id: [unclosed", source="bad.yaml")
    assert "bad.yaml" in info.value.message("en")
    from wbk.catalog import load_catalog

    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path / "nope.yaml")
    assert "not found" in info.value.message("en")


# --- PortalRB numbering (soal_id, excel_baris) ---------------------------------------------


def test_every_item_carries_its_portalrb_soal(catalog):
    soals = catalog.soals
    # 87 Pemenuhan + 15 Reform option questions + 22 count inputs + 3 result items = 127
    assert [s.soal_id for s in soals] == list(range(1, 128))
    assert [s.kind for s in soals].count("count") == 22
    assert [s.kind for s in soals].count("index") == 2
    first = soals[0]
    assert (first.code, first.kind, first.excel_baris) == ("P.MP.i.a", "option", 6)
    # PortalRB asks the agents before the changes: soal 88 "Jumlah Agen Perubahan" (row 126)
    assert (soals[87].code, soals[87].question, soals[87].excel_baris) == (
        "R.MP.i.a#agen",
        "R.MP.i.a",
        126,
    )
    assert soals[88].code == "R.MP.i.a#perubahan"
    assert [(s.code, s.kind) for s in soals[-3:]] == [
        ("H.I.a", "index"),
        ("H.I.b", "option"),
        ("H.II.a", "index"),
    ]
    assert catalog.soal_ids["R.PW.iii.a#melapor"] == 116
    assert catalog.soal_ids["R.PP.ii.a"] == 124
    assert "R.MP.i.a" not in catalog.soal_ids  # a percentage question has no soal of its own
    assert catalog.portalrb.total_soal == 127


def _problems(raw: dict) -> list[tuple[str, str, dict]]:
    with pytest.raises(CatalogError) as info:
        parse_catalog(yaml.safe_dump(raw, allow_unicode=True), source="broken.yaml")
    return info.value.params["problems"]


def test_refuses_a_repeated_soal_id():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["questions"][1]["soal_id"] = 1  # P.MP.i.b takes P.MP.i.a's soal
    message = _refused(raw)
    assert "P.MP.i.b: soal_id 1 is already used by P.MP.i.a" in message
    keys = [(item, key) for item, key, _ in _problems(raw)]
    # soal 2 is now nobody's
    assert keys == [
        ("P.MP.i.b", "portalrb.rule.soal_duplicate"),
        ("soal_id 2", "portalrb.rule.soal_gap"),
    ]


def test_refuses_a_soal_missing_from_1_to_total():
    raw = _raw()
    raw["portalrb"]["total_soal"] = 128  # 127 soals carried, 128 declared
    message = _refused(raw)
    assert "soal_id 128: no item carries soal_id 128 (expected every number 1..128)" in message
    raw = _raw()
    del raw["hasil"]["groups"][1]["items"][0]["soal_id"]  # H.II.a loses soal 127
    keys = [(item, key) for item, key, _ in _problems(raw)]
    assert keys == [
        ("H.II.a", "portalrb.rule.soal_missing"),
        ("soal_id 127", "portalrb.rule.soal_gap"),
    ]


def test_refuses_a_count_input_without_soal():
    raw = _raw()
    inputs = _subarea(raw, 1, 0, 0)["questions"][0]["formula"]["inputs"]
    assert inputs[1]["name"] == "agen"
    del inputs[1]["soal_id"]
    message = _refused(raw)
    assert "R.MP.i.a#agen: has no PortalRB soal_id" in message


def test_refuses_a_soal_on_a_percentage_question_itself():
    raw = _raw()
    _subarea(raw, 1, 0, 0)["questions"][0]["soal_id"] = 88  # R.MP.i.a; 88 is its agen count
    message = _refused(raw)
    assert "R.MP.i.a: a percentage question with count inputs has no soal of its own" in message


def test_refuses_a_duplicate_excel_row():
    raw = _raw()
    _subarea(raw, 0, 0, 0)["questions"][1]["excel_baris"] = 6  # P.MP.i.a's row
    message = _refused(raw)
    assert "P.MP.i.b: excel_baris 6 is already used by P.MP.i.a" in message


def test_soal_ids_run_to_their_count_when_no_total_is_declared():
    raw = _raw()
    del raw["portalrb"]
    assert len(parse_catalog(yaml.safe_dump(raw, allow_unicode=True)).soals) == 127
    _subarea(raw, 0, 0, 0)["questions"][0]["soal_id"] = 130  # 127 distinct ids, one is 130
    message = _refused(raw)
    assert "P.MP.i.a: soal_id 130 is outside 1..127" in message
    assert "soal_id 1" in str(_problems(raw))


def test_a_catalog_without_soal_ids_stays_valid():
    raw = _raw()
    del raw["portalrb"]

    def strip(node):
        if isinstance(node, dict):
            for key in ("soal_id", "excel_baris", "portalrb_text"):
                node.pop(key, None)
            for v in node.values():
                strip(v)
        elif isinstance(node, list):
            for v in node:
                strip(v)

    strip(raw)
    cat = parse_catalog(yaml.safe_dump(raw, allow_unicode=True))
    assert cat.soals == [] and cat.soal_ids == {}
