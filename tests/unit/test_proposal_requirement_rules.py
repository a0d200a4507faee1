"""PermenPANRB 5/2024, Lampiran Bab II A, Tabel 5, as the shipped requirement file reads it:
every threshold for both predicates and both agency types, the Stranas PK exemption, and the
values a person may type. The expectations are the regulation's table, written out here."""

from __future__ import annotations

import pytest

from wbk.catalog.loader import available_catalogs
from wbk.catalog.requirements import requirement_set

YEAR = 2026
RS = requirement_set(YEAR)

# (key, value, predicate, agency type, met) straight from Tabel 5
TABLE = [
    # BPK opinion: at least WTP for both predicates
    ("opini_bpk", "WTP", "WBK", "kl", True),
    ("opini_bpk", "WDP", "WBK", "kl", False),
    ("opini_bpk", "TW", "WBK", "pemda", False),
    ("opini_bpk", "TMP", "WBBM", "kl", False),
    ("opini_bpk", "WTP", "WBBM", "pemda", True),
    # agency SAKIP: at least B (WBK), BB (WBBM)
    ("sakip", "AA", "WBK", "kl", True),
    ("sakip", "B", "WBK", "kl", True),
    ("sakip", "CC", "WBK", "pemda", False),
    ("sakip", "BB", "WBBM", "kl", True),
    ("sakip", "B", "WBBM", "pemda", False),
    # Indeks RB: WBK CC (pemda) / B (K/L); WBBM B (pemda) / BB (K/L)
    ("indeks_rb", "CC", "WBK", "pemda", True),
    ("indeks_rb", "C", "WBK", "pemda", False),
    ("indeks_rb", "B", "WBK", "kl", True),
    ("indeks_rb", "CC", "WBK", "kl", False),
    ("indeks_rb", "B", "WBBM", "pemda", True),
    ("indeks_rb", "CC", "WBBM", "pemda", False),
    ("indeks_rb", "BB", "WBBM", "kl", True),
    ("indeks_rb", "B", "WBBM", "kl", False),
    ("indeks_rb", "A", "WBBM", "kl", True),
    # SPIP maturity: at least level 3 for both
    ("spip_level", "3", "WBK", "kl", True),
    ("spip_level", "2", "WBK", "kl", False),
    ("spip_level", "5", "WBBM", "pemda", True),
    ("spip_level", "2", "WBBM", "pemda", False),
    # unit level
    ("core_service", "ya", "WBK", "kl", True),
    ("core_service", "tidak", "WBBM", "kl", False),
    ("significant_impact", "ya", "WBBM", "pemda", True),
    ("significant_impact", "tidak", "WBK", "pemda", False),
    ("tindak_lanjut", "100", "WBK", "kl", True),
    ("tindak_lanjut", "99.9", "WBK", "kl", False),
    ("tindak_lanjut", "99.9", "WBBM", "kl", False),
    ("lhkpn_lhkasn", "100", "WBBM", "pemda", True),
    ("lhkpn_lhkasn", "95", "WBBM", "pemda", False),
    # building ZI towards that predicate for at least one year
    ("zi_since", "2025", "WBK", "kl", True),
    ("zi_since", "2020", "WBBM", "kl", True),
    ("zi_since", "2026", "WBK", "kl", False),
    ("zi_since", "2027", "WBBM", "pemda", False),
    # internal SAKIP evaluation: at least B (WBK), BB (WBBM)
    ("sakip_internal", "B", "WBK", "kl", True),
    ("sakip_internal", "CC", "WBK", "kl", False),
    ("sakip_internal", "BB", "WBBM", "pemda", True),
    ("sakip_internal", "B", "WBBM", "pemda", False),
]


@pytest.mark.parametrize(("key", "value", "predicate", "agency", "met"), TABLE)
def test_every_threshold_of_tabel_5(key, value, predicate, agency, met):
    assert RS.met(RS.get(key), value, predicate, agency, YEAR) is met


def test_every_requirement_of_the_table_is_in_the_file_at_both_levels():
    levels = {r.key: r.level for r in RS.requirements}
    assert levels == {
        "jenis_instansi": "instansi",
        "opini_bpk": "instansi",
        "sakip": "instansi",
        "indeks_rb": "instansi",
        "spip_level": "instansi",
        "core_service": "unit",
        "significant_impact": "unit",
        "tindak_lanjut": "unit",
        "lhkpn_lhkasn": "unit",
        "zi_since": "unit",
        "sakip_internal": "unit",
        "stranas_pk": "unit",
    }
    assert RS.letter_scale == ("AA", "A", "BB", "B", "CC", "C", "D")
    assert "5 Tahun 2024" in RS.regulation.id and "Tabel 5" in RS.regulation.id
    assert (RS.deadline.month, RS.deadline.day) == (5, 31)
    assert len(RS.stranas_pk.units) == 6


def test_indeks_rb_cannot_be_judged_before_the_agency_type_is_known():
    req = RS.get("indeks_rb")
    assert RS.met(req, "AA", "WBK", None, YEAR) is None
    assert RS.met(req, None, "WBK", "kl", YEAR) is None  # nothing recorded


@pytest.mark.parametrize(
    ("agency", "stranas", "exempt"),
    [("pemda", "ya", True), ("pemda", "tidak", False), ("kl", "ya", False), (None, "ya", False)],
)
def test_only_regional_stranas_pk_units_are_exempt(agency, stranas, exempt):
    assert RS.exempt(agency, stranas) is exempt


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("opini_bpk", " wtp ", "WTP"),
        ("sakip", "bb", "BB"),
        ("jenis_instansi", "PEMDA", "pemda"),
        ("spip_level", " 3 ", "3"),
        ("core_service", "Ya", "ya"),
        ("core_service", "tidak", "tidak"),
        ("tindak_lanjut", "100%", "100"),
        ("tindak_lanjut", "99,5", "99.5"),
        ("tindak_lanjut", "100.00", "100"),
        ("zi_since", "2025", "2025"),
    ],
)
def test_typed_values_are_stored_in_one_form(key, typed, stored):
    assert RS.normalize(RS.get(key), typed) == stored


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("opini_bpk", "baik"),
        ("sakip", "B+"),
        ("spip_level", "6"),
        ("spip_level", "2.5"),
        ("core_service", "mungkin"),
        ("tindak_lanjut", "101"),
        ("tindak_lanjut", "-1"),
        ("tindak_lanjut", "NaN"),
        ("zi_since", "1999"),
        ("zi_since", "dua ribu"),
        ("jenis_instansi", "bumn"),
    ],
)
def test_values_outside_their_type_are_refused(key, typed):
    with pytest.raises(ValueError):
        RS.normalize(RS.get(key), typed)


def test_the_requirement_file_is_not_taken_for_a_criteria_catalog():
    assert available_catalogs() == ["lke-zi-2021"]


def test_a_later_regulation_is_a_new_file_that_governs_from_its_year(tmp_path):
    from wbk.catalog.loader import CRITERIA_DIR

    text = (CRITERIA_DIR / "proposal-requirements-2024.yaml").read_text(encoding="utf-8")
    (tmp_path / "proposal-requirements-2024.yaml").write_text(text, encoding="utf-8")
    later = text.replace("applies_from: 2024", "applies_from: 2030").replace(
        "id: proposal-requirements-2024", "id: proposal-requirements-2030"
    )
    later = later.replace("minimum: {WBK: 3, WBBM: 3}", "minimum: {WBK: 4, WBBM: 4}")
    (tmp_path / "proposal-requirements-2030.yaml").write_text(later, encoding="utf-8")
    old, new = requirement_set(2029, tmp_path), requirement_set(2030, tmp_path)
    assert (old.id, new.id) == ("proposal-requirements-2024", "proposal-requirements-2030")
    assert old.met(old.get("spip_level"), "3", "WBK", "kl", 2029) is True
    assert new.met(new.get("spip_level"), "3", "WBK", "kl", 2030) is False


def test_a_broken_requirement_file_is_refused_with_its_name(tmp_path):
    from wbk.errors import CatalogError

    (tmp_path / "proposal-requirements-2024.yaml").write_text(
        "id: x\napplies_from: 2024\nrequirements: [\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError) as err:
        requirement_set(2026, tmp_path)
    assert "proposal-requirements-2024.yaml" in err.value.message()
