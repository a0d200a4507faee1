"""Every message exists in both languages, and numbers are shown the Indonesian way."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from wbk.i18n import fmt_number, messages, round_half_up, t
from wbk.services.core.actor import RULES

SOURCE = Path(__file__).resolve().parents[2] / "wbk"
# every top-level section of the catalog is a key prefix the code may use
PREFIXES = sorted({k.split(".", 1)[0] for k in messages("id")})
KEY_LITERAL = re.compile(r"""["']((?:""" + "|".join(PREFIXES) + r""")\.[a-z_.]+)["']""")


def test_both_languages_have_the_same_keys():
    assert set(messages("id")) == set(messages("en"))


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in SOURCE.rglob("*.py"):
        used |= set(KEY_LITERAL.findall(path.read_text(encoding="utf-8")))
    # keys composed at run time (f"gate.{id}", "ui.tier_" + tier): only the prefix is literal
    dynamic_prefixes = {
        "results.",
        "gate.",
        "ws.problem.",
        "status.",
        "action.",
        "warning.",
        "severity.",
        "note_status.",
        "ui.tier_",
    }
    used -= set(RULES)  # the permission table's actions (portfolio.read) are names, not text
    missing = {
        k
        for k in used
        if k not in messages("id") and not any(k == p.rstrip(".") for p in dynamic_prefixes)
    }
    assert not missing


@pytest.mark.parametrize(
    ("value", "id_text", "en_text"),
    [
        (Decimal("75.75"), "75,75", "75.75"),
        (Fraction(2675, 1000), "2,68", "2.68"),
        (1234.5, "1.234,50", "1,234.50"),
        (Fraction(2, 3), "0,67", "0.67"),
    ],
)
def test_numbers_are_rounded_half_up_and_localised(value, id_text, en_text):
    assert fmt_number(value, lang="id") == id_text
    assert fmt_number(value, lang="en") == en_text


def test_half_up_on_the_exact_value_not_the_float():
    assert round_half_up(Fraction(2675, 1000)) == Decimal("2.68")  # float 2.675 would give 2.67
    assert round_half_up(Fraction(-5, 1000)) == Decimal("-0.01")


def test_unknown_language_falls_back_to_indonesian():
    assert t("cli.passed", lang="fr") == t("cli.passed", lang="id") == "MEMENUHI"
    assert t("cli.passed", lang="en") == "MET"
    assert messages("fr") == messages("id")


def test_unknown_key_is_shown_as_the_key():
    assert t("no.such.key") == "no.such.key"


def test_a_template_missing_a_parameter_is_logged_not_raised(caplog):
    text = t("ws.snapshot", lang="id", id=7)  # {total} not given
    assert text.startswith("Nilai penilaian {id}")
    assert "could not be filled" in caplog.text and "total" in caplog.text
