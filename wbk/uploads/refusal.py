"""The refusal every upload check raises, and the rule for which hyperlink targets may stay."""

from __future__ import annotations

from urllib.parse import urlsplit

from wbk.errors import WbkError

# A link the reader must click may lead to the web or to e-mail; anything else (file:, smb:,
# a UNC path, javascript:, ms-msdt: and other protocol handlers) reaches the reader's own
# machine or network, which no evidence document needs.
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
SHOWN_TARGET = 80


class UploadRefused(WbkError):
    """An upload that is not stored; ``key`` says why (type, mismatch, size, active content).

    A parameter named ``<name>_key`` is a message key itself, shown as ``{name}`` in the
    reader's language (e.g. the kind of part a document fetches from outside).
    """

    key = "upload.refused"

    def message(self, lang: str | None = None) -> str:
        from wbk.i18n import t

        params = {
            (k[:-4] if k.endswith("_key") else k): (t(v, lang=lang) if k.endswith("_key") else v)
            for k, v in self.params.items()
        }
        return t(self.key, lang=lang, **params)


def shown(target: str) -> str:
    """A link target cut to a readable length for a message."""
    text = "".join(ch if ch.isprintable() else "?" for ch in target.strip())
    return text if len(text) <= SHOWN_TARGET else text[: SHOWN_TARGET - 1] + "…"


def unsafe_link(target: str) -> bool:
    """True when a clickable link goes anywhere but a web page, an e-mail address or a place
    inside the document itself (``#anchor``, a relative name without a scheme)."""
    text = target if target.isprintable() else "".join(ch for ch in target if ch.isprintable())
    text = text.strip()
    if not text or text.startswith("#"):
        return False
    if text.startswith(("\\", "/", "..")) or "\\" in text:
        return True  # UNC, absolute and parent paths reach the reader's disk or network
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return True
    return bool(scheme) and scheme not in SAFE_LINK_SCHEMES
