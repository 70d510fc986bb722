"""Small PDFs to upload, and the text of the PDFs the platform prints."""

from __future__ import annotations

import io

from fpdf import FPDF
from pypdf import PdfReader


def minimal_pdf(author: str = "Dr Neema", text: str = "Lab results") -> bytes:
    """A one-page PDF whose metadata names its author and the patient (to be stripped)."""
    pdf = FPDF()
    pdf.set_author(author)
    pdf.set_title("Report for Amina Juma Mollel")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def pdf_text(content: bytes) -> str:
    # pypdf reads this embedded CID font's text as UTF-16 code units; drop the padding bytes.
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\x00", "")
