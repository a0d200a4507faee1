"""Answer imports (a CSV, a workbook, PortalRB's pull): what a file says of each answer,
previewed and applied alike. An answer given sets the value, an empty one leaves it; a note
column of None leaves the penjelasan, an empty note clears it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from wbk.catalog import Catalog
from wbk.scoring import AnswerRow, parse_answers
from wbk.services.assessment.assessments import canonical_answer, write_answer_row
from wbk.services.core.actor import Actor, check_tier
from wbk.services.core.workspace import (
    Workspace,
    get_assessment,
    require,
    unit_chain,
    writable_assessment,
)
from wbk.store.tables import Answer, Assessment


class _Keep:
    __slots__ = ()

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()  # an import says nothing of this: the stored value stays as it is


@dataclass(frozen=True, slots=True)
class AnswerWrite:
    """What an import asks of one answer row. ``value`` (canonical) and ``note`` (the
    penjelasan) are each KEEP when the file says nothing of it (no such column or key), None
    when the file gives it empty (it is cleared), else the new text. ``where``: the line or
    cell it came from."""

    code: str
    value: str | _Keep | None
    note: str | _Keep | None
    where: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One answer row an import really changes: its value, its penjelasan or both."""

    code: str
    where: str | None
    old_value: str | None
    new_value: str | None
    old_note: str | None
    new_note: str | None

    @property
    def value_changed(self) -> bool:
        return self.old_value != self.new_value

    @property
    def note_changed(self) -> bool:
        return self.old_note != self.new_note

    @property
    def note_cleared(self) -> bool:
        return self.old_note is not None and self.new_note is None

    def note_words(self, lang: str | None = None) -> str:
        """What happens to the penjelasan (``penjelasan dihapus``); empty when it stays."""
        from wbk.i18n import t

        if not self.note_changed:
            return ""
        if self.old_note is None:
            return t("answers.change.note_added", lang=lang)
        if self.new_note is None:
            return t("answers.change.note_cleared", lang=lang)
        return t("answers.change.note_changed", lang=lang)

    def describe(self, lang: str | None = None) -> str:
        """``A -> C; penjelasan dihapus``: what changes, in words."""
        parts = []
        if self.value_changed:
            parts.append(f"{self.old_value or '–'} -> {self.new_value or '–'}")
        if self.note_changed:
            parts.append(self.note_words(lang))
        return "; ".join(parts)


@dataclass
class ImportPlan:
    """What an import would change before anything is applied; ``unchanged``: the rows that
    name an answer and would leave it as it is."""

    changes: list[AnswerChange]
    unchanged: int


def writes_from_rows(catalog: Catalog, rows: Iterable[AnswerRow]) -> list[AnswerWrite]:
    """The writes of answer rows (a CSV, a workbook): an answer given sets the value, an empty
    one leaves the stored value; a note of None leaves the penjelasan, an empty one clears it.
    The rows are valid (``parse_answers`` has passed them)."""
    writes = []
    for row in rows:
        code, text = row.code.strip(), (row.answer or "").strip()
        if not code:
            continue
        value = canonical_answer(catalog, code, text) if text else KEEP
        note = KEEP if row.note is None else (row.note.strip() or None)
        if value is KEEP and note is KEEP:
            continue
        writes.append(AnswerWrite(code, value, note, None if row.line is None else str(row.line)))
    return writes


def _outcome(
    old: tuple[str | None, str | None] | None, write: AnswerWrite
) -> tuple[str | None, str | None] | None:
    """The (value, penjelasan) a write leaves; None when it leaves no row at all."""
    old_value, old_note = old or (None, None)
    value = old_value if write.value is KEEP else write.value
    note = old_note if write.note is KEEP else write.note
    if old is None and value is None and note is None:
        return None
    return value, note


def plan_writes(
    stored: Mapping[str, tuple[str | None, str | None]], writes: Iterable[AnswerWrite]
) -> ImportPlan:
    """Compare ``writes`` with the ``stored`` (value, penjelasan) of each code."""
    changes, unchanged = [], 0
    for write in writes:
        old = stored.get(write.code)
        after = _outcome(old, write)
        if after is None:
            continue
        before = old or (None, None)
        if after == before:
            unchanged += 1
        else:
            changes.append(
                AnswerChange(write.code, write.where, before[0], after[0], before[1], after[1])
            )
    return ImportPlan(changes, unchanged)


def tier_rows(s: Session, assessment_id: int, tier: str) -> dict[str, Answer]:
    """The stored answer rows of one tier of an assessment, by code."""
    return {
        r.code: r
        for r in s.execute(
            select(Answer).where(Answer.assessment_id == assessment_id, Answer.tier == tier)
        ).scalars()
    }


def apply_writes(
    s: Session,
    actor: Actor,
    a: Assessment,
    tier: str,
    catalog: Catalog,
    writes: Iterable[AnswerWrite],
) -> int:
    """Write each answer the writes change, audited, in the caller's transaction; returns how
    many rows really changed (a value or a penjelasan now different). A carried answer whose
    value the file gives unchanged is confirmed, as when it is saved by hand; one the file
    says nothing of stays carried."""
    chain = unit_chain(s, a.unit_id)
    stored = tier_rows(s, a.id, tier)
    changed = 0
    for write in writes:
        current = stored.get(write.code)
        before = None if current is None else (current.value, current.narrative)
        after = _outcome(before, write)
        if after is None or (after == before and write.value is KEEP):
            continue
        require(actor, f"answer.{tier}", chain, catalog.area_of(write.code))
        version = None if current is None else current.version
        view = write_answer_row(s, actor, a, tier, write.code, *after, None)
        changed += view.version != version
    return changed


def preview_import(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    rows: Iterable[AnswerRow],
    tier: str = "self",
) -> ImportPlan:
    """What ``import_answers`` would change, nothing applied (AnswersError for bad rows)."""
    check_tier(tier)
    rows = list(rows)
    with ws.db.read() as s:
        a = get_assessment(s, assessment_id)
        require(actor, "read", unit_chain(s, a.unit_id))
        catalog = ws.catalog(a.catalog_id)
        parse_answers(catalog, rows)
        stored = {c: (r.value, r.narrative) for c, r in tier_rows(s, a.id, tier).items()}
        return plan_writes(stored, writes_from_rows(catalog, rows))


def import_answers(
    ws: Workspace,
    actor: Actor,
    assessment_id: int,
    rows: Iterable[AnswerRow],
    tier: str = "self",
) -> int:
    """Apply a whole answers file: every row valid, or nothing is applied. An empty answer
    leaves the stored one; a note of None (no note column) leaves the penjelasan, an empty
    note clears it. Returns the rows really changed."""
    check_tier(tier)
    rows = list(rows)
    with ws.db.write() as s:
        a = writable_assessment(s, actor, assessment_id, f"answer.{tier}")
        catalog = ws.catalog(a.catalog_id)
        parse_answers(catalog, rows)  # raises AnswersError listing every bad row
        return apply_writes(s, actor, a, tier, catalog, writes_from_rows(catalog, rows))
