"""Typed errors a user can cause; each carries a translatable message key and its parameters."""

from __future__ import annotations

from typing import Any


class WbkError(Exception):
    """Base of every error caused by user input; rendered through ``t()``."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        return t(self.key, lang=lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class CatalogError(WbkError):
    """A criteria catalog file that is missing, malformed or inconsistent.

    ``rule_key``/``rule_params`` name a broken consistency rule, rendered in the reader's
    language; ``rule`` is literal text (a YAML or schema message).
    """

    key = "catalog.invalid"

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        params = dict(self.params)
        if "rule_key" in params:
            params["rule"] = t(params.pop("rule_key"), lang=lang, **params.pop("rule_params", {}))
        return t(self.key, lang=lang, **params)


class AnswerProblem:
    """One problem with one input row: where it is and what is wrong."""

    __slots__ = ("key", "line", "params")

    def __init__(self, key: str, line: int | None = None, **params: Any) -> None:
        self.key = key
        self.line = line
        self.params = params

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        text = t(self.key, lang=lang, **self.params)
        if self.line is None:
            return text
        return t("answers.at_line", lang=lang, line=self.line, problem=text)

    def __repr__(self) -> str:
        return f"AnswerProblem({self.key!r}, line={self.line}, {self.params!r})"


class AnswersError(WbkError):
    """A set of answers that cannot be scored; ``problems`` holds every problem found, the
    message lists the first ``MAX_LISTED`` and counts the rest."""

    key = "answers.invalid"
    MAX_LISTED = 50

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__(self.key, count=len(problems))

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import fmt_number, t

        count = len(self.problems)
        head = t(self.key, lang=lang, count=fmt_number(count, 0, lang=lang))
        lines = [head, *("  - " + p.message(lang) for p in self.problems[: self.MAX_LISTED])]
        if count > self.MAX_LISTED:
            rest = fmt_number(count - self.MAX_LISTED, 0, lang=lang)
            lines.append("  " + t("answers.more_problems", lang=lang, count=rest))
        return "\n".join(lines)


class PermissionDenied(WbkError):
    """The acting user's roles do not allow this action on this unit or area."""

    key = "perm.denied"


class NotFound(WbkError):
    """A unit, user, assessment, evidence or note that does not exist."""

    key = "notfound"


class Conflict(WbkError):
    """Someone else changed the record since it was read, or it already exists."""

    key = "conflict"


class InvalidInput(WbkError):
    """A value the user typed that the service cannot accept."""

    key = "invalid"
