"""Streamlit's own words on the file uploader are English ("Upload", "50MB per file") and it
has no parameter for them: in Indonesian a style sheet (style only, so it takes no room on the
page) puts ours in their place. The limits stay said in words by each page (its caption or the
uploader's help), and the server checks them.

Chosen over a script that rewrites the text (it would have to watch every redraw) and over
hiding the uploader behind our own button (a second upload path to keep safe)."""

from __future__ import annotations

import json

import streamlit as st

from wbk.i18n import t

_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: %(button)s; font-size: 1rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] div > span {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] div::after {
  content: %(hint)s; font-size: .875rem; opacity: .75;
}
[class*="st-key-branding_logo_"] [data-testid="stFileUploaderDropzoneInstructions"] div::after {
  content: %(logo_hint)s;
}
</style>"""
LOGO_MB = 1  # the letterhead logo's own limit (wbk/ui/admin/branding.py)


def apply(lang: str, max_mb: int) -> None:
    """The uploader's words in the reader's language (English needs nothing); ``max_mb``:
    the workspace's upload limit, which every uploader but the logo's uses."""
    if lang == "en":
        return
    st.html(
        _CSS
        % {
            "button": json.dumps(t("dayfix.uploader.button")),
            "hint": json.dumps(t("dayfix.uploader.hint", mb=max_mb)),
            "logo_hint": json.dumps(t("dayfix.uploader.hint", mb=LOGO_MB)),
        }
    )
