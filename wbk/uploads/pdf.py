"""PDF checks: a readable, unencrypted document without anything that acts on its own.

Refused always: JavaScript, ``/Launch`` (run a program), embedded files (``/EmbeddedFiles``,
``/EmbeddedFile``, ``/EF``, ``/FileAttachment`` and ``/RichMedia`` annotations),
``/SubmitForm`` and ``/ImportData`` (send or load form data), ``/GoToR`` and ``/GoToE``
(open another document), a ``/Thread`` action with a file (``/F``: an article in another
document), media (``/Movie``, ``/Sound``, ``/Rendition`` and ``/RichMediaExecute`` actions,
``/Movie`` and ``/Sound`` annotations: a clip may be fetched from an address), XFA forms
(their scripts sit in XML that the other checks cannot see), a zip archive inside the file (a
PDF+ZIP polyglot), and any ``/URI`` action that fires by itself (the ``/OpenAction`` of the
document or an ``/AA`` trigger of a page, annotation or field, also along ``/Next``).

Names are compared as a reader sees them: ``#xx`` escapes decoded (``/#4Caunch`` is
``/Launch``), trailing NUL bytes and whitespace dropped (NUL is PDF whitespace, which pypdf
keeps inside a name) and indirect names (``/S 7 0 R``) followed. Both the raw bytes and the
parsed objects (also those packed in compressed object streams) are searched.

Plain link annotations with a ``/URI`` the reader has to click are kept when they lead to a
web page or an e-mail address: SKs and minutes carry them (the JDIH address, an e-signature
verification link in the footer) and the reader asks before leaving. A clickable link to
anything else (``file:``, a UNC path, ``javascript:``, a protocol handler) is refused.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wbk.uploads.polyglot import zip_inside
from wbk.uploads.refusal import UploadRefused, shown, unsafe_link

PDF_MAX_OBJECTS = 500_000
MAX_NEXT_ACTIONS = 100
ACTION_KEYS = {  # an action (/S) refused wherever it is, with the reason shown
    "/JavaScript": "upload.pdf_javascript",
    "/Launch": "upload.pdf_launch",
    "/SubmitForm": "upload.pdf_submit_form",
    "/ImportData": "upload.pdf_import_data",
    "/GoToR": "upload.pdf_remote_document",
    "/GoToE": "upload.pdf_remote_document",
    "/Movie": "upload.pdf_media",
    "/Sound": "upload.pdf_media",
    "/Rendition": "upload.pdf_media",
    "/RichMediaExecute": "upload.pdf_media",
}
EMBEDDED_SUBTYPES = ("/FileAttachment", "/RichMedia")
MEDIA_SUBTYPES = ("/Movie", "/Sound")
WHITESPACE = "\x00\t\n\x0c\r "  # the six PDF whitespace characters
# A name ends at whitespace or a delimiter. Names written with #xx escapes are decoded before
# they are compared; those inside compressed object streams are found by the walk.
_END = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
RAW_ACTION = re.compile(
    rb"/(JS|" + "|".join(a[1:] for a in ACTION_KEYS).encode() + rb")(?=[" + _END + rb"]|$)"
)
RAW_JAVASCRIPT = re.compile(rb"/JavaScript")
RAW_ESCAPED_NAME = re.compile(rb"/[^" + _END + rb"]*#[0-9A-Fa-f]{2}[^" + _END + rb"]*")
ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")

log = logging.getLogger("wbk.uploads")


def check_pdf(path: Path) -> None:
    """Raise UploadRefused when the PDF is broken, encrypted or carries active content."""
    raw = path.read_bytes()
    check_raw(raw)
    if zip_inside(raw):
        raise UploadRefused("upload.polyglot", inner="ZIP")
    del raw
    try:
        with _quiet_pypdf():
            check_structure(path)
    except UploadRefused:
        raise
    except Exception as exc:
        # the refusal is the message; pypdf's traceback only for whoever turns on debug logs
        log.info("PDF %s could not be parsed: %s", path.name, exc)
        log.debug("pypdf's error", exc_info=True)
        raise UploadRefused("upload.pdf_broken") from None


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf reports what it repairs in a broken file on its logger and as warnings; the
    upload's own refusal says what matters, so neither reaches the user's terminal."""
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        pypdf_log.setLevel(level)


def check_raw(raw: bytes) -> None:
    """Refuse an active name anywhere in the bytes: plain, followed by a NUL, or escaped."""
    if RAW_JAVASCRIPT.search(raw):
        raise UploadRefused("upload.pdf_javascript")
    found = RAW_ACTION.search(raw)
    if found:
        _refuse_name("/" + found.group(1).decode("ascii"))
    for found in RAW_ESCAPED_NAME.finditer(raw):
        _refuse_name(normal_name(found.group().decode("latin-1")))


def _refuse_name(name: str) -> None:
    if name in ("/JS", "/JavaScript"):
        raise UploadRefused("upload.pdf_javascript")
    if name in ACTION_KEYS:
        raise UploadRefused(ACTION_KEYS[name], action=name)


def normal_name(name: str) -> str:
    """A PDF name as a reader compares it: ``#xx`` escapes decoded, trailing NULs and
    whitespace dropped (a C reader stops at an escaped NUL)."""
    if "#" in name:
        name = ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), name)
    return name.rstrip(WHITESPACE)


def check_structure(path: Path) -> None:
    """Walk every object reachable from the trailer and refuse active content."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        raise UploadRefused("upload.pdf_encrypted")
    if len(reader.pages) < 1:
        raise UploadRefused("upload.pdf_broken")
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    steps = 0
    while stack:
        steps += 1
        if steps > PDF_MAX_OBJECTS:
            raise UploadRefused("upload.pdf_broken")
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            _inspect(_entries(node))
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _entries(node) -> dict[str, object]:
    """A dictionary keyed by normal names (``/JS\\x00`` is ``/JS``); values as stored."""
    return {normal_name(str(key)): value for key, value in node.items()}


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _name(value) -> str | None:
    """The normal name a value stands for (followed if indirect), None for any other value."""
    from pypdf.generic import NameObject

    value = _resolved(value)
    return normal_name(str(value)) if isinstance(value, NameObject) else None


def _inspect(node: dict[str, object]) -> None:
    """Refuse one dictionary (or stream) that is, or triggers, active content."""
    action = _name(node.get("/S"))
    subtype = _name(node.get("/Subtype"))
    if "/JS" in node or "/JavaScript" in node or action == "/JavaScript":
        raise UploadRefused("upload.pdf_javascript")
    if action in ACTION_KEYS:
        raise UploadRefused(ACTION_KEYS[action], action=action)
    if action == "/Thread" and "/F" in node:
        raise UploadRefused("upload.pdf_remote_document", action=action)
    if "/EmbeddedFiles" in node:
        raise UploadRefused("upload.pdf_embedded", what="/EmbeddedFiles")
    if _name(node.get("/Type")) == "/EmbeddedFile" or "/EF" in node:
        raise UploadRefused("upload.pdf_embedded", what="/EmbeddedFile")
    if subtype in EMBEDDED_SUBTYPES:
        raise UploadRefused("upload.pdf_embedded", what=subtype)
    if subtype in MEDIA_SUBTYPES:
        raise UploadRefused("upload.pdf_media", action=subtype)
    if "/XFA" in node:
        raise UploadRefused("upload.pdf_xfa")
    if action == "/URI":
        target = _as_text(_resolved(node.get("/URI")))
        if unsafe_link(target):
            raise UploadRefused("upload.link_scheme", target=shown(target))
    if "/OpenAction" in node:
        _automatic(node["/OpenAction"], "/OpenAction")
    additional = _resolved(node.get("/AA"))
    if hasattr(additional, "values"):
        for trigger in additional.values():
            _automatic(trigger, "/AA")


def _automatic(action, trigger: str) -> None:
    """An action that runs without a click must not open an address (a tracking beacon, or a
    lure the reader never chose); follows the ``/Next`` chain."""
    pending = [action]
    for _ in range(MAX_NEXT_ACTIONS):
        if not pending:
            return
        current = _resolved(pending.pop())
        if not hasattr(current, "items"):
            continue  # a destination array: go to a page, nothing leaves the file
        entries = _entries(current)
        if _name(entries.get("/S")) == "/URI":
            target = _as_text(_resolved(entries.get("/URI")))
            raise UploadRefused("upload.pdf_auto_uri", trigger=trigger, target=shown(target))
        following = _resolved(entries.get("/Next"))
        if following is not None:
            pending.extend(following if isinstance(following, list) else [following])
    raise UploadRefused("upload.pdf_broken")


def _as_text(value) -> str:
    """A PDF string as a reader would see it: undecodable bytes read one byte a character."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)
