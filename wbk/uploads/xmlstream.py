"""Read one XML part of a zip package element by element, safely and in flat memory."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from wbk.uploads.refusal import UploadRefused


def elements(zf: zipfile.ZipFile, name: str) -> Iterator:
    """Each element of one XML part as it closes, parsed from the zip stream without entity
    expansion or network access. An element is emptied once the caller has seen it and
    dropped with its earlier siblings, so memory stays flat however long the part is; the
    caller may still look at the element's ancestors (a formula's cell)."""
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
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError:
            raise UploadRefused("upload.package_broken", part=name) from None
