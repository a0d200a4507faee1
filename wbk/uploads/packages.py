"""Zip-based office files (DOCX, XLSX, PPTX, ODT, ODS): the real type, and nothing active.

Refused in Office Open XML: macros (``vbaProject.bin``, a macro-enabled content type, Excel
4.0 macro sheets, a slide button that runs a program or macro), ActiveX controls, OLE
objects (``oleObject`` relationships, ``embeddings/`` parts other than embedded
.xlsx/.docx/.pptx packages, which is how charts and pasted tables travel), the workbook's
external links and data connections (``xl/externalLinks/``, ``xl/connections.xml``), any
relationship with ``TargetMode="External"`` other than a hyperlink (a remote template,
frame, OLE object or picture is fetched when the file opens), hyperlinks to anything but a
web page or an e-mail address, Word fields that run DDE or fetch from outside
(``wbk.uploads.fields``) and Excel formulas that run DDE or reach the network
(``wbk.uploads.formulas``), in every XML part whatever its name (Office finds the document
and its sheets through the relationships, not by name). An embedded package is checked by
the same rules, down to ``MAX_NESTING`` levels, and its unpacked size counts against the
same zip-bomb limits as the outer file.

Refused in OpenDocument: macros (``Basic/``, ``Scripts/``, event listeners, ``macro:`` and
``vnd.sun.star.script:`` links), OLE objects and embedded sub-documents other than charts
and formulas, DDE links, links to files outside the package, encrypted documents (their
content cannot be checked) and a ``mimetype`` entry that cannot be read.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from wbk.uploads.fields import check_word_fields
from wbk.uploads.formulas import check_formulas
from wbk.uploads.refusal import UploadRefused, shown, unsafe_link
from wbk.uploads.xmlstream import elements

OOXML_MARKERS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
ODF_TYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
)
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
CONTENT_TYPES_MAX = 1024 * 1024
EMBEDDED_PACKAGES = (".xlsx", ".docx", ".pptx")
MAX_NESTING = 3  # a package in a package in a package; one more level is refused
ZIP_MAGIC = b"PK\x03\x04"  # a package inside, wherever it sits and whatever its name
XML_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # or a byte-order mark
SPOOL_IN_MEMORY = 16 * 1024 * 1024  # an embedded package larger than this is copied to disk
ODF_DATA_OBJECTS = (
    "application/vnd.oasis.opendocument.chart",
    "application/vnd.oasis.opendocument.formula",
)
ODF_SUBDOCUMENT_PREFIXES = ("application/vnd.oasis.opendocument.", "application/vnd.sun.xml.")
ODF_CONFIGURATION = "application/vnd.sun.xml.ui.configuration"
SLIDE_PARTS = re.compile(r"ppt/(slides|slideLayouts|slideMasters)/[^/]+\.xml")
SLIDE_ACTIONS = ("ppaction://program", "ppaction://macro", "ppaction://ole")
ODF_SCRIPT_LINKS = ("vnd.sun.star.script:", "macro:")
ODF_DDE = frozenset({"dde-connection-decl", "dde-source", "dde-link"})
# What a document fetches from outside, named for the reader; other kinds show their own name.
EXTERNAL_KINDS = {
    "attachedTemplate": "upload.kind.template",
    "image": "upload.kind.image",
    "frame": "upload.kind.frame",
    "oleObject": "upload.kind.ole",
    "subDocument": "upload.kind.document",
    "section-source": "upload.kind.document",
    "table-source": "upload.kind.table",
    "object": "upload.kind.ole",
}
UNREADABLE_ENTRY = (RuntimeError, NotImplementedError, zlib.error, zipfile.BadZipFile, EOFError)

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
SCRIPT_NS = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"


def sniff_package(path: Path) -> str | None:
    """The office type a zip declares (OOXML markers or the ODF ``mimetype`` entry),
    ``application/zip`` for any other zip, None when it is not a zip at all."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            Budget().spend(infos)
            names = {i.filename for i in infos}
            if "[Content_Types].xml" in names:
                for marker, media in OOXML_MARKERS.items():
                    if marker in names:
                        return media
            if "mimetype" in names:
                try:
                    with zf.open("mimetype") as fh:
                        head = fh.read(100)
                except UNREADABLE_ENTRY:
                    raise UploadRefused("upload.odf_mimetype") from None
                declared = head.decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return declared
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return "application/zip"


class Budget:
    """What all the zips of one upload may unpack to together: the outer file and every
    package embedded in it, however deep."""

    def __init__(self) -> None:
        self.entries = ZIP_MAX_ENTRIES
        self.unpacked = ZIP_MAX_UNCOMPRESSED

    def spend(self, infos: list[zipfile.ZipInfo]) -> None:
        """Count one zip's entries; refuse it as a zip bomb when it compresses too well or
        the upload's total is exceeded."""
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        self.entries -= len(infos)
        self.unpacked -= total
        if self.entries < 0 or self.unpacked < 0 or total / packed > ZIP_MAX_RATIO:
            raise UploadRefused("upload.zip_bomb")


def check_package(path: Path, media: str) -> None:
    """Raise UploadRefused when an office file of type ``media`` carries active content."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if any(info.flag_bits & 0x1 for info in infos):
            raise UploadRefused("upload.package_encrypted")
        if media in ODF_TYPES:
            _check_odf(zf)
        else:
            budget = Budget()
            budget.spend(infos)
            _check_ooxml(zf, budget, depth=0)


# --- Office Open XML -----------------------------------------------------------------------


def _check_ooxml(zf: zipfile.ZipFile, budget: Budget, depth: int) -> None:
    names = [info.filename for info in zf.infolist()]
    for name in names:
        lower = name.lower()
        base = PurePosixPath(lower).name
        if base in ("vbaproject.bin", "vbadata.xml") or base.startswith("vbaproject"):
            raise UploadRefused("upload.office_macros", part=name)
        if lower.startswith(("xl/macrosheets/", "xl/dialogsheets/")):
            raise UploadRefused("upload.office_macros", part=name)
        if "/activex/" in f"/{lower}":
            raise UploadRefused("upload.office_activex", part=name)
        if lower.startswith("xl/externallinks/") or lower == "xl/connections.xml":
            raise UploadRefused("upload.office_external_links", part=name)
        if "/embeddings/" in f"/{lower}" and not lower.endswith(EMBEDDED_PACKAGES):
            raise UploadRefused("upload.office_ole", part=name)
    with zf.open("[Content_Types].xml") as fh:
        types = fh.read(CONTENT_TYPES_MAX).lower()
    if b"macroenabled" in types or b"vbaproject" in types or b"macrosheet" in types:
        raise UploadRefused("upload.office_macros", part="[Content_Types].xml")
    for name in names:
        if name.lower().endswith(".rels"):
            _check_relationships(zf, name)
    word = "word/document.xml" in names
    workbook = "xl/workbook.xml" in names
    for name in names:
        if not (word or workbook or SLIDE_PARTS.fullmatch(name)) or not _xml_part(zf, name):
            continue
        if word:
            check_word_fields(zf, name)
        if workbook:
            check_formulas(zf, name)
        if SLIDE_PARTS.fullmatch(name):
            _check_slide_actions(zf, name)
    for name in names:
        lower = name.lower()
        if lower.endswith((".xml", ".rels")):
            continue
        if lower.endswith(EMBEDDED_PACKAGES) or _head(zf, name).startswith(ZIP_MAGIC):
            _check_embedded(zf, name, budget, depth + 1)


def _xml_part(zf: zipfile.ZipFile, name: str) -> bool:
    """A part Office may read as XML: named .xml, or looking like XML whatever its name (the
    content types, not the names, tell Office what a part is)."""
    lower = name.lower()
    if lower.endswith(".rels") or name == "[Content_Types].xml":
        return False
    return lower.endswith(".xml") or _head(zf, name).lstrip(b" \t\r\n").startswith(XML_START)


def _head(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(64)
    except UNREADABLE_ENTRY:
        raise UploadRefused("upload.package_broken", part=name) from None


def _check_embedded(zf: zipfile.ZipFile, name: str, budget: Budget, depth: int) -> None:
    """An embedded workbook, document or presentation (an .xlsx/.docx/.pptx part, or any zip
    inside) is checked like an upload of its own, and any other zip refused as an object that
    cannot be checked. A refusal names the embedded part first
    (``word/embeddings/x.xlsx › xl/vbaProject.bin``)."""
    if depth > MAX_NESTING:
        raise UploadRefused("upload.package_too_deep", part=name, limit=MAX_NESTING)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as copy:
        try:
            with zf.open(name) as source:
                shutil.copyfileobj(source, copy)
        except UNREADABLE_ENTRY:
            raise UploadRefused("upload.package_broken", part=name) from None
        try:
            inner = zipfile.ZipFile(copy)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise UploadRefused("upload.office_ole", part=name) from None
        with inner:
            infos = inner.infolist()
            budget.spend(infos)
            if any(info.flag_bits & 0x1 for info in infos):
                raise UploadRefused("upload.package_encrypted")
            inner_names = {info.filename for info in infos}
            if "[Content_Types].xml" not in inner_names or inner_names.isdisjoint(OOXML_MARKERS):
                raise UploadRefused("upload.office_ole", part=name)
            try:
                _check_ooxml(inner, budget, depth)
            except UploadRefused as refusal:
                if "part" in refusal.params:
                    refusal.params["part"] = f"{name} › {refusal.params['part']}"
                raise


def _check_relationships(zf: zipfile.ZipFile, name: str) -> None:
    for elem in elements(zf, name):
        if not elem.tag.endswith("Relationship"):
            continue
        kind = elem.get("Type", "").rsplit("/", 1)[-1]
        target = elem.get("Target", "")
        external = elem.get("TargetMode", "").lower() == "external"
        if kind == "vbaProject":
            raise UploadRefused("upload.office_macros", part=name)
        if kind.startswith("activeXControl"):
            raise UploadRefused("upload.office_activex", part=name)
        if kind in ("externalLink", "externalLinkPath"):
            raise UploadRefused("upload.office_external_links", part=name)
        if external and kind == "hyperlink":
            if unsafe_link(target):
                raise UploadRefused("upload.link_scheme", target=shown(target))
        elif external:
            raise UploadRefused(
                "upload.office_external_target", **_kind(kind), target=shown(target)
            )
        elif kind == "oleObject":
            raise UploadRefused("upload.office_ole", part=target)


def _check_slide_actions(zf: zipfile.ZipFile, name: str) -> None:
    """An action button (click or hover) may run a program, a macro or an OLE verb."""
    for elem in elements(zf, name):
        action = elem.get("action", "")
        if action.lower().startswith(SLIDE_ACTIONS):
            raise UploadRefused("upload.office_program", part=name, action=action.split("?")[0])


# --- OpenDocument --------------------------------------------------------------------------


def _check_odf(zf: zipfile.ZipFile) -> None:
    names = [info.filename for info in zf.infolist()]
    for name in names:
        parts = name.split("/")
        if {p.lower() for p in parts[:-1]} & {"basic", "scripts"}:
            raise UploadRefused("upload.office_macros", part=name)
        if len(parts) == 1 and re.fullmatch(r"Object \d+", name):
            raise UploadRefused("upload.office_ole", part=name)
    if "META-INF/manifest.xml" in names:
        _check_manifest(zf)
    for name in names:
        base = name.rsplit("/", 1)[-1]
        if base in ("content.xml", "styles.xml"):
            _check_odf_xml(zf, name)


def _check_manifest(zf: zipfile.ZipFile) -> None:
    for elem in elements(zf, "META-INF/manifest.xml"):
        if elem.tag == MANIFEST + "encryption-data":
            raise UploadRefused("upload.odf_encrypted")
        if elem.tag != MANIFEST + "file-entry":
            continue
        path = elem.get(MANIFEST + "full-path", "")
        media = elem.get(MANIFEST + "media-type", "")
        if media == "application/vnd.sun.star.oleobject":
            raise UploadRefused("upload.office_ole", part=path)
        if (
            path.endswith("/")
            and path != "/"
            and media.startswith(ODF_SUBDOCUMENT_PREFIXES)
            and media != ODF_CONFIGURATION
            and media not in ODF_DATA_OBJECTS
        ):
            raise UploadRefused("upload.odf_embedded", part=path.rstrip("/"), kind=media)


def _check_odf_xml(zf: zipfile.ZipFile, name: str) -> None:
    for elem in elements(zf, name):
        local = elem.tag.rsplit("}", 1)[-1] if isinstance(elem.tag, str) else ""
        if local == "object-ole":
            raise UploadRefused("upload.office_ole", part=name)
        if local == "event-listener" or elem.tag.startswith("{" + SCRIPT_NS):
            raise UploadRefused("upload.office_macros", part=name)
        if local in ODF_DDE:
            raise UploadRefused("upload.office_dde", part=name)
        href = elem.get(XLINK_HREF)
        if href is None:
            continue
        if href.strip().lower().startswith(ODF_SCRIPT_LINKS):
            raise UploadRefused("upload.office_macros", part=name)
        if local == "a":
            if unsafe_link(href):
                raise UploadRefused("upload.link_scheme", target=shown(href))
        elif not _inside_package(href):
            raise UploadRefused("upload.office_external_target", **_kind(local), target=shown(href))


def _kind(name: str) -> dict[str, str]:
    key = EXTERNAL_KINDS.get(name)
    return {"kind_key": key} if key else {"kind": name}


def _inside_package(href: str) -> bool:
    text = href.strip()
    if text.startswith("./"):
        text = text[2:]
    return not text or text.startswith("#") or (":" not in text and not unsafe_link(text))
