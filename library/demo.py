"""Demonstration resources: PDFs generated here, each saying on every page that it is made up for
the demo, added through the real action by the demo coordinators. No outside links: a link that
looks like a real guideline's would be taken for one."""

from __future__ import annotations

import io
import logging

import pylopdf_fonts_zh_cn
from fpdf import FPDF

from accounts.models import Role, User
from library import actions
from library.models import Resource

logging.getLogger("fontTools").setLevel(logging.WARNING)
FONT = "NotoSansSC"
DEMO_DOMAIN = "demo.neurodaraja.test"

# (coordinator, kind, topic, language, title, description, body lines)
DEMO_RESOURCES: list[tuple[str, str, str, str, str, str, list[str]]] = [
    (
        "coordinator",
        "protocol",
        "trauma",
        "en",
        "Demonstration: head injury admission checklist",
        "A made-up checklist showing how a protocol appears in the library. Not clinical guidance.",
        [
            "1. Record the GCS and the pupils on arrival.",
            "2. Request a CT head where indicated.",
            "3. Refer through NeuroDaraja.",
        ],
    ),
    (
        "coordinator",
        "guideline",
        "hydrocephalus",
        "sw",
        "Mfano wa maonyesho: ufuatiliaji wa mtoto mwenye shunt",
        "Mwongozo wa kubuni unaoonyesha jinsi rasilimali ya Kiswahili inavyoonekana. Si ushauri wa kitabibu.",
        [
            "1. Pima mzunguko wa kichwa kila ziara.",
            "2. Uliza kuhusu kutapika na usingizi.",
            "3. Tuma rufaa kupitia NeuroDaraja.",
        ],
    ),
    (
        "coordinator.qilu",
        "slides",
        "examination",
        "zh-hans",
        "演示资料：格拉斯哥昏迷评分（GCS）讲义",
        "为演示而编写的讲义，展示中文资料在资料库中的样子。不是临床指南。",
        ["1. 睁眼反应（E）", "2. 语言反应（V）", "3. 运动反应（M）"],
    ),
]
BANNER = {
    "en": "DEMONSTRATION ONLY: made up for the NeuroDaraja demo. Not clinical guidance.",
    "sw": "KWA MAONYESHO TU: imebuniwa kwa maonyesho ya NeuroDaraja. Si ushauri wa kitabibu.",
    "zh-hans": "仅供演示：为 NeuroDaraja 演示而编写，不是临床指南。",
}


def demo_pdf(title: str, language: str, lines: list[str]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_creator("NeuroDaraja demo")
    pdf.add_font(FONT, "", str(pylopdf_fonts_zh_cn.sans_path()))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(width, 7, BANNER[language], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(width, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    for line in lines:
        pdf.multi_cell(width, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def load_demo() -> str:
    """Idempotent: a demonstration resource already there (by title) is left as it is."""
    added = 0
    for who, kind, topic, language, title, description, lines in DEMO_RESOURCES:
        if Resource.objects.filter(is_demo=True, title=title).exists():
            continue
        user = User.objects.filter(email=f"{who}@{DEMO_DOMAIN}").first()
        if user is None:
            continue
        places = user.institutions_with_role(Role.COORDINATOR)
        if not places:
            continue
        content = demo_pdf(title, language, lines)
        actions.add_resource(
            user,
            places[0],
            {"kind": kind, "topic": topic, "language": language, "title": title, "description": description},
            upload=actions.Upload("demo.pdf", io.BytesIO(content), len(content)),
            demo=True,
        )
        added += 1
    return f"Library demo: {added} demonstration resources added (0 means they were already there)."
