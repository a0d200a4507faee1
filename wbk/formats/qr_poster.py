"""A printable A4 poster with the QR code of a link (PNG and PDF, from one Pillow image)."""

from __future__ import annotations

import io
import textwrap

import qrcode
from PIL import Image, ImageDraw, ImageFont

A4 = (1240, 1754)  # 150 dpi


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def qr_png(url: str, box: int = 12) -> bytes:
    """The QR code alone (error correction M), as PNG."""
    img = qrcode.make(
        url, box_size=box, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def poster_image(url: str, title: str, lines: list[str]) -> Image.Image:
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    width, _ = A4
    y = 110
    for chunk in textwrap.wrap(title, 28):
        font = _font(64)
        w = draw.textlength(chunk, font=font)
        draw.text(((width - w) / 2, y), chunk, fill=(11, 60, 120), font=font)
        y += 84
    y += 30
    code = Image.open(io.BytesIO(qr_png(url, box=20))).convert("RGB")
    side = min(860, code.size[0])
    code = code.resize((side, side), Image.NEAREST)
    page.paste(code, ((width - side) // 2, y))
    y += side + 50
    for line in lines:
        for chunk in textwrap.wrap(line, 44) or [""]:
            font = _font(38)
            w = draw.textlength(chunk, font=font)
            draw.text(((width - w) / 2, y), chunk, fill="black", font=font)
            y += 52
        y += 16
    small = _font(24)
    for chunk in textwrap.wrap(url, 90):
        w = draw.textlength(chunk, font=small)
        draw.text(((width - w) / 2, A4[1] - 120), chunk, fill=(90, 90, 90), font=small)
    return page


def poster(url: str, title: str, lines: list[str]) -> tuple[bytes, bytes]:
    """The poster as (PNG, PDF) bytes."""
    page = poster_image(url, title, lines)
    png, pdf = io.BytesIO(), io.BytesIO()
    page.save(png, "PNG", optimize=True)
    page.save(pdf, "PDF", resolution=150.0)
    return png.getvalue(), pdf.getvalue()
