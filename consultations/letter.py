"""The advice letter as a PDF (plain Python with fpdf2; no Django).

The caller passes every label already translated. One font, Noto Sans SC, is embedded (as a
subset), so Chinese, Kiswahili and English all render on any reader, with no font installed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pylopdf_fonts_zh_cn
from fpdf import FPDF

FONT = "NotoSansSC"

# fontTools logs every glyph of the font subset at INFO: a page of noise per letter printed.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class OpinionBlock:
    heading: str  # "Opinion of Dr Li Wen, Qilu Hospital"
    when: str  # "25/11/2026 14:20 (Africa/Dar es Salaam, UTC+03:00)": on its own line, never cut
    lines: list[tuple[str, str]]  # (label, text)


@dataclass(frozen=True)
class Letter:
    title: str
    case_line: str  # "Case ND-7K3QX9 · Trauma · Urgent"
    to_line: str  # "To: the team of Sekou Toure Regional Referral Hospital"
    patient_lines: list[tuple[str, str]] = field(default_factory=list)  # only on the Tanzanian side
    question: tuple[str, str] | None = None
    opinions: list[OpinionBlock] = field(default_factory=list)
    footer: str = ""
    language: str = "en"


def render(letter: Letter) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_lang(letter.language)
    pdf.set_title(letter.title)
    pdf.set_creator("NeuroDaraja")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font(FONT, "", str(pylopdf_fonts_zh_cn.sans_path()))
    pdf.add_page()
    pdf.set_margins(18, 18, 18)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value: str, size: float = 10.5, height: float = 5.8, gap: float = 1.5) -> None:
        pdf.set_font(FONT, size=size)
        # Ragged right: justifying stretches the spaces of mixed Latin and Chinese lines.
        pdf.multi_cell(width, height, value, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def pairs(lines: list[tuple[str, str]]) -> None:
        for label, value in lines:
            if value:
                text(f"{label}: {value}", gap=0.8)

    pdf.set_text_color(11, 93, 122)
    text("NeuroDaraja", size=11, gap=0)
    pdf.set_text_color(0, 0, 0)
    text(letter.title, size=17, height=9, gap=2)
    text(letter.case_line, size=10, gap=0.5)
    text(letter.to_line, size=10, gap=3)
    if letter.patient_lines:
        pairs(letter.patient_lines)
        pdf.ln(2)
    if letter.question:
        label, value = letter.question
        text(label, size=12, height=7, gap=0.5)
        text(value, gap=3)
    for opinion in letter.opinions:
        pdf.set_draw_color(201, 209, 217)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        text(opinion.heading, size=12, height=7, gap=0)
        text(opinion.when, size=9.5, height=5, gap=1.5)
        pairs(opinion.lines)
        pdf.ln(2)
    if letter.footer:
        pdf.ln(4)
        pdf.set_text_color(74, 85, 96)
        text(letter.footer, size=8.5, height=4.8)
    return bytes(pdf.output())
