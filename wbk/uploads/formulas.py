"""Excel formulas that run a command through DDE or reach outside by themselves.

A formula with a ``|`` outside its strings and quoted sheet names is a DDE call
(``=cmd|' /C calc'!A0``); ``WEBSERVICE`` fetches an address by itself; ``HYPERLINK`` to a
file or a network path (its strings read together and one by one, so ``"fi"&"le:..."`` and
a branch of an ``IF`` are seen) is refused like any such link. Cell formulas (shared and
array ones too), conditional-formatting and validation formulas and defined names are read,
in every part of the workbook.

Parsing every cell of a large sheet costs seconds, so each part is first read as bytes: when
every formula element in it is plain (no comment, CDATA section, character reference or
unusual start tag) and harmless, the part is not parsed. Anything else, and every part not
in UTF-8, is parsed and read as Excel reads it.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

from wbk.uploads.refusal import UploadRefused, shown, unsafe_link
from wbk.uploads.xmlstream import elements

FORMULA_TAGS = frozenset({"f", "formula", "formula1", "formula2", "definedName"})
STRINGS = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
CALLS = re.compile(r"\b(WEBSERVICE|HYPERLINK)\s*\(", re.IGNORECASE)
PLACEHOLDER = re.compile(r'"(\d+)"')
HAS_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*:")

CHUNK = 1024 * 1024
MAX_CARRIED = 1024 * 1024  # an unfinished tag or formula carried into the next chunk
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)""")
# a formula element, any prefix, and the rest of its start tag written the ordinary way
FORMULA_START = re.compile(
    rb"<(?:[^\s<>/:!?]+:)?(?:f|formula1|formula2|formula|definedName)(?=[\s/>])"
)
START_TAG_REST = re.compile(rb"""(?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(/?)>""")
XML_ESCAPES = ((b"&lt;", b"<"), (b"&gt;", b">"), (b"&quot;", b'"'), (b"&apos;", b"'"))


def check_formulas(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a formula of one workbook part that runs DDE or reaches outside."""
    with zf.open(name) as fh:
        if _plainly_harmless(fh):
            return
    for elem in elements(zf, name):
        local = elem.tag.rsplit("}", 1)[-1]
        if local not in FORMULA_TAGS:
            continue
        if local == "definedName":
            where = elem.get("name", "?")
        else:
            cell = elem.getparent()
            where = cell.get("r", "?") if cell is not None else "?"
        text = (elem.text or "") if len(elem) == 0 else "".join(elem.itertext())  # no comments
        check_formula(text, name, where)


def check_formula(text: str, part: str, cell: str) -> None:
    lower = text.lower()
    if "|" not in text and "webservice" not in lower and "hyperlink" not in lower:
        return  # the common case, decided without tokenising
    literals: list[str] = []

    def hide(token: re.Match[str]) -> str:
        quoted = token.group()
        if quoted.startswith("'"):
            return "''"  # a quoted sheet or workbook name
        literals.append(quoted[1:-1].replace('""', '"'))
        return f'"{len(literals) - 1}"'

    bare = STRINGS.sub(hide, text)
    if "|" in bare:
        raise UploadRefused("upload.office_dde_formula", cell=cell, part=part, formula=shown(text))
    for call in CALLS.finditer(bare):
        if call.group(1).upper() == "WEBSERVICE":
            raise UploadRefused(
                "upload.office_web_formula", cell=cell, part=part, formula=shown(text)
            )
        argument = _first_argument(bare, call.end())
        pieces = [literals[int(i)] for i in PLACEHOLDER.findall(argument)]
        candidates = ["".join(pieces)] + [p for p in pieces if HAS_SCHEME.match(p) or "\\" in p]
        for target in candidates:
            if unsafe_link(target):
                raise UploadRefused("upload.link_scheme", target=shown(target))


def _first_argument(bare: str, start: int) -> str:
    depth = 0
    for at in range(start, len(bare)):
        char = bare[at]
        if char in "({":
            depth += 1
        elif char in ")}" and depth:
            depth -= 1
        elif char in ",)" and not depth:
            return bare[start:at]
    return bare[start:]


def _plainly_harmless(fh: IO[bytes]) -> bool:
    """True when the bytes of a UTF-8 part show every formula in it, plainly written and
    harmless; False (parse the part) at the first doubt."""
    buf = fh.read(max(CHUNK, 1024))  # the XML declaration whole
    if buf.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in buf[:4]:
        return False  # UTF-16 (or worse): the bytes say nothing
    declared = XML_ENCODING.match(buf.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    while True:
        pos, open_formula = 0, False
        while True:
            start = FORMULA_START.search(buf, pos)
            if start is None:
                cut = buf.rfind(b"<", pos)  # a start tag may go on in the next chunk
                leftover = buf[cut:] if cut != -1 else b""
                break
            rest = START_TAG_REST.match(buf, start.end())
            if rest is not None and rest.group(1):
                pos = rest.end()  # <f t="shared" si="0"/>: no text of its own
                continue
            end = buf.find(b"<", rest.end()) if rest is not None else -1
            if end == -1:
                if rest is None and b">" in buf[start.end() :]:
                    return False  # a start tag not written the ordinary way
                leftover, open_formula = buf[start.start() :], True  # goes on in the next chunk
                break
            if not buf.startswith(b"</", end) or not _harmless(buf[rest.end() : end]):
                return False  # a comment, CDATA or element inside, or a formula to refuse
            pos = end
        chunk = fh.read(CHUNK)
        if not chunk:
            return not open_formula
        if len(leftover) > MAX_CARRIED:
            return False
        buf = leftover + chunk


def _harmless(body: bytes) -> bool:
    for escaped, char in XML_ESCAPES:
        body = body.replace(escaped, char)
    if b"&" in body.replace(b"&amp;", b""):
        return False  # a character or entity reference: let the parser read it
    try:
        check_formula(body.replace(b"&amp;", b"&").decode("utf-8"), "", "")
    except (UploadRefused, UnicodeDecodeError):
        return False
    return True
