"""PortalRB's master question list: read it strictly, list every way it differs from a catalog."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wbk.catalog.model import Catalog, Soal
from wbk.errors import CatalogError, WbkError
from wbk.i18n import fmt_number, t

LEVELS = ("komponen", "sub_komponen", "area_perubahan", "sub_area")
MAX_BYTES = 20 * 1024 * 1024  # the 2026 list is 0.35 MB; anything this big is not one


class MasterListError(WbkError):
    """A file that is not a PortalRB master question list: unreadable, not JSON, wrong shape.

    ``reason_key``/``reason_params`` say what is wrong, rendered in the reader's language.
    """

    key = "portalrb.master.invalid"

    def message(self, lang: str | None = None) -> str:
        params = dict(self.params)
        params["reason"] = t(params.pop("reason_key"), lang=lang, **params.pop("reason_params"))
        return t(self.key, lang=lang, **params)


@dataclass(frozen=True, slots=True)
class MasterSoal:
    """One soal of the master list, as PortalRB states it."""

    soal_id: int
    text: str
    jenis: str
    skema: tuple[tuple[str, Decimal], ...]  # (key, multiplier)
    bobot: Decimal
    excel_baris: int | None


@dataclass(frozen=True, slots=True)
class MasterNode:
    """A node of the master tree (komponen .. sub_area) with the soals of its whole subtree.

    ``nested`` marks a sub_area inside a sub_area: PortalRB splits Reform PW iii into a. LHKPN
    and b. non-LHKPN, each of which is one question of the catalog.
    """

    level: str
    name: str
    bobot: Decimal
    nested: bool
    soal_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MasterList:
    """A parsed master list: its tree in pre-order and its soals in file order."""

    tahun: int | None
    total_soal: int | None
    nodes: tuple[MasterNode, ...]
    soals: tuple[MasterSoal, ...]


@dataclass(frozen=True, slots=True)
class Difference:
    """One way PortalRB's list and the catalog disagree: where, which field, theirs and ours.

    A soal difference has ``soal_id`` (and ``code`` when the catalog knows the soal); a tree
    difference has ``level`` and ``node`` (PortalRB's name) and ``code`` (the catalog's part).
    ``None`` on one side means that side has no such thing.
    """

    field: str
    portalrb: Any
    catalog: Any
    soal_id: int | None = None
    code: str | None = None
    level: str | None = None
    node: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "soal_id": self.soal_id,
            "code": self.code,
            "level": self.level,
            "node": self.node,
            "field": self.field,
            "portalrb": _jsonable(self.portalrb),
            "catalog": _jsonable(self.catalog),
        }

    def line(self, lang: str | None = None) -> str:
        if self.soal_id is not None:
            key = "portalrb.master.soal" if self.code else "portalrb.master.soal_unknown"
            where = t(key, lang=lang, soal_id=self.soal_id, code=self.code)
        elif self.level is not None:
            key = "portalrb.master.node" if self.code else "portalrb.master.node_unknown"
            where = t(key, lang=lang, level=self.level, name=self.node, code=self.code)
        else:
            where = t("portalrb.master.list", lang=lang)
        return t(
            "portalrb.master.line",
            lang=lang,
            where=where,
            field=self.field,
            theirs=_show(self.portalrb, lang),
            ours=_show(self.catalog, lang),
        )


def collapse(text: str) -> str:
    """Text with every run of whitespace (double spaces, line breaks) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _show(value: Any, lang: str | None) -> str:
    if value is None:
        return t("portalrb.master.missing", lang=lang)
    if isinstance(value, Decimal):
        places = max(0, -value.normalize().as_tuple().exponent)  # as exact as given
        return fmt_number(value, places, lang=lang)
    if isinstance(value, str):
        return f"'{collapse(value)}'"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


# --- reading -------------------------------------------------------------------------------


class _Shape(Exception):
    def __init__(self, where: str, expected: str) -> None:
        super().__init__(where, expected)
        self.where = where
        self.expected = expected


def _field(obj: dict, key: str, where: str, kind: str, default: Any = ...) -> Any:
    path = f"{where}.{key}" if where else key
    if key not in obj or obj[key] is None:
        if default is not ...:
            return default
        raise _Shape(path, kind)
    value = obj[key]
    ok = {
        "object": isinstance(value, dict),
        "list": isinstance(value, list),
        "text": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, Decimal) and value.is_finite()),
    }[kind]
    if not ok:
        raise _Shape(path, kind)
    return Decimal(value) if kind == "number" else value


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Shape(where, "object")
    return value


def _read_soal(raw: Any, where: str) -> MasterSoal:
    obj = _object(raw, where)
    skema = []
    for i, option in enumerate(_field(obj, "skema_penilaian", where, "list", [])):
        at = f"{where}.skema_penilaian[{i}]"
        option = _object(option, at)
        skema.append(
            (_field(option, "key", at, "text"), _field(option, "multiplier", at, "number"))
        )
    return MasterSoal(
        soal_id=_field(obj, "id", where, "integer"),
        text=_field(obj, "teks_pertanyaan", where, "text"),
        jenis=_field(obj, "jenis_jawaban", where, "text"),
        skema=tuple(skema),
        bobot=_field(obj, "bobot_maksimal", where, "number", Decimal(0)),
        excel_baris=_field(obj, "excel_baris", where, "integer", None),
    )


def _read_node(
    raw: Any, where: str, parent: str | None, nodes: list, soals: list[MasterSoal]
) -> list[int]:
    obj = _object(raw, where)
    level = _field(obj, "level", where, "text")
    if level not in LEVELS:
        raise _Shape(f"{where}.level", " | ".join(LEVELS))
    name = _field(obj, "nama", where, "text")
    bobot = _field(obj, "bobot_maksimal", where, "number")
    index = len(nodes)
    nodes.append(None)  # keep pre-order: this node before its children
    ids: list[int] = []
    for i, s in enumerate(_field(obj, "soals", where, "list", [])):
        soal = _read_soal(s, f"{where}.soals[{i}]")
        soals.append(soal)
        ids.append(soal.soal_id)
    for i, child in enumerate(_field(obj, "children", where, "list", [])):
        ids += _read_node(child, f"{where}.children[{i}]", level, nodes, soals)
    nested = level == "sub_area" and parent == "sub_area"
    nodes[index] = MasterNode(level, name, bobot, nested, tuple(ids))
    return ids


def parse_master(data: bytes | str, source: str = "<master>") -> MasterList:
    """Parse a master list (``{"tahun", "total_soal", "data": [tree]}``); raise
    MasterListError naming the first place where it is not one."""
    try:
        raw = json.loads(data, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MasterListError(
            file=source, reason_key="portalrb.master.not_json", reason_params={"detail": str(exc)}
        ) from None
    nodes: list[MasterNode] = []
    soals: list[MasterSoal] = []
    try:
        top = _object(raw, "/")
        tree = _field(top, "data", "", "list")
        if not tree:
            raise _Shape("data", "non-empty list")
        for i, node in enumerate(tree):
            _read_node(node, f"data[{i}]", None, nodes, soals)
        tahun = _field(top, "tahun", "", "integer", None)
        total = _field(top, "total_soal", "", "integer", None)
    except _Shape as exc:
        raise MasterListError(
            file=source,
            reason_key="portalrb.master.shape",
            reason_params={"where": exc.where, "expected": exc.expected},
        ) from None
    return MasterList(tahun, total, tuple(nodes), tuple(soals))


def read_master(path: str | Path) -> MasterList:
    """The master list in this file; MasterListError when it cannot be read or is not one."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise MasterListError(
                file=str(p),
                reason_key="portalrb.master.too_large",
                reason_params={"size": size // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)},
            )
        data = p.read_bytes()
    except OSError as exc:
        raise MasterListError(
            file=str(p),
            reason_key="portalrb.master.unreadable",
            reason_params={"detail": exc.strerror or str(exc)},
        ) from None
    return parse_master(data, source=str(p))


# --- comparing -----------------------------------------------------------------------------


def expected_jenis(catalog: Catalog, soal: Soal) -> str:
    """The ``jenis_jawaban`` PortalRB should state for this soal: ``YA_TIDAK``, ``ABCD``,
    ``Jumlah`` for a count, ``0-4`` for a survey index (compared without case)."""
    if soal.kind == "count":
        return "Jumlah"
    scale = catalog.items[soal.question].scale
    if scale.kind == "option":
        keys = [o.key.upper() for o in scale.options]
        return "YA_TIDAK" if keys == ["YA", "TIDAK"] else "".join(keys)
    if scale.kind == "index" and scale.minimum is not None and scale.maximum is not None:
        return f"{_plain(scale.minimum)}-{_plain(scale.maximum)}"
    return "persen"


def _weights(catalog: Catalog) -> dict[str, Decimal]:
    """The weight of every part of the catalog tree by its code, and the points of each item."""
    out = {"pengungkit": catalog.pengungkit.weight, "hasil": catalog.hasil.weight}
    for part in catalog.pengungkit.parts:
        out[part.code] = part.weight
        for area in part.areas:
            out[f"{part.code}.{area.code}"] = area.weight
            for sub in area.subareas:
                out[f"{part.code}.{area.code}.{sub.id}"] = sub.weight
    for group in catalog.hasil.groups:
        out[group.code] = group.weight
    for code, item in catalog.items.items():
        out[code] = item.points_per_unit
    return out


def _container(catalog: Catalog, question: str, node: MasterNode) -> str | None:
    """The catalog part a master node stands for, judged from one of its soals."""
    item = catalog.items[question]
    if item.kind == "hasil":
        return {"komponen": "hasil", "sub_komponen": item.container}.get(node.level)
    if node.level == "sub_area":
        return question if node.nested else item.container
    return {
        "komponen": "pengungkit",
        "sub_komponen": item.part,
        "area_perubahan": f"{item.part}.{item.area}",
    }[node.level]


def _compare_soal(catalog: Catalog, ms: MasterSoal, soal: Soal, out: list[Difference]) -> None:
    def diff(field: str, theirs: Any, ours: Any) -> None:
        out.append(Difference(field, theirs, ours, soal_id=ms.soal_id, code=soal.code))

    if collapse(ms.text) != collapse(soal.portalrb_text):
        diff("teks_pertanyaan", ms.text, soal.portalrb_text)
    jenis = expected_jenis(catalog, soal)
    if ms.jenis.upper() != jenis.upper():
        diff("jenis_jawaban", ms.jenis, jenis)
    scale = catalog.items[soal.question].scale
    ours = [(o.key, o.value) for o in scale.options] if soal.kind == "option" else []
    if [k.upper() for k, _ in ms.skema] != [k.upper() for k, _ in ours]:
        diff("skema_penilaian", [k for k, _ in ms.skema], [k for k, _ in ours])
    else:
        for (key, theirs), (_, value) in zip(ms.skema, ours, strict=True):
            if theirs != value:
                diff(f"multiplier {key}", theirs, value)
    if ms.excel_baris != soal.excel_baris:
        diff("excel_baris", ms.excel_baris, soal.excel_baris)
    # PortalRB puts the weight on the sub-area and 0 on most soals; a soal that states one
    # must state the points the item can earn (sub-area weight / questions, or the item's).
    points = catalog.items[soal.question].points_per_unit
    if ms.bobot != 0 and ms.bobot != points:
        diff("bobot_maksimal", ms.bobot, points)


def _order(d: Difference) -> tuple[int, int]:
    if d.soal_id is not None:
        return (1, d.soal_id)
    return (2, 0) if d.level is not None else (0, 0)


def compare_master(catalog: Catalog, master: MasterList) -> list[Difference]:
    """Every difference between PortalRB's master list and the catalog's PortalRB numbering:
    the soal count, each soal's id, text (whitespace runs count as one space), answer type,
    multipliers, Jawaban row and stated weight, then the weight of each tree node. Empty when
    they agree."""
    ours = {s.soal_id: s for s in catalog.soals}
    if not ours:
        raise CatalogError("portalrb.master.no_catalog_soals", catalog=catalog.id)
    out: list[Difference] = []
    total = catalog.portalrb.total_soal if catalog.portalrb else None
    total = total if total is not None else len(ours)
    if master.total_soal is not None and master.total_soal != total:
        out.append(Difference("total_soal", master.total_soal, total))

    theirs: dict[int, MasterSoal] = {}
    repeats: dict[int, int] = {}
    for ms in master.soals:
        if ms.soal_id in theirs:
            repeats[ms.soal_id] = repeats.get(ms.soal_id, 1) + 1
        else:
            theirs[ms.soal_id] = ms
    for sid in sorted(theirs.keys() | ours.keys()):
        soal, ms = ours.get(sid), theirs.get(sid)
        code = soal.code if soal else None
        if sid in repeats:
            out.append(Difference("soal_id", f"{repeats[sid]}×", "1×", soal_id=sid, code=code))
        if ms is None:
            out.append(Difference("soal_id", None, code, soal_id=sid, code=code))
        elif soal is None:
            out.append(Difference("soal_id", ms.text, None, soal_id=sid))
        else:
            _compare_soal(catalog, ms, soal, out)

    weights = _weights(catalog)
    for node in master.nodes:
        placed = [
            (sid, _container(catalog, ours[sid].question, node))
            for sid in node.soal_ids
            if sid in ours
        ]
        if not placed:
            continue  # its soals are already reported as unknown
        # the node stands for the catalog part most of its soals belong to; a soal of
        # another part sits in the wrong place
        code = Counter(c for _, c in placed).most_common(1)[0][0]
        for sid, where in placed:
            if where != code:
                out.append(
                    Difference(node.level, node.name, where, soal_id=sid, code=ours[sid].code)
                )
        if code is not None and node.bobot != weights[code]:
            out.append(
                Difference(
                    "bobot_maksimal",
                    node.bobot,
                    weights[code],
                    code=code,
                    level=node.level,
                    node=node.name,
                )
            )
    # the list first, then soal by soal, then the tree in PortalRB's order
    out.sort(key=_order)
    return out
