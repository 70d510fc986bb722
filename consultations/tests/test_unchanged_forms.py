"""Saving a form as it was shown changes nothing that was stored, in every language: the outcome
(its date of operation was erased in Chinese) and the draft with the patient's identity (dates of
birth and admission, a time of injury recorded to the second through the API)."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from consultations import actions
from consultations.access import case_access
from consultations.models import Case, Outcome, PatientIdentity
from core.models import AuditEntry, Notification
from lib.languages import CODES
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import answered
from neurodaraja.testing.personas import sign_in


class FormReader(HTMLParser):
    """What a browser sends back for the page's main form, left as it was shown."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.dates: dict[str, str] = {}
        self._in_form = False
        self._in_main = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "main":
            self._in_main = True
        if tag == "form" and self._in_main and attrs.get("method") == "post" and not self.fields:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("date", "time", "datetime-local"):
                self.dates[attrs["name"]] = attrs.get("value", "")
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The parser gives the text as shown; a browser drops one leading newline.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def shown_form(client: Client, url: str) -> FormReader:
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader


def as_post(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def stored_outcome(case: Case) -> dict[str, object]:
    return model_to_dict(Outcome.objects.get(case=case), exclude=["id", "recorded_by"])


@pytest.mark.parametrize("language", CODES)
def test_the_outcome_form_saved_unchanged_keeps_every_stored_value(cast, make_case, language):
    case = answered(cast, make_case)
    today = timezone.localdate()
    actions.record_outcome(
        case_access(cast.referrer, case),
        cast.referrer,
        {
            "management": "operated_locally",
            "operated_by": "local_with_visitor",
            "operation": "Craniotomy and evacuation",
            "operation_date": today,
            "complications": "Wound infection, treated.",
            "discharge_status": "home",
            "gose_discharge": 6,
        },
    )
    before = stored_outcome(case)
    cast.referrer.preferred_language = language
    cast.referrer.save()
    client = sign_in(Client(), cast.referrer)
    url = f"/consultations/{case.code}/outcome/"
    form = shown_form(client, url)
    assert form.dates == {"operation_date": today.isoformat()}  # what a date input can show
    told, audited = (
        Notification.objects.count(),
        AuditEntry.objects.filter(action="consultations.outcome_recorded"),
    )
    entries, updated = audited.count(), Outcome.objects.get(case=case).updated_at
    response = client.post(url, as_post(form.fields), follow=True)
    assert response.redirect_chain, response.context["form"].errors
    assert stored_outcome(case) == before
    # Nothing changed, so nothing is recorded and no consultant is told again; the page says so.
    assert Outcome.objects.get(case=case).updated_at == updated
    assert audited.count() == entries and Notification.objects.count() == told
    with translation.override(language):
        assert (
            gettext("Nothing was changed: the outcome stays as it was recorded.") in response.content.decode()
        )


def test_an_outcome_sent_again_unchanged_through_the_api_tells_no_one_again(cast, make_case):
    case = answered(cast, make_case)
    body = {"management": "conservative", "discharge_status": "home", "gose_discharge": 7}
    api = bearer_client(cast.referrer)
    recorded = AuditEntry.objects.filter(action="consultations.outcome_recorded")

    def put() -> None:
        answer = api.put(f"/api/v1/cases/{case.code}/outcome", body, content_type="application/json")
        assert answer.status_code == 200, answer.content

    put()
    told = Notification.objects.count()
    put()
    assert Notification.objects.count() == told and recorded.count() == 1
    body["gose_discharge"] = 6  # a correction is recorded and told
    put()
    assert Notification.objects.count() > told and recorded.count() == 2


@pytest.mark.parametrize("language", CODES)
def test_the_draft_saved_unchanged_keeps_its_dates_and_times(cast, make_case, language):
    injured = (timezone.now() - timedelta(hours=5)).replace(second=41, microsecond=123456)
    case = make_case(clinical={"injury_at": injured})
    PatientIdentity.objects.filter(case=case).update(
        date_of_birth=date(1991, 3, 4), admitted_on=date(2026, 11, 30)
    )
    identity = model_to_dict(PatientIdentity.objects.get(case=case))
    cast.referrer.preferred_language = language
    cast.referrer.save()
    client = sign_in(Client(), cast.referrer)
    url = f"/consultations/{case.code}/edit/"
    form = shown_form(client, url)
    assert form.dates == {
        "injury_at": timezone.localtime(injured).strftime("%Y-%m-%dT%H:%M"),
        "patient-date_of_birth": "1991-03-04",
        "patient-admitted_on": "2026-11-30",
    }
    response = client.post(url, as_post(form.fields))
    assert response.status_code == 302, response.context["case_form"].errors if response.context else response
    case.refresh_from_db()
    assert case.injury_at == injured  # to the microsecond, though the input shows minutes
    assert model_to_dict(PatientIdentity.objects.get(case=case)) == identity
