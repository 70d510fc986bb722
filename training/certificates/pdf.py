"""The certificate as a PDF (plain Python with fpdf2 and qrcode; no Django).

The caller passes every line already translated into the holder's language. The font is the one
the advice letter embeds (Noto Sans SC, as a subset), so Chinese, Kiswahili and English render
on any reader with no font installed; the QR code is drawn as a PNG in memory.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import pylopdf_fonts_zh_cn
import qrcode
from fpdf import FPDF
from qrcode.image.pil import PilImage

FONT = "NotoSansSC"

logging.getLogger("fontTools").setLevel(logging.WARNING)  # one INFO line per glyph subset


@dataclass(frozen=True)
class Sheet:
    language: str  # en, sw, zh-hans
    heading: str  # "Certificate of completion"
    lead: str  # "This certifies that"
    holder: str
    title: str  # "Completed Year 1 of the programme MMed Neurosurgery"
    issued: str  # "Issued by Muhimbili Orthopaedic Institute on 4 December 2026"
    code_line: str  # "Certificate code: NDC-7K3Q-X9MA-4RTE"
    verify_line: str  # "Check that it is genuine: scan the QR code or open …"
    url: str  # the verification page, absolute
    revoked: str = ""  # "Revoked on …": printed across the top when it is
    demonstration: str = ""  # "Demonstration: everyone here is fictional." on a demo platform


def qr_png(url: str) -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def render(sheet: Sheet) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_lang(sheet.language)
    pdf.set_title(sheet.heading)
    pdf.set_creator("NeuroDaraja")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font(FONT, "", str(pylopdf_fonts_zh_cn.sans_path()))
    pdf.set_margins(22, 20, 22)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_draw_color(11, 93, 122)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(value: str, size: float, height: float, gap: float = 2.0, align: str = "C") -> None:
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(width, height, value, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(24)
    if sheet.demonstration:
        pdf.set_text_color(138, 90, 0)
        line(sheet.demonstration, 12, 7, gap=1)
    if sheet.revoked:
        pdf.set_text_color(180, 30, 30)
        line(sheet.revoked, 16, 9, gap=2)
    pdf.set_text_color(11, 93, 122)
    line("NeuroDaraja", 13, 7, gap=4)
    pdf.set_text_color(0, 0, 0)
    line(sheet.heading, 28, 14, gap=6)
    line(sheet.lead, 13, 7, gap=3)
    line(sheet.holder, 24, 12, gap=5)
    line(sheet.title, 16, 9, gap=6)
    line(sheet.issued, 12, 7, gap=2)

    size = 38.0  # millimetres
    top = pdf.h - 22 - size
    pdf.image(io.BytesIO(qr_png(sheet.url)), x=pdf.w - 22 - size, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin, top + 4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=13)
    pdf.multi_cell(width - size - 8, 7, sheet.code_line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(74, 85, 96)
    pdf.set_font(FONT, size=9.5)
    pdf.multi_cell(width - size - 8, 5.2, sheet.verify_line, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
