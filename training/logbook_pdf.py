"""The whole logbook as a PDF (plain Python with fpdf2; no Django), as consultations/letter.py
prints the advice letter: the caller passes every label already in the trainee's language, and
one font, Noto Sans SC, is embedded (as a subset), so Chinese, Kiswahili and English all render
on any reader with no font installed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pylopdf_fonts_zh_cn
from fpdf import FPDF

FONT = "NotoSansSC"

logging.getLogger("fontTools").setLevel(logging.WARNING)  # a line per glyph of the subset at INFO


@dataclass(frozen=True)
class EntryBlock:
    heading: str  # "#12 · 02/06/2025 · MOI · S-TU · Validated"
    lines: list[tuple[str, str]]  # (label, text); empty texts are left out


@dataclass(frozen=True)
class Logbook:
    title: str
    lines: list[str]  # who, programme, totals, printed when
    entries: list[EntryBlock] = field(default_factory=list)
    empty: str = ""
    footer: str = ""
    language: str = "en"


def render(logbook: Logbook) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_lang(logbook.language)
    pdf.set_title(logbook.title)
    pdf.set_creator("NeuroDaraja")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font(FONT, "", str(pylopdf_fonts_zh_cn.sans_path()))
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value: str, size: float = 10, height: float = 5.4, gap: float = 0.8) -> None:
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(width, height, value, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_text_color(11, 93, 122)
    text("NeuroDaraja", size=11, gap=0)
    pdf.set_text_color(0, 0, 0)
    text(logbook.title, size=17, height=9, gap=2)
    for line in logbook.lines:
        text(line, size=10, gap=0.5)
    pdf.ln(3)
    if not logbook.entries:
        text(logbook.empty)
    for block in logbook.entries:
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()  # a heading never alone at the foot of a page
        pdf.set_draw_color(201, 209, 217)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.5)
        text(block.heading, size=11.5, height=6.5, gap=0.5)
        for label, value in block.lines:
            if value:
                text(f"{label}: {value}", size=9.5, height=5, gap=0.3)
        pdf.ln(2)
    if logbook.footer:
        pdf.ln(3)
        pdf.set_text_color(90, 90, 90)
        text(logbook.footer, size=8.5, height=4.5)
    return bytes(pdf.output())
