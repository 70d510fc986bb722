"""A trainee exports the whole logbook as CSV and as PDF, labelled in their language (the PDF
with Chinese text rendered: the font embedded, the text extractable); no patient identifier is
added; each export is in the audit trail."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.pdf import pdf_text
from neurodaraja.testing.personas import sign_in
from training import actions
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read UTF-8 by its mark
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_every_entry_oldest_first_with_labels_in_the_trainees_language(cast, world, client):
    cast.trainee.preferred_language = "sw"
    cast.trainee.save()
    first = logged(cast, world, reflection="Good exposure.")
    actions.validate_entry(cast.neurosurgeon, first, "confirm")
    logged(cast, world, supervision="P", diagnosis='=HYPERLINK("x")')
    answer = sign_in(client, cast.trainee).get("/training/logbook.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert answer["Content-Disposition"].startswith('attachment; filename="logbook-')
    header, one, two = rows(answer.content)
    assert header[7] == "Utambuzi (diagnosis)" and header[0] != "Entry"  # in Kiswahili
    assert one[0] == str(first.pk) and one[1] == first.performed_on.isoformat()
    assert "Good exposure." in one and "S-TU" in one and one[-1]  # validated: when
    assert two[7] == '\'=HYPERLINK("x")' and two[10] == "P" and two[-1] == ""  # a formula kept as text


def test_the_csv_names_no_patient(cast, world, client):
    logged(cast, world)
    header, entry = rows(sign_in(client, cast.trainee).get("/training/logbook.csv").content)
    assert not {"Name", "Patient name", "Date of birth", "Phone", "Hospital number"} & set(header)


@pytest.mark.parametrize(
    ("language", "title"),
    [("zh-hans", "手术日志"), ("sw", "Logbook"), ("en", "Logbook of")],
)
def test_the_pdf_renders_in_the_trainees_language_with_the_font_embedded(
    cast, world, client, language, title
):
    cast.trainee.preferred_language = language
    cast.trainee.save()
    logged(cast, world, diagnosis="先天性脑积水 Congenital hydrocephalus")
    answer = sign_in(client, cast.trainee).get("/training/logbook.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansSC" in font for font in fonts)  # the font travels with the file
    text = pdf_text(answer.content)
    assert title in text and "先天性脑积水" in text and cast.trainee.full_name in text


def test_each_export_is_audited_with_its_format_and_size(cast, world, client):
    logged(cast, world)
    signed_in = sign_in(client, cast.trainee)
    signed_in.get("/training/logbook.csv")
    signed_in.get("/training/logbook.pdf")
    details = [e.detail for e in AuditEntry.objects.filter(action="training.logbook_exported").order_by("pk")]
    assert details == [{"format": "csv", "entries": 1}, {"format": "pdf", "entries": 1}]


def test_a_supervisor_exports_only_their_own_logbook_empty_not_their_trainees(cast, world, client):
    logged(cast, world)
    header, *entries = rows(sign_in(client, cast.neurosurgeon).get("/training/logbook.csv").content)
    assert entries == []


def test_the_api_exports_csv_and_pdf_and_refuses_another_format(cast, world):
    logged(cast, world)
    api = bearer_client(cast.trainee)
    assert api.get("/api/v1/training/entries/export?format=pdf")["Content-Type"] == "application/pdf"
    assert len(rows(api.get("/api/v1/training/entries/export").content)) == 2
    assert api.get("/api/v1/training/entries/export?format=xlsx").status_code == 422
