"""Translatable user text: ``t(key, **params)`` in Bahasa Indonesia (default) or English."""

from __future__ import annotations

import contextvars
import logging
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANG = "id"
Number = Decimal | Fraction | float | int
_LOCALES = Path(__file__).with_name("locales")
_log = logging.getLogger("wbk.i18n")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("wbk_lang", default=None)


@cache
def messages(lang: str) -> dict[str, str]:
    """The flat message catalog of one language (nested YAML keys joined with dots).

    ``locales/<lang>.yaml`` holds the core messages; a feature may keep its own in
    ``locales/<feature>.<lang>.yaml``. A key defined twice is a bug and raises.
    """
    import yaml  # here, not at the top: ``wbk --help`` needs LANGUAGES, not the messages

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~7x faster, same result

    if lang not in LANGUAGES:
        lang = DEFAULT_LANG
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Any, source: Path) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v, source)
        else:
            if prefix in flat:
                raise ValueError(f"message {prefix!r} defined twice ({source.name})")
            flat[prefix] = str(node)

    files = [_LOCALES / f"{lang}.yaml", *sorted(_LOCALES.glob(f"*.{lang}.yaml"))]
    for path in files:
        walk("", yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}, path)
    return flat


def set_language(lang: str | None) -> contextvars.Token:
    """Use ``lang`` for t() in this context (thread, task, Streamlit session run)."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return _current.set(lang)


def current_language() -> str:
    lang = _current.get()
    if lang:
        return lang
    from wbk.settings import get_settings

    return get_settings().lang


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """The message for ``key`` in the chosen language, falling back to Indonesian, then the key.

    An unknown language is Indonesian. A template that cannot be filled (a parameter missing)
    is logged with its cause and shown unfilled rather than raising in front of the user.
    """
    lang = lang or current_language()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANG
    text = messages(lang).get(key)
    if text is None:
        text = messages(DEFAULT_LANG).get(key, key)
    if not params:
        return text
    shown = {
        k: fmt_number(v, lang=lang) if isinstance(v, Decimal | Fraction | float) else v
        for k, v in params.items()
    }
    try:
        return text.format(**shown)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        _log.error("message %r (%s) could not be filled: %r", key, lang, exc)
        return text


def to_decimal(value: Number) -> Decimal:
    """An exact value (Fraction) or a float as a Decimal with 40 significant digits."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        with localcontext() as ctx:
            ctx.prec = 40
            return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Round for display only: ``places`` decimals, half away from zero, on the exact value."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_number(value: Number, places: int = 2, lang: str | None = None) -> str:
    """``75.75`` -> ``75,75`` in Indonesian, ``75.75`` in English; thousands grouped."""
    lang = lang or current_language()
    text = f"{round_half_up(value, places):,.{places}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_short(value: Number, places: int = 2, lang: str | None = None) -> str:
    """A limit as people write it: ``75``, ``17,5`` (``17.5`` in English), ``3,6``."""
    text = fmt_number(value, places, lang)
    sep = "," if (lang or current_language()) == "id" else "."
    if sep in text:
        text = text.rstrip("0").rstrip(sep)
    return text


def gate_label(gate_id: str, lang: str | None = None) -> str:
    """``area:P.MP`` -> "Area P.MP"; ``ipak`` -> "Nilai IPAK"."""
    base, _, ref = gate_id.partition(":")
    if base == "area":
        return t("gate.area", lang=lang, area=ref)
    return t(f"gate.{base}", lang=lang)


def gate_mark(gate) -> str:
    """`` *`` after an uncertain gate, `` †`` after one stricter than the regulation that
    decides (the workspace chose it as its target), nothing otherwise."""
    if getattr(gate, "uncertain", False):
        return " *"
    if getattr(gate, "stricter", False) and getattr(gate, "applies", True):
        return " †"
    return ""


MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def fmt_date(value, lang: str | None = None) -> str:
    """``31 Mei 2026`` in Indonesian, ``31 May 2026`` in English; ``–`` for no date."""
    if value is None:
        return "–"
    lang = lang or current_language()
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"
