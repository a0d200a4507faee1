"""A new LKE version beside the old one: old assessments keep scoring with their catalog, and
carrying forward with --catalog applies the migration map (split, rename, drop, new, merge,
a new scale, a renamed count input, changed weights) to answers and evidence links.

The second catalog is the synthetic one of tests/unit/test_catalog_migration.py."""

from __future__ import annotations

import io
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from tests.integration.test_workspace import pdf_bytes
from tests.unit.test_catalog_migration import MAP_TEXT, NEW_ID, OLD_ID, synthetic_catalog_text
from wbk.catalog.migration import MigrationError, load_migration
from wbk.services.assessment import assessments, evidence
from wbk.services.assessment.context import load_context
from wbk.services.yearly import carry
from wbk.services.yearly import compare as yearly
from wbk.services.yearly.carry import NotCarried
from wbk.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def criteria_dir(base: Path, with_map: bool = True) -> Path:
    """Both catalogs side by side, and the map from the old to the new one."""
    d = base / "criteria"
    d.mkdir()
    shutil.copy(ROOT / "criteria" / f"{OLD_ID}.yaml", d)
    (d / f"{NEW_ID}.yaml").write_text(synthetic_catalog_text(), encoding="utf-8")
    if with_map:
        (d / "migrations").mkdir()
        (d / "migrations" / f"{OLD_ID}__{NEW_ID}.yaml").write_text(MAP_TEXT, encoding="utf-8")
    return d


@pytest.fixture
def criteria(tmp_path, monkeypatch):
    """The workspace (and everything reading the criteria directory) sees both catalogs."""
    d = criteria_dir(tmp_path)
    monkeypatch.setenv("WBK_CRITERIA_DIR", str(d))
    get_settings.cache_clear()
    yield d
    get_settings.cache_clear()


@pytest.fixture
def source(criteria, world):
    """Unit A's 2026 assessment under the LKE ZI 2021, answered where the map changes things:

    P.MP.i.a Ya (same), P.MP.i.b B + penjelasan (split), P.MP.ii.c A (renamed P.MP.ii.d),
    P.MP.iii.c B (dropped), P.MP.iv.a Ya (new scale), P.TT.ii.c A and P.TT.ii.d B (merged,
    answered differently), R.MP.i.a from counts 9 / 12 (its input agen renamed agen_zi);
    one document on each of P.MP.i.b, P.MP.ii.c, P.MP.iii.c, P.MP.iv.a and P.TT.ii.c+d.
    """
    ws, a, op = world["ws"], world["a"], world["op"]
    assert ws.settings.criteria_dir == criteria
    for code, value in (
        ("P.MP.i.a", "Ya"),
        ("P.MP.ii.c", "A"),
        ("P.MP.iii.c", "B"),
        ("P.MP.iv.a", "Ya"),
        ("P.TT.ii.c", "A"),
        ("P.TT.ii.d", "B"),
    ):
        assessments.set_answer(ws, op, a, code, value)
    assessments.set_answer(ws, op, a, "P.MP.i.b", "B", narrative="Seleksi terbuka")
    assessments.save_question(ws, op, a, "R.MP.i.a", None, None, {"perubahan": "9", "agen": "12"})
    docs = {}
    for n, codes in enumerate(
        (["P.MP.i.b"], ["P.MP.ii.c"], ["P.MP.iii.c"], ["P.MP.iv.a"], ["P.TT.ii.c", "P.TT.ii.d"]),
        start=1,
    ):
        docs[codes[0]] = evidence.add_file(ws, op, a, codes, io.BytesIO(pdf_bytes(n)), f"d{n}.pdf")
    return {**world, "docs": docs}


def test_old_assessments_keep_their_catalog_beside_a_new_one(source):
    ws, a, op = source["ws"], source["a"], source["op"]
    ctx = load_context(ws, op, a)
    assert ctx.catalog.id == OLD_ID
    # P.MP.i 0.5 x (1 + 0.5)/2 = 0.375; P.MP.ii 1.0/3 x 1; P.MP.iii 1.0/3 x 0.67;
    # P.MP.iv 1.5/4 x 1 = 0.375; P.TT.ii 2.0/4 x (1 + 0.5) = 0.75; R.MP.i 2.0/2 x 9/12 = 0.75
    assert ctx.card().total == Fraction("2.25") + Fraction(1, 3) + Fraction("0.67") / 3


def test_the_map_carries_answers_to_the_new_version(source):
    ws, a, op = source["ws"], source["a"], source["op"]
    blobs = sorted(ws.blobs.names())
    result = carry.create_from(ws, op, "A", 2027, a, catalog_id=NEW_ID)
    new = result.assessment.id
    assert result.assessment.catalog_id == NEW_ID
    stored = assessments.answers_of(ws, op, new)
    assert {c: (v.value, v.narrative) for c, v in stored.items()} == {
        "P.MP.i.a": ("Ya", None),  # same
        "P.MP.i.b": ("B", "Seleksi terbuka"),  # split: both halves start from the old answer
        "P.MP.i.c": ("B", "Seleksi terbuka"),
        "P.MP.ii.d": ("A", None),  # renamed from P.MP.ii.c
        "R.MP.i.a#perubahan": ("9", None),  # follows its question by name
        "R.MP.i.a#agen_zi": ("12", None),  # renamed input
    }
    assert {v.carried_from for v in stored.values()} == {2026}
    # left unanswered and listed, in the new catalog's order (a dropped code last)
    assert result.not_carried == [
        NotCarried("P.MP.iv.a", "scale", "P.MP.iv.a"),
        NotCarried("P.TT.i.d", "new"),
        NotCarried("P.TT.ii.c", "merged", "P.TT.ii.c, P.TT.ii.d"),
        NotCarried("P.MP.iii.c", "dropped", "P.MP.iii.c"),
    ]
    assert sorted(ws.blobs.names()) == blobs

    ctx = load_context(ws, op, new)
    assert ctx.catalog.id == NEW_ID
    # new weights: P.MP.i 1.0 x (1 + 0.5 + 0.5)/3 = 2/3; P.MP.ii 0.5/3 x 1 = 1/6;
    # R.MP.i 2.0/2 x 9/12 = 3/4; total 19/12
    assert ctx.card().total == Fraction(19, 12)
    assert ctx.card().subareas["P.MP.i"].weight == 1
    assert yearly.unconfirmed(ctx) == ["P.MP.i.a", "P.MP.i.b", "P.MP.i.c", "P.MP.ii.d", "R.MP.i.a"]


def test_evidence_links_follow_the_map(source):
    ws, a, op, docs = source["ws"], source["a"], source["op"], source["docs"]
    new = carry.create_from(ws, op, "A", 2027, a, catalog_id=NEW_ID).assessment.id
    links = {d.carried_from: d.codes for d in evidence.list_evidence(ws, op, new)}
    assert links == {
        docs["P.MP.i.b"].id: ["P.MP.i.b", "P.MP.i.c"],  # split: linked to both halves
        docs["P.MP.ii.c"].id: ["P.MP.ii.d"],  # renamed
        docs["P.MP.iii.c"].id: [],  # dropped question: the document stays, unlinked
        docs["P.MP.iv.a"].id: ["P.MP.iv.a"],  # the answer is reset, the evidence is kept
        docs["P.TT.ii.c"].id: ["P.TT.ii.c"],  # merged
    }


def test_the_comparison_matches_questions_through_the_map(source):
    ws, a, op = source["ws"], source["a"], source["op"]
    new = carry.create_from(ws, op, "A", 2027, a, catalog_id=NEW_ID).assessment.id
    cmp = yearly.compare_years(load_context(ws, op, new))
    assert cmp.mapped and (cmp.previous_catalog, cmp.current_catalog) == (OLD_ID, NEW_ID)
    total = cmp.total()
    assert (total.previous, total.current) == (
        Fraction("2.25") + Fraction("1.67") / 3,
        Fraction(19, 12),
    )
    # P.MP.iv.a lost its answer (new scale): 1.5/4 points -> 0; the split and renamed
    # questions kept their values (their points moved with the weights, not the answer)
    assert [(m.code, m.previous_code, m.delta) for m in cmp.down] == [
        ("P.MP.iv.a", "P.MP.iv.a", -Fraction(3, 8))
    ]
    assert cmp.up == []


def test_a_new_catalog_without_a_map_is_refused(source, criteria):
    ws, a, op = source["ws"], source["a"], source["op"]
    shutil.rmtree(criteria / "migrations")
    with pytest.raises(MigrationError) as caught:
        carry.create_from(ws, op, "A", 2027, a, catalog_id=NEW_ID)
    assert f"{OLD_ID}__{NEW_ID}.yaml" in caught.value.message()
    assert [v.year for v in assessments.list_assessments(ws, op)] == [2026, 2026]  # nothing made


def test_merged_answers_that_agree_are_carried_and_counts_go_whole(criteria):
    from wbk.catalog import get_catalog

    old, new = get_catalog(OLD_ID), get_catalog(NEW_ID)
    mapping = load_migration(old, new)
    out, missing = carry.translate_answers(
        old,
        new,
        mapping,
        {
            "P.TT.ii.c": ("A", "SOP dievaluasi"),
            "P.TT.ii.d": ("A", "SOP diperbarui"),
            "R.MP.i.a#perubahan": ("9", None),  # its other count was never given
        },
    )
    assert out == {"P.TT.ii.c": ("A", "SOP dievaluasi\n\nSOP diperbarui")}
    assert NotCarried("R.MP.i.a", "inputs", "R.MP.i.a#perubahan") in missing
