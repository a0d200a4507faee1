"""Word field codes that fetch something from outside or run a command.

``DDE`` and ``DDEAUTO`` run a command; ``INCLUDEPICTURE``, ``INCLUDETEXT`` (and their old
names ``IMPORT`` and ``INCLUDE``) and ``LINK`` fetch a picture, text or object from a path or
address when the field updates (a UNC path leaks the reader's Windows login); a ``HYPERLINK``
field is a link like any other (web and e-mail only). Simple fields (``w:fldSimple``) and
complex ones (``w:fldChar`` begin/separate/end, the code split over ``w:instrText`` runs,
joined before it is read) are both read. Page numbers, tables of contents and merge fields
stay.
"""

from __future__ import annotations

import re
import zipfile

from wbk.uploads.refusal import UploadRefused, shown, unsafe_link
from wbk.uploads.xmlstream import elements

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DDE_FIELDS = frozenset({"DDE", "DDEAUTO"})
FETCHING_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK"})
FIELD_NAME = re.compile(r"\s*([A-Za-z]+)")
FIELD_ARGUMENT = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))')


def check_word_fields(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a field of one part that runs DDE or fetches from outside."""
    open_fields: list[list[str]] = []
    for elem in elements(zf, name):
        if elem.tag == W + "fldSimple":
            check_field(elem.get(W + "instr", ""), name)
        elif elem.tag == W + "fldChar":
            kind = elem.get(W + "fldCharType")
            if kind == "begin":
                open_fields.append([])
            elif kind in ("separate", "end") and open_fields:
                check_field("".join(open_fields[-1]), name)
                if kind == "end":
                    open_fields.pop()
                else:
                    open_fields[-1] = []
        elif elem.tag == W + "instrText" and open_fields:
            open_fields[-1].append(elem.text or "")
    for field in open_fields:
        check_field("".join(field), name)


def check_field(instruction: str, part: str) -> None:
    found = FIELD_NAME.match(instruction)
    if not found:
        return
    field = found.group(1).upper()
    if field in DDE_FIELDS:
        raise UploadRefused("upload.office_dde", part=part)
    if field in FETCHING_FIELDS:
        code = " ".join(instruction.split())
        raise UploadRefused("upload.office_field_fetch", field=shown(code), part=part)
    if field == "HYPERLINK":
        target = _first_argument(instruction[found.end() :])
        if target and unsafe_link(target):
            raise UploadRefused("upload.link_scheme", target=shown(target))


def _first_argument(rest: str) -> str:
    """The field's first argument (quotes and ``\\`` escapes removed), "" when it is a switch."""
    found = FIELD_ARGUMENT.match(rest)
    if not found:
        return ""
    if found.group(1) is not None:
        return re.sub(r'\\([\\"])', r"\1", found.group(1))
    word = found.group(2)
    return "" if word.startswith("\\") else word.replace("\\\\", "\\")
