"""YAML read exactly (0.67 stays Decimal('0.67'), never the binary float near it), for the
criteria catalogs and the survey instruments; a syntax error is told by its line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml


class ExactLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader that reads numbers with a fraction as Decimal (libyaml's parser when
    PyYAML has it: the catalog loads several times faster, to the same values)."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


class BadYaml(ValueError):
    """Text that is not plain YAML: ``where`` is ``line N`` (or ``?``), ``problem`` the parser's
    words for it. Each reader turns it into its own message."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def load_exact_yaml(data: bytes | str) -> Any:
    """The document in ``data``, read with ``ExactLoader``."""
    try:
        return yaml.load(data, Loader=ExactLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "?"
        raise BadYaml(where, str(getattr(exc, "problem", None) or exc)) from None
