"""Zip-based office files (DOCX, XLSX, PPTX, ODT, ODS): the real type, and nothing active.

Refused in Office Open XML: macros (``vbaProject.bin``, a macro-enabled content type, Excel
4.0 macro sheets, a slide button that runs a program or macro), ActiveX controls, OLE objects
(``oleObject`` relationships, ``embeddings/`` parts other than embedded .xlsx/.docx/.pptx
packages, which is how charts and pasted tables travel), the workbook's external links and
data connections (``xl/externalLinks/``, ``xl/connections.xml``), any relationship with
``TargetMode="External"`` other than a hyperlink (a remote template, frame, OLE object or
picture is fetched when the file opens), hyperlinks to anything but a web page or an e-mail
address, and DDE fields in Word.

Refused in OpenDocument: macros (``Basic/``, ``Scripts/``, event listeners, ``macro:`` and
``vnd.sun.star.script:`` links), OLE objects and embedded sub-documents other than charts
and formulas, DDE links, links to files outside the package, encrypted documents (their
content cannot be checked) and a ``mimetype`` entry that cannot be read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from wbk.uploads.refusal import UploadRefused, shown, unsafe_link

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
ODF_DATA_OBJECTS = (
    "application/vnd.oasis.opendocument.chart",
    "application/vnd.oasis.opendocument.formula",
)
ODF_SUBDOCUMENT_PREFIXES = ("application/vnd.oasis.opendocument.", "application/vnd.sun.xml.")
ODF_CONFIGURATION = "application/vnd.sun.xml.ui.configuration"
WORD_TEXT_PARTS = re.compile(
    r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments|glossary/document)\.xml"
)
DDE_FIELDS = frozenset({"DDE", "DDEAUTO"})
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

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
SCRIPT_NS = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"


def sniff_package(path: Path) -> str | None:
    """The office type a zip declares (OOXML markers or the ODF ``mimetype`` entry),
    ``application/zip`` for any other zip, None when it is not a zip at all."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_ENTRIES:
                raise UploadRefused("upload.zip_bomb")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > ZIP_MAX_UNCOMPRESSED or total / packed > ZIP_MAX_RATIO:
                raise UploadRefused("upload.zip_bomb")
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


def check_package(path: Path, media: str) -> None:
    """Raise UploadRefused when an office file of type ``media`` carries active content."""
    with zipfile.ZipFile(path) as zf:
        if any(info.flag_bits & 0x1 for info in zf.infolist()):
            raise UploadRefused("upload.package_encrypted")
        if media in ODF_TYPES:
            _check_odf(zf)
        else:
            _check_ooxml(zf)


# --- Office Open XML -----------------------------------------------------------------------


def _check_ooxml(zf: zipfile.ZipFile) -> None:
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
    for name in names:
        if WORD_TEXT_PARTS.fullmatch(name):
            _check_word_fields(zf, name)
        elif SLIDE_PARTS.fullmatch(name):
            _check_slide_actions(zf, name)


def _check_relationships(zf: zipfile.ZipFile, name: str) -> None:
    for elem in _elements(zf, name):
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


def _check_word_fields(zf: zipfile.ZipFile, name: str) -> None:
    """A DDE field runs a command when Word updates it; its code may be split over runs."""
    open_fields: list[list[str]] = []
    for elem in _elements(zf, name):
        if elem.tag == W + "fldSimple":
            _refuse_dde(elem.get(W + "instr", ""), name)
        elif elem.tag == W + "fldChar":
            kind = elem.get(W + "fldCharType")
            if kind == "begin":
                open_fields.append([])
            elif kind in ("separate", "end") and open_fields:
                _refuse_dde("".join(open_fields[-1]), name)
                if kind == "end":
                    open_fields.pop()
                else:
                    open_fields[-1] = []
        elif elem.tag == W + "instrText" and open_fields:
            open_fields[-1].append(elem.text or "")
    for field in open_fields:
        _refuse_dde("".join(field), name)


def _check_slide_actions(zf: zipfile.ZipFile, name: str) -> None:
    """An action button (click or hover) may run a program, a macro or an OLE verb."""
    for elem in _elements(zf, name):
        action = elem.get("action", "")
        if action.lower().startswith(SLIDE_ACTIONS):
            raise UploadRefused("upload.office_program", part=name, action=action.split("?")[0])


def _refuse_dde(instruction: str, part: str) -> None:
    words = instruction.strip().split(None, 1)
    if words and words[0].upper() in DDE_FIELDS:
        raise UploadRefused("upload.office_dde", part=part)


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
    for elem in _elements(zf, "META-INF/manifest.xml"):
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
    for elem in _elements(zf, name):
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


# --- XML -----------------------------------------------------------------------------------


def _elements(zf: zipfile.ZipFile, name: str):
    """Each element of one XML part as it closes, parsed from the zip stream without entity
    expansion or network access; memory stays flat however long the part is."""
    from lxml import etree

    with zf.open(name) as fh:
        try:
            for _, elem in etree.iterparse(
                fh,
                events=("end",),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            ):
                if isinstance(elem.tag, str):
                    yield elem
                elem.clear(keep_tail=False)
        except etree.XMLSyntaxError:
            raise UploadRefused("upload.package_broken", part=name) from None
