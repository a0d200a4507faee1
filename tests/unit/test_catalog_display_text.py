"""The catalog's displayed text reads as Indonesian: no words run together (issue 23: the
criteria said "tujuanpembangunan", "danevaluasi", "kegiatanUnit")."""

from __future__ import annotations

import re

from wbk.catalog import load_catalog

GLUED = re.compile(r"\b[a-z]{3,}[A-Z][a-z]+")  # "kegiatanUnit"


def _texts():
    cat = load_catalog()
    for code, q in cat.questions.items():
        yield code, q.text
        for key, text in (q.criteria or {}).items():
            yield f"{code} {key}", text
        for text in q.evidence:
            yield f"{code} bukti", text


def test_no_word_runs_into_a_capitalised_one():
    assert [(where, m) for where, text in _texts() for m in GLUED.findall(text)] == []


def test_the_criteria_that_ran_words_together_read_properly():
    cat = load_catalog()
    ii_b, iii_c = cat.questions["P.MP.ii.b"].criteria, cat.questions["P.MP.iii.c"].criteria
    assert "relevan dengan tujuan pembangunan WBK/WBBM" in ii_b["A"]
    assert "hasil monitoring dan evaluasi tim internal" in " ".join(iii_c["B"].split())
    assert "pelaksanaan kegiatan Unit WBK/WBBM" in " ".join(iii_c["B"].split())
    every = " ".join(text for _, text in _texts())
    for typo in ("tujuanpembangunan", "danevaluasi", "kegiatanUnit"):
        assert typo not in every
