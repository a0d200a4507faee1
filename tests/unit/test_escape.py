"""User text shown in the app is text: no heading, rule, link, image or HTML from it."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from wbk.ui.session import esc

HOSTILE = [
    "Catatan\n# X\n---\n![i](http://evil.example/p.png)",
    "[klik](javascript:alert(1)) <img src=http://evil.example/x.png> <script>x</script>",
    "http://evil.example/auto www.evil.example **tebal** _miring_ `kode` $x^2$",
    "> kutipan\n- butir\n1. nomor\n| a | b |\n|---|---|",
    "baris satu\r\nbaris dua\\\\",
]


def tokens(text: str) -> list[str]:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out = []
    for tok in md.parse(text):
        out.append(tok.type)
        out += [child.type for child in tok.children or []]
    return out


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_plain_paragraphs(text):
    kinds = set(tokens(esc(text)))
    assert kinds <= {
        "paragraph_open",
        "paragraph_close",
        "inline",
        "text",
        "softbreak",
        "hardbreak",
    }, kinds


def test_the_hostile_text_itself_would_have_rendered_as_markup():
    # the same strings unescaped produce headings, images, links: the test above can fail
    assert "image" in tokens(HOSTILE[0]) and "heading_open" in tokens(HOSTILE[0])
    assert "html_inline" in tokens(HOSTILE[1])  # the <img> would be raw HTML


def test_bare_addresses_are_not_linked():
    # GitHub Markdown (Streamlit's) links a bare URL, www. and an e-mail address by itself
    text = esc("https://evil.example www.evil.example admin@evil.example")
    assert "://" not in text.replace("\\://", "") and "www." not in text
    assert "@" not in text.replace("\\@", "")


def test_plain_text_and_line_breaks_survive():
    assert esc("SK Nomor 12/2026") == r"SK Nomor 12/2026"
    assert esc("a\nb") == "a  \nb"
    assert esc(None) == ""
