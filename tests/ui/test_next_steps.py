"""The dashboard's next steps are the Rencana aksi plan's own steps, in words (the question,
the answer to reach, the points), each opening its question; the forecast never shows a bare
dash beside "Semua syarat WBK terpenuhi" (issue 23, item 7)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

PLAN_PAGE = "wbk/ui/pages/plan.py"
CODE = re.compile(r"\b[PRH]\.[A-Z]+\.[ivx]+(\.[a-z])?\b|\bH\.I{1,2}\.[ab]\b")


def _points(text: str) -> Fraction:
    return Fraction(text.replace(",", ".").lstrip("+"))


def _plan_steps(at) -> dict[str, tuple[str, str, Fraction]]:
    """Code -> (question, target answer, gain) as the Rencana aksi page's WBK tab shows them."""
    at.switch_page(PLAN_PAGE).run()
    assert not at.exception, at.exception
    steps = next(d.value for d in at.dataframe if "Kriteria opsi tujuan" in d.value.columns)
    return {
        r["Kode"]: (r["Pertanyaan"], r["Menjadi"], _points(r["Nilai naik"]))
        for _, r in steps.iterrows()
    }


def test_the_suggestions_are_the_plans_best_steps_in_words(app_as):
    at = app_as("pimpinan")
    assert "Langkah berikutnya" in [s.value for s in at.subheader]
    links = at.get("page_link")
    suggested = [p for p in links if p.proto.page == "lke"]
    whole = [p for p in links if p.proto.page == "rencana"]
    assert len(suggested) == 3 and len(whole) == 1
    labels = [p.proto.label for p in suggested] + [whole[0].proto.label]
    assert not [lab for lab in labels if CODE.search(lab)]  # words, not question codes
    codes = [p.proto.query_string.removeprefix("q=") for p in suggested]

    plan = _plan_steps(at)
    assert set(codes) <= set(plan)  # every suggestion is a step of the page's plan
    best = sorted((g for _, _, g in plan.values()), reverse=True)[:3]
    assert sorted((plan[c][2] for c in codes), reverse=True) == best  # the ones gaining most
    for code, label in zip(codes, labels, strict=False):
        question, answer, gain = plan[code]
        assert label.startswith(" ".join(question.split())[:60])
        assert f"→ jawaban {answer}:" in label
        assert _points(label.rsplit("+", 1)[1].split()[0]) == gain and label.endswith("poin")
    assert f"({len(plan)} langkah)" in whole[0].proto.label


def test_the_tpi_gets_the_steps_without_a_link_to_a_page_it_lacks(app_as):
    at = app_as("tpi")
    assert not at.exception, at.exception
    pages = {p.proto.page for p in at.get("page_link")}
    assert "lke" in pages and "rencana" not in pages


@pytest.mark.parametrize(
    "lang, label, value, reason",
    [
        ("id", "Semua syarat WBK terpenuhi", "Belum", "tetap gagal: Nilai total"),
        ("en", "Every WBK gate passes", "Not yet", "still fail: Total score"),
    ],
)
def test_the_forecast_says_whether_every_gate_passes(app_as, lang, label, value, reason):
    at = app_as("pimpinan")
    if lang == "en":
        at.radio(key="lang_choice").set_value("en").run()
    (metric,) = [m for m in at.metric if m.label == label]
    # the demo has no open task, so it stays where it is: failing, said in words with the
    # gates that hold it back, never a bare dash
    assert metric.value == value
    assert reason in metric.proto.help
