"""Migration maps between two LKE catalog versions: where each old question, count input and
result item goes in the new catalog (same, renamed, split, merged, dropped, new), validated
against both catalogs so that carrying a unit's answers and evidence forward strands nothing.

A map lives in ``<criteria dir>/migrations/<from>__<to>.yaml``::

    from: lke-zi-2021
    to: lke-zi-2027
    unlisted: same            # optional: an old code not listed keeps its code (default: error)
    entries:
      - {kind: same, old: P.MP.i.a}
      - {kind: renamed, old: P.MP.ii.c, new: P.MP.ii.d}
      - {kind: split, old: P.MP.i.b, new: [P.MP.i.b, P.MP.i.c]}
      - {kind: merged, old: [P.TT.i.a, P.TT.i.b], new: P.TT.i.a}
      - {kind: dropped, old: P.MP.iii.c}
      - {kind: new, new: P.TT.i.d}
      - {kind: same, old: P.MP.iv.a, answer: reset}     # a new scale: the answer is not carried
      - {kind: renamed, old: "R.MP.i.a#agen", new: "R.MP.i.a#agen_zi"}

A count input (``code#name``) not listed follows its question to every target that has an
input of the same name; ``answer: reset`` keeps the evidence links but not the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from wbk.catalog.model import Catalog, ScoredItem
from wbk.errors import WbkError

Kind = Literal["same", "renamed", "split", "merged", "dropped", "new"]
KINDS: tuple[str, ...] = ("same", "renamed", "split", "merged", "dropped", "new")
ENTRY_FIELDS = frozenset({"kind", "old", "new", "answer", "note"})
TOP_FIELDS = frozenset({"from", "to", "unlisted", "entries", "note"})
Problem = tuple[str, str, dict]  # (item, message key, params)


class MigrationError(WbkError):
    """A migration map that is missing or does not fit its two catalogs; ``problems`` holds
    every broken rule as (item, message key, params), the message lists them all."""

    key = "yearly.map.invalid"

    def __init__(self, file: str, problems: list[Problem], key: str | None = None, **params):
        self.problems = problems
        super().__init__(key or self.key, file=file, count=len(problems), **params)

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        head = t(self.key, lang=lang, **self.params)
        lines = [
            t("yearly.map.problem", lang=lang, item=item, rule=t(key, lang=lang, **params))
            for item, key, params in self.problems
        ]
        return "\n".join([head, *lines])


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a map: what the old codes become."""

    kind: Kind
    old: tuple[str, ...]
    new: tuple[str, ...]
    carry: bool = True  # False: ``answer: reset`` (the evidence follows, the answer does not)
    note: str | None = None


@dataclass(frozen=True)
class MigrationMap:
    """A validated map. ``targets`` has every old code (question, count input, result item):
    the new codes it goes to, empty when dropped; ``carried`` whether its answer goes along;
    ``kinds`` the kind of its entry; ``new_codes`` the new questions nothing feeds."""

    source: str
    target: str
    targets: dict[str, tuple[str, ...]]
    carried: dict[str, bool]
    kinds: dict[str, str]
    new_codes: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    @property
    def identity(self) -> bool:
        return self.source == self.target

    def sources_of(self, new_code: str) -> tuple[str, ...]:
        """The old codes that feed ``new_code`` (several for a merged question)."""
        return tuple(old for old, news in self.targets.items() if new_code in news)


def answer_codes(catalog: Catalog) -> dict[str, ScoredItem]:
    """Every code an answer or an evidence link can carry: each scored item and each count
    input (``R.MP.i.a#agen``, mapped to its question's item)."""
    out: dict[str, ScoredItem] = {}
    for code, item in catalog.items.items():
        out[code] = item
        if item.formula is not None:
            for inp in item.formula.inputs:
                out[f"{code}#{inp.name}"] = item
    return out


def identity_map(catalog: Catalog) -> MigrationMap:
    """The map of a catalog onto itself: every code stays, every answer is carried."""
    codes = answer_codes(catalog)
    return MigrationMap(
        catalog.id,
        catalog.id,
        {c: (c,) for c in codes},
        dict.fromkeys(codes, True),
        dict.fromkeys(codes, "same"),
    )


def migration_path(source: str, target: str, directory: Path) -> Path:
    return directory / "migrations" / f"{source}__{target}.yaml"


def load_migration(old: Catalog, new: Catalog, directory: Path | None = None) -> MigrationMap:
    """The validated map from ``old`` to ``new`` (identity for the same catalog) from the
    criteria directory; raises MigrationError naming the file, each item and rule."""
    if old.id == new.id:
        return identity_map(old)
    if directory is None:
        from wbk.catalog.loader import criteria_dir

        directory = criteria_dir()
    path = migration_path(old.id, new.id, directory)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MigrationError(
            str(path), [], "yearly.map.not_found", reason=exc.strerror or str(exc)
        ) from None
    return parse_migration(text, old, new, source=str(path))


def parse_migration(text: str, old: Catalog, new: Catalog, source: str = "<map>") -> MigrationMap:
    """Parse and validate map text against both catalogs; every problem raises at once."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "?"
        problem = str(getattr(exc, "problem", exc))
        raise MigrationError(
            source, [(where, "yearly.map.rule.yaml", {"problem": problem})]
        ) from None
    problems, mapping = _Checker(old, new).run(raw)
    if problems:
        raise MigrationError(source, problems)
    assert mapping is not None
    return mapping


def check_migration(raw: object, old: Catalog, new: Catalog) -> list[Problem]:
    """Every broken rule of a parsed map as (item, message key, params); empty when sound."""
    return _Checker(old, new).run(raw)[0]


def scales_compatible(old: ScoredItem, new: ScoredItem) -> bool:
    """An answer to ``old`` means the same to ``new``: the same kind of scale with the same
    options (values may differ), the same index range, or a percentage of the same form."""
    a, b = old.scale, new.scale
    if old.kind != new.kind or a.kind != b.kind:
        return False
    if a.kind == "option":
        return set(a.values) == set(b.values)
    if a.kind == "index":
        return (a.minimum, a.maximum) == (b.minimum, b.maximum)
    return (old.formula is None) == (new.formula is None)


class _Checker:
    """Walks a raw map once, collecting problems and, when there are none, the map."""

    def __init__(self, old: Catalog, new: Catalog) -> None:
        self.old, self.new = old, new
        self.old_codes = answer_codes(old)
        self.new_codes = answer_codes(new)
        self.problems: list[Problem] = []

    def err(self, item: str, rule: str, **params) -> None:
        self.problems.append((item, f"yearly.map.rule.{rule}", params))

    def run(self, raw: object) -> tuple[list[Problem], MigrationMap | None]:
        if not isinstance(raw, dict):
            self.err("/", "not_mapping")
            return self.problems, None
        for key in raw:
            if key not in TOP_FIELDS:
                self.err(str(key), "unknown_field", field=key, fields=", ".join(sorted(TOP_FIELDS)))
        for key, expected in (("from", self.old.id), ("to", self.new.id)):
            if raw.get(key) != expected:
                self.err(key, "catalog_id", expected=expected, found=raw.get(key, "-"))
        unlisted = raw.get("unlisted", "error")
        if unlisted not in ("same", "error"):
            self.err("unlisted", "unlisted", value=unlisted)
        items = raw.get("entries")
        if not isinstance(items, list):
            self.err("entries", "entries")
            return self.problems, None
        entries = [e for i, r in enumerate(items, 1) if (e := self._entry(i, r)) is not None]
        mapping = self._resolve(entries, unlisted == "same")
        return self.problems, (mapping if not self.problems else None)

    # --- one entry ----------------------------------------------------------------------

    def _entry(self, n: int, raw: object) -> Entry | None:
        label = f"entry {n}"
        if not isinstance(raw, dict):
            self.err(label, "entry_shape")
            return None
        old, new = _codes(raw.get("old")), _codes(raw.get("new"))
        label = f"entry {n} ({', '.join(old or new) or '?'})"
        for key in raw:
            if key not in ENTRY_FIELDS:
                self.err(label, "unknown_field", field=key, fields=", ".join(sorted(ENTRY_FIELDS)))
        kind = raw.get("kind")
        if kind not in KINDS:
            self.err(label, "unknown_kind", kind=kind, kinds=", ".join(KINDS))
            return None
        if old is None or new is None:
            self.err(label, "code_type")
            return None
        answer = raw.get("answer", "carry")
        if answer not in ("carry", "reset") or (kind in ("dropped", "new") and "answer" in raw):
            self.err(label, "answer", kind=kind, answer=answer)
        want_old = {"new": (0, 0), "merged": (2, None), "dropped": (1, None)}.get(kind, (1, 1))
        want_new = {"dropped": (0, 0), "split": (2, None), "same": (0, 1), "new": (1, None)}.get(
            kind, (1, 1)
        )
        for codes, (low, high), side in ((old, want_old, "old"), (new, want_new, "new")):
            if len(codes) < low or (high is not None and len(codes) > high):
                self.err(label, f"count_{side}", kind=kind, count=len(codes))
                return None
        if kind == "same":
            if new and new != old:
                self.err(label, "same_differs", old=old[0], new=new[0])
            new = old
        return Entry(kind, old, new, answer != "reset", raw.get("note"))

    # --- the whole map ------------------------------------------------------------------

    def _resolve(self, entries: list[Entry], unlisted_same: bool) -> MigrationMap:
        targets: dict[str, tuple[str, ...]] = {}
        carried: dict[str, bool] = {}
        kinds: dict[str, str] = {}
        fed_by: dict[str, str] = {}  # new code -> the entry that feeds it (first one)
        declared_new: list[str] = []
        for e in entries:
            label = f"{e.kind} {', '.join(e.old or e.new)}"
            for code in e.old:
                if code not in self.old_codes:
                    self.err(code, "unknown_old", catalog=self.old.id)
                elif code in targets:
                    self.err(code, "old_twice")
            for code in e.new:
                if code not in self.new_codes:
                    self.err(code, "unknown_new", catalog=self.new.id)
                elif code in fed_by:
                    self.err(code, "new_twice", first=fed_by[code])
                else:
                    fed_by[code] = label
            if e.kind == "new":
                declared_new.extend(e.new)
                continue
            for code in e.old:
                targets.setdefault(code, e.new)
                carried.setdefault(code, e.carry and e.kind != "dropped")
                kinds.setdefault(code, e.kind)
            self._check_entry(e)

        for code in self.old_codes:
            if code in targets or "#" in code:
                continue
            if unlisted_same and code in self.new_codes and code not in fed_by:
                targets[code], carried[code], kinds[code] = (code,), True, "same"
                fed_by[code] = f"same {code}"
                self._check_entry(Entry("same", (code,), (code,)))
            else:
                self.err(code, "unmapped", catalog=self.new.id)
        self._resolve_inputs(targets, carried, kinds, fed_by)
        for code in self.new.items:
            if code not in fed_by:
                self.err(code, "uncovered", catalog=self.old.id)
        return MigrationMap(
            self.old.id,
            self.new.id,
            targets,
            carried,
            kinds,
            tuple(declared_new),
            tuple(entries),
        )

    def _check_entry(self, e: Entry) -> None:
        """Inputs map to inputs, questions to questions, and a carried answer keeps its
        meaning (compatible scales)."""
        for old in e.old:
            if old not in self.old_codes:
                continue
            for new in e.new:
                if new not in self.new_codes:
                    continue
                if ("#" in old) != ("#" in new):
                    self.err(old, "input_kind", new=new)
                elif "#" in old and e.kind not in ("same", "renamed"):
                    self.err(old, "input_entry", kind=e.kind)
                elif e.carry and "#" not in old:
                    a, b = self.old.items[old], self.new.items[new]
                    if not scales_compatible(a, b):
                        self.err(
                            old,
                            "scale",
                            new=new,
                            old_scale=_scale_name(self.old, old),
                            new_scale=_scale_name(self.new, new),
                        )

    def _resolve_inputs(self, targets, carried, kinds, fed_by) -> None:
        """Count inputs not listed follow their question to each target with an input of the
        same name; a carried percentage question must feed every input of its targets."""
        for code in self.old_codes:
            if "#" not in code or code in targets:
                continue
            question, _, name = code.partition("#")
            if question not in targets:
                continue  # the question itself is reported unmapped
            news = []
            for target in targets[question]:
                candidate = f"{target}#{name}"
                if candidate in self.new_codes and candidate not in fed_by:
                    news.append(candidate)
                    fed_by[candidate] = f"{kinds[question]} {question}"
                elif carried[question]:
                    self.err(code, "input_unmapped", target=target)
            targets[code] = tuple(news)
            carried[code] = carried[question] and bool(news)
            kinds[code] = kinds[question] if news else "dropped"
        for code in targets:
            if "#" in code:  # a listed input goes along only with its question's answer
                carried[code] = carried[code] and carried.get(code.partition("#")[0], False)
        for code in self.new_codes:
            if "#" not in code or code in fed_by:
                continue
            question = code.partition("#")[0]
            sources = [
                old
                for old, news in targets.items()
                if question in news
                and carried[old]
                and old in self.old.items
                and self.old.items[old].formula is not None
            ]
            if sources:
                self.err(code, "input_missing", sources=", ".join(sources))


def _codes(value: object) -> tuple[str, ...] | None:
    """A code or a list of codes as a tuple (None when it is neither)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    return None


def _scale_name(catalog: Catalog, code: str) -> str:
    question = catalog.questions.get(code)
    if question is not None:
        return question.scale
    for group in catalog.hasil.groups:
        for item in group.items:
            if item.code == code:
                return item.scale
    return "?"
