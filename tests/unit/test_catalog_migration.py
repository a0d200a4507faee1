"""Migration maps between LKE versions: a sound map resolves every old code, and every broken
rule is caught naming the file, the item and the rule.

The second catalog is synthetic, made here from the shipped one for the test (no guess at a
future regulation): P.MP.i.b split in two, P.MP.ii.c renamed P.MP.ii.d, P.MP.iii.c dropped,
P.TT.i.d new, P.TT.ii.c and P.TT.ii.d merged, P.MP.iv.a on a new scale, the count input
R.MP.i.a#agen renamed, and the weights of P.MP.i and P.MP.ii swapped (0.5 <-> 1.0).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from wbk.catalog import get_catalog, parse_catalog
from wbk.catalog.exact_yaml import load_exact_yaml
from wbk.catalog.migration import (
    MigrationError,
    check_migration,
    identity_map,
    load_migration,
    parse_migration,
)

ROOT = Path(__file__).resolve().parents[2]
OLD_ID = "lke-zi-2021"
NEW_ID = "lke-uji-2099"
MAP_TEXT = f"""\
from: {OLD_ID}
to: {NEW_ID}
unlisted: same
entries:
  - {{kind: split, old: P.MP.i.b, new: [P.MP.i.b, P.MP.i.c]}}
  - {{kind: renamed, old: P.MP.ii.c, new: P.MP.ii.d}}
  - {{kind: dropped, old: P.MP.iii.c}}
  - {{kind: same, old: P.MP.iv.a, answer: reset, note: skala baru A/B/C}}
  - {{kind: new, new: P.TT.i.d}}
  - {{kind: merged, old: [P.TT.ii.c, P.TT.ii.d], new: P.TT.ii.c}}
  - {{kind: renamed, old: "R.MP.i.a#agen", new: "R.MP.i.a#agen_zi"}}
"""


class _Dumper(yaml.SafeDumper):
    """Writes decimals as YAML floats, which the catalog loader reads back exactly."""


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))


def _strip_portalrb(node) -> None:
    """The synthetic catalog is not one PortalRB numbers: drop soal ids and sheet rows."""
    if isinstance(node, dict):
        for key in ("soal_id", "excel_baris", "portalrb_text", "portalrb"):
            node.pop(key, None)
        for value in node.values():
            _strip_portalrb(value)
    elif isinstance(node, list):
        for value in node:
            _strip_portalrb(value)


def _sub(raw: dict, part: str, area: str, sub: str) -> dict:
    p = next(x for x in raw["pengungkit"]["parts"] if x["code"] == part)
    a = next(x for x in p["areas"] if x["code"] == area)
    return next(x for x in a["subareas"] if x["id"] == sub)


def _question(sub: dict, code: str) -> dict:
    return next(q for q in sub["questions"] if q["code"] == code)


def synthetic_catalog_text() -> str:
    """The YAML of the synthetic next LKE version described in the module docstring."""
    raw = load_exact_yaml((ROOT / "criteria" / f"{OLD_ID}.yaml").read_text(encoding="utf-8"))
    _strip_portalrb(raw)
    raw["id"] = NEW_ID
    raw["name"] = "LKE uji (sintetis, hanya untuk pengujian)"
    mp_i, mp_ii = _sub(raw, "P", "MP", "i"), _sub(raw, "P", "MP", "ii")
    mp_i["weight"], mp_ii["weight"] = Decimal("1.0"), Decimal("0.5")  # MP stays 4.0
    second = copy.deepcopy(_question(mp_i, "P.MP.i.b"))
    second["code"], second["text"] = "P.MP.i.c", second["text"] + " (bagian kedua)"
    mp_i["questions"].append(second)
    _question(mp_ii, "P.MP.ii.c")["code"] = "P.MP.ii.d"
    mp_iii = _sub(raw, "P", "MP", "iii")
    mp_iii["questions"] = [q for q in mp_iii["questions"] if q["code"] != "P.MP.iii.c"]
    iv_a = _question(_sub(raw, "P", "MP", "iv"), "P.MP.iv.a")
    iv_a["scale"] = "abc"
    iv_a["criteria"] = {"A": "Seluruh pimpinan", "B": "Sebagian pimpinan", "C": "Belum ada"}
    tt_i = _sub(raw, "P", "TT", "i")
    tt_i["questions"].append(
        {"code": "P.TT.i.d", "text": "Peta proses bisnis dipublikasikan", "scale": "ya_tidak"}
    )
    tt_ii = _sub(raw, "P", "TT", "ii")
    tt_ii["questions"] = [q for q in tt_ii["questions"] if q["code"] != "P.TT.ii.d"]
    formula = _question(_sub(raw, "R", "MP", "i"), "R.MP.i.a")["formula"]
    formula["inputs"][1]["name"] = "agen_zi"
    formula["denominator"] = "agen_zi"
    return yaml.dump(raw, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def old():
    return get_catalog(OLD_ID)


@pytest.fixture(scope="module")
def new():
    return parse_catalog(synthetic_catalog_text(), source=f"{NEW_ID}.yaml")


def raw_map() -> dict:
    return yaml.safe_load(MAP_TEXT)


def test_the_synthetic_catalog_is_a_sound_catalog_with_the_changes(old, new):
    assert new.id == NEW_ID
    assert "P.MP.i.c" in new.items and "P.MP.ii.d" in new.items and "P.TT.i.d" in new.items
    assert "P.MP.iii.c" not in new.items and "P.TT.ii.d" not in new.items
    # P.MP.i: weight 1.0 over 3 questions (was 0.5 over 2)
    assert new.items["P.MP.i.a"].points_per_unit == Decimal("1.0") / 3
    assert old.items["P.MP.i.a"].points_per_unit == Decimal("0.25")
    assert (
        new.items["P.MP.iv.a"].scale.kind == "option" and new.questions["P.MP.iv.a"].scale == "abc"
    )


def test_a_sound_map_resolves_every_kind(old, new):
    m = parse_migration(MAP_TEXT, old, new)
    assert m.targets["P.MP.i.b"] == ("P.MP.i.b", "P.MP.i.c")  # split
    assert m.targets["P.MP.ii.c"] == ("P.MP.ii.d",)  # renamed
    assert m.targets["P.MP.iii.c"] == () and m.kinds["P.MP.iii.c"] == "dropped"
    assert m.targets["P.TT.ii.c"] == m.targets["P.TT.ii.d"] == ("P.TT.ii.c",)  # merged
    assert m.sources_of("P.TT.ii.c") == ("P.TT.ii.c", "P.TT.ii.d")
    assert m.new_codes == ("P.TT.i.d",)
    assert m.carried["P.MP.iv.a"] is False and m.targets["P.MP.iv.a"] == ("P.MP.iv.a",)
    assert m.targets["P.MP.i.a"] == ("P.MP.i.a",) and m.kinds["P.MP.i.a"] == "same"  # unlisted
    # inputs: one renamed explicitly, the other follows its question by name
    assert m.targets["R.MP.i.a#agen"] == ("R.MP.i.a#agen_zi",)
    assert m.targets["R.MP.i.a#perubahan"] == ("R.MP.i.a#perubahan",)
    assert m.carried["R.MP.i.a#agen"] and m.carried["R.MP.i.a#perubahan"]
    # every old code of the LKE ZI 2021 has a place (or is dropped)
    assert {c for c in old.items} <= set(m.targets)


def test_the_same_catalog_maps_onto_itself(old):
    m = identity_map(old)
    assert m.identity and m.targets["R.SDM.iii.a#disanksi"] == ("R.SDM.iii.a#disanksi",)
    assert load_migration(old, old).targets == m.targets


def test_the_map_is_found_beside_the_catalogs(old, new, tmp_path):
    with pytest.raises(MigrationError) as caught:
        load_migration(old, new, tmp_path)
    expected = tmp_path / "migrations" / f"{OLD_ID}__{NEW_ID}.yaml"
    assert caught.value.key == "yearly.map.not_found"
    assert str(expected) in caught.value.message("en")
    expected.parent.mkdir()
    expected.write_text(MAP_TEXT, encoding="utf-8")
    assert load_migration(old, new, tmp_path).targets["P.MP.ii.c"] == ("P.MP.ii.d",)


def _entry(raw: dict, old_code: str) -> dict:
    return next(e for e in raw["entries"] if old_code in str(e.get("old", e.get("new"))))


def _broken(change) -> dict:
    raw = raw_map()
    change(raw)
    return raw


CASES = {
    "not_mapping": (lambda: ["a", "b"], "/"),
    "unknown_field": (lambda: _broken(lambda r: r.update(version=2)), "version"),
    "catalog_id": (lambda: _broken(lambda r: r.update({"to": "lke-zi-2030"})), "to"),
    "unlisted": (lambda: _broken(lambda r: r.update(unlisted="maybe")), "unlisted"),
    "entries": (lambda: _broken(lambda r: r.update(entries={"a": 1})), "entries"),
    "entry_shape": (lambda: _broken(lambda r: r["entries"].append("P.MP.i.a")), "entry 8"),
    "unknown_kind": (
        lambda: _broken(lambda r: r["entries"].append({"kind": "moved", "old": "P.MP.i.a"})),
        "entry 8 (P.MP.i.a)",
    ),
    "code_type": (
        lambda: _broken(lambda r: r["entries"].append({"kind": "dropped", "old": 5})),
        "entry 8 (?)",
    ),
    "answer": (
        lambda: _broken(lambda r: _entry(r, "P.MP.iii.c").update(answer="reset")),
        "entry 3 (P.MP.iii.c)",
    ),
    "count_old": (
        lambda: _broken(lambda r: _entry(r, "P.TT.ii.c").update(old=["P.TT.ii.c"])),
        "entry 6 (P.TT.ii.c)",
    ),
    "count_new": (
        lambda: _broken(lambda r: _entry(r, "P.MP.i.b").update(new=["P.MP.i.b"])),
        "entry 1 (P.MP.i.b)",
    ),
    "same_differs": (
        lambda: _broken(lambda r: _entry(r, "P.MP.iv.a").update(new="P.MP.iv.b")),
        "entry 4 (P.MP.iv.a)",
    ),
    "unknown_old": (
        lambda: _broken(lambda r: r["entries"].append({"kind": "dropped", "old": "P.XX.i.a"})),
        "P.XX.i.a",
    ),
    "old_twice": (
        lambda: _broken(lambda r: r["entries"].append({"kind": "dropped", "old": "P.MP.ii.c"})),
        "P.MP.ii.c",
    ),
    "unknown_new": (
        lambda: _broken(lambda r: _entry(r, "P.MP.ii.c").update(new="P.MP.ii.z")),
        "P.MP.ii.z",
    ),
    "new_twice": (
        lambda: _broken(lambda r: r["entries"].append({"kind": "new", "new": "P.MP.ii.d"})),
        "P.MP.ii.d",
    ),
    "unmapped": (
        lambda: _broken(lambda r: r["entries"].remove(_entry(r, "P.MP.iii.c"))),
        "P.MP.iii.c",
    ),
    "uncovered": (
        lambda: _broken(lambda r: r["entries"].remove(_entry(r, "P.TT.i.d"))),
        "P.TT.i.d",
    ),
    "input_kind": (
        lambda: _broken(
            lambda r: r["entries"].append(
                {"kind": "renamed", "old": "R.MP.i.b#terintegrasi", "new": "P.TT.i.a"}
            )
        ),
        "R.MP.i.b#terintegrasi",
    ),
    "input_entry": (
        lambda: _broken(
            lambda r: r["entries"].append(
                {
                    "kind": "split",
                    "old": "R.MP.i.b#terintegrasi",
                    "new": ["R.MP.i.b#terintegrasi", "R.MP.i.b#perubahan"],
                }
            )
        ),
        "R.MP.i.b#terintegrasi",
    ),
    "scale": (
        lambda: _broken(lambda r: _entry(r, "P.MP.iv.a").pop("answer")),
        "P.MP.iv.a",
    ),
    "input_unmapped": (
        lambda: _broken(lambda r: r["entries"].remove(_entry(r, "R.MP.i.a#agen"))),
        "R.MP.i.a#agen",
    ),
    "input_missing": (
        lambda: _broken(lambda r: r["entries"].remove(_entry(r, "R.MP.i.a#agen"))),
        "R.MP.i.a#agen_zi",
    ),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_broken_rule_is_caught_naming_its_item(old, new, rule):
    make, item = CASES[rule]
    problems = check_migration(make(), old, new)
    assert (item, f"yearly.map.rule.{rule}") in {(i, k) for i, k, _ in problems}, problems


def test_the_sound_map_has_no_problem(old, new):
    assert check_migration(raw_map(), old, new) == []


def test_the_error_message_names_the_file_every_item_and_rule(old, new):
    raw = raw_map()
    _entry(raw, "P.MP.iv.a").pop("answer")  # P.MP.iv.a: Ya/Tidak answers cannot mean A/B/C
    raw["entries"].remove(_entry(raw, "P.MP.iii.c"))
    with pytest.raises(MigrationError) as caught:
        parse_migration(yaml.safe_dump(raw), old, new, source="migrations/peta.yaml")
    text = caught.value.message("id")
    assert text.splitlines()[0] == "Peta migrasi migrations/peta.yaml tidak valid (2 masalah):"
    assert (
        "- P.MP.iii.c: kode lama ini belum dipetakan ke lke-uji-2099 dan tidak dinyatakan "
        "dropped" in text
    )
    assert (
        "- P.MP.iv.a: jawaban dibawa ke P.MP.iv.a padahal skalanya berbeda (ya_tidak -> abc)"
        in (text)
    )
    english = caught.value.message("en")
    assert "Migration map migrations/peta.yaml is not valid (2 problems):" in english


def test_a_map_that_is_not_yaml_names_the_line(old, new):
    with pytest.raises(MigrationError) as caught:
        parse_migration("from: a\nentries: [\n", old, new, source="peta.yaml")
    [(item, key, _)] = caught.value.problems
    assert key == "yearly.map.rule.yaml" and item.startswith("line ")
