"""The exact YAML reading shared by the catalogs and the survey instruments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wbk.catalog.exact_yaml import BadYaml, load_exact_yaml


def test_numbers_with_a_fraction_stay_decimal():
    raw = load_exact_yaml("weight: 0.67\nmax: 4\nbig: 1_000.5\nratio: .5\n")
    assert raw == {"weight": Decimal("0.67"), "max": 4, "big": Decimal("1000.5"), "ratio": 0.5}
    assert isinstance(raw["weight"], Decimal) and isinstance(raw["ratio"], Decimal)
    assert load_exact_yaml(b"- 1.10\n") == [Decimal("1.10")]


def test_broken_yaml_names_its_line_and_problem():
    with pytest.raises(BadYaml) as broken:
        load_exact_yaml("id: t\nitems: [\n  - {code: Q1\n")
    assert broken.value.where.startswith("line ")
    assert broken.value.problem and broken.value.problem != "None"


def test_only_plain_yaml_is_read():
    with pytest.raises(BadYaml):
        load_exact_yaml("!!python/object/apply:os.system ['true']\n")
