"""PDF checks: a readable, unencrypted document without anything that acts on its own.

Refused always: JavaScript, ``/Launch`` (run a program), embedded files (``/EmbeddedFiles``,
``/EmbeddedFile``, ``/EF``, ``/FileAttachment`` and ``/RichMedia`` annotations),
``/SubmitForm`` and ``/ImportData`` (send or load form data), ``/GoToR`` and ``/GoToE``
(open another document), XFA forms (their scripts sit in XML that the other checks cannot
see), a zip archive inside the file (a PDF+ZIP polyglot), and any ``/URI`` action that fires
by itself (the ``/OpenAction`` of the document or an ``/AA`` trigger of a page, annotation or
field, also along ``/Next``).

Plain link annotations with a ``/URI`` the reader has to click are kept when they lead to a
web page or an e-mail address: SKs and minutes carry them (the JDIH address, an e-signature
verification link in the footer) and the reader asks before leaving. A clickable link to
anything else (``file:``, a UNC path, ``javascript:``, a protocol handler) is refused.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from wbk.uploads.polyglot import zip_inside
from wbk.uploads.refusal import UploadRefused, shown, unsafe_link

PDF_MAX_OBJECTS = 500_000
MAX_NEXT_ACTIONS = 100
ACTION_KEYS = {
    "/JavaScript": "upload.pdf_javascript",
    "/Launch": "upload.pdf_launch",
    "/SubmitForm": "upload.pdf_submit_form",
    "/ImportData": "upload.pdf_import_data",
    "/GoToR": "upload.pdf_remote_document",
    "/GoToE": "upload.pdf_remote_document",
}
EMBEDDED_SUBTYPES = ("/FileAttachment", "/RichMedia")
# A name ends at whitespace or a delimiter; the same names written with #xx escapes or inside
# compressed object streams are found by the walk over the parsed objects.
RAW_ACTION = re.compile(rb"/(Launch|SubmitForm|ImportData|GoToR|GoToE)(?=[\s()<>\[\]{}/%]|$)")
RAW_JAVASCRIPT = re.compile(rb"/JavaScript|/JS[\s(<\[/]")

log = logging.getLogger("wbk.uploads")


def check_pdf(path: Path) -> None:
    """Raise UploadRefused when the PDF is broken, encrypted or carries active content."""
    raw = path.read_bytes()
    if RAW_JAVASCRIPT.search(raw):
        raise UploadRefused("upload.pdf_javascript")
    found = RAW_ACTION.search(raw)
    if found:
        name = "/" + found.group(1).decode("ascii")
        raise UploadRefused(ACTION_KEYS[name], action=name)
    if zip_inside(raw):
        raise UploadRefused("upload.polyglot", inner="ZIP")
    del raw
    try:
        _walk(path)
    except UploadRefused:
        raise
    except Exception:
        log.warning("PDF %s could not be parsed", path.name, exc_info=True)
        raise UploadRefused("upload.pdf_broken") from None


def _walk(path: Path) -> None:
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
            _inspect(node)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _inspect(node) -> None:
    """Refuse one dictionary (or stream) that is, or triggers, active content."""
    action = node.get("/S")
    if "/JS" in node or "/JavaScript" in node or action == "/JavaScript":
        raise UploadRefused("upload.pdf_javascript")
    if action in ACTION_KEYS:
        raise UploadRefused(ACTION_KEYS[action], action=str(action))
    if "/EmbeddedFiles" in node:
        raise UploadRefused("upload.pdf_embedded", what="/EmbeddedFiles")
    if node.get("/Type") == "/EmbeddedFile" or "/EF" in node:
        raise UploadRefused("upload.pdf_embedded", what="/EmbeddedFile")
    if node.get("/Subtype") in EMBEDDED_SUBTYPES:
        raise UploadRefused("upload.pdf_embedded", what=str(node.get("/Subtype")))
    if "/XFA" in node:
        raise UploadRefused("upload.pdf_xfa")
    if action == "/URI":
        target = _as_text(node.get("/URI"))
        if unsafe_link(target):
            raise UploadRefused("upload.link_scheme", target=shown(target))
    if "/OpenAction" in node:
        _automatic(node["/OpenAction"], "/OpenAction")
    additional = node.get("/AA")
    if additional is not None:
        additional = additional.get_object()
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
        current = pending.pop()
        current = current.get_object() if hasattr(current, "get_object") else current
        if not hasattr(current, "get"):
            continue  # a destination array: go to a page, nothing leaves the file
        if current.get("/S") == "/URI":
            target = _as_text(current.get("/URI"))
            raise UploadRefused("upload.pdf_auto_uri", trigger=trigger, target=shown(target))
        following = current.get("/Next")
        if following is not None:
            following = following.get_object()
            pending.extend(following if isinstance(following, list) else [following])
    raise UploadRefused("upload.pdf_broken")


def _as_text(value) -> str:
    """A PDF string as a reader would see it: undecodable bytes read one byte a character."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)
