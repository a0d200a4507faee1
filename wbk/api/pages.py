"""The evidence page a signed link opens: one question's current documents as a small HTML
table (every text escaped, no script, no outside resource)."""

from __future__ import annotations

from html import escape

from wbk.i18n import fmt_date, fmt_number, t
from wbk.services.portalrb.evidence import EvidencePage

# Nothing on the page loads from elsewhere or runs; links go to our own downloads or, for a
# linked document, to the address the unit gave.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #c5ced8;padding:.4rem .6rem;text-align:left;vertical-align:top}"
    "th{background:#eef3f9}code{font-size:.85em;word-break:break-all}"
)


def _size(n: int | None) -> str:
    if n is None:
        return "–"
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{fmt_number(n / 1024, 1)} KB"
    return f"{fmt_number(n / (1024 * 1024), 1)} MB"


def _link(url: str, label: str) -> str:
    """A link only to a web address (a stored link was checked to be one when it was added)."""
    if not url.lower().startswith(("https://", "http://")):
        return escape(url)
    return f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer">{escape(label)}</a>'


def render(page: EvidencePage) -> str:
    e = escape
    rows = []
    for f in page.files:
        date = f.document_date or (f.uploaded_at.date() if f.uploaded_at else None)
        label = t("portalrb_api.page.download") if f.kind == "file" else t("portalrb_api.page.open")
        rows.append(
            "<tr>"
            f"<td>{e(f.title)}<br><small>{e(f.filename or f.url)}</small></td>"
            f"<td>{e(fmt_date(date))}</td>"
            f"<td><code>{e(f.sha256 or '–')}</code></td>"
            f"<td>{e(_size(f.size))}</td>"
            f"<td>{_link(f.url, label)}</td>"
            "</tr>"
        )
    if not rows:
        rows.append(f'<tr><td colspan="5">{e(t("portalrb_api.page.empty"))}</td></tr>')
    heads = "".join(
        f"<th>{e(t(f'portalrb_api.page.{k}'))}</th>"
        for k in ("document", "date", "sha256", "size", "file")
    )
    title = t("portalrb_api.page.title", code=page.kode)
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{e(title)}</h1>"
        f"<p><strong>{e(page.nama_unit)}</strong> ({e(page.unit_id)}) · {page.tahun}</p>"
        f"<p>{e(page.pertanyaan)}</p>"
        f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p><small>{e(t('portalrb_api.page.expires', date=fmt_date(page.expires.date())))}"
        "</small></p></body></html>"
    )
