"""Every date and time input of every form of the project, in every language, is filled in the
format the browser's date and time inputs read (2026-12-01, 14:30, 2026-12-01T14:30) and reads it
back. In Chinese an input filled as 2026/12/01 showed empty, and saving the unchanged form erased
the stored date."""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.forms.widgets import DateTimeBaseInput
from django.utils import timezone, translation

from lib.languages import CODES
from neurodaraja.testing.layers import project_modules

SAMPLES: dict[str, tuple[object, str]] = {
    "date": (datetime.date(2026, 12, 1), "2026-12-01"),
    "time": (datetime.time(9, 5), "09:05"),
    "datetime-local": (
        datetime.datetime(2026, 12, 1, 9, 5, tzinfo=ZoneInfo("Africa/Dar_es_Salaam")),
        "2026-12-01T09:05",
    ),
}


def project_forms() -> Iterator[type[forms.BaseForm]]:
    # Every module, so a form declared anywhere (a view module, an admin module) is found; not
    # the server entry points (they check the deployment) nor the commands.
    own = {dotted for dotted, _path in project_modules()}
    for dotted in sorted(own):
        if dotted.rsplit(".", 1)[-1] not in ("wsgi", "asgi") and ".management" not in dotted:
            importlib.import_module(dotted)
    seen: set[type] = set()
    stack: list[type] = [forms.BaseForm]
    while stack:
        form = stack.pop()
        for sub in form.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    yield from sorted((f for f in seen if f.__module__ in own), key=lambda f: f"{f.__module__}.{f.__name__}")


def temporal_fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for form in project_forms():
        # The fields the metaclass built (model fields included), before any __init__ runs.
        base_fields: dict[str, forms.Field] = getattr(form, "base_fields", {})
        for name, field in base_fields.items():
            temporal = isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField)
            if temporal or isinstance(field.widget, DateTimeBaseInput):
                found.append((f"{form.__module__}.{form.__name__}", name, field))
    return found


FIELDS = temporal_fields()


def kind_of(field: forms.Field) -> str:
    if isinstance(field, forms.DateTimeField):
        return "datetime-local"
    if isinstance(field, forms.DateField):
        return "date"
    return "time"


def test_the_walk_finds_the_forms_it_must_check():
    names = {(form.rsplit(".", 1)[-1], name) for form, name, _field in FIELDS}
    assert {
        ("OutcomeForm", "operation_date"),
        ("CaseForm", "injury_at"),
        ("IdentityForm", "date_of_birth"),
        ("IdentityForm", "admitted_on"),
        ("InboxFilterForm", "sent_from"),
        ("ShiftForm", "starts_at"),
        ("ConferenceForm", "starts_at"),
        ("AuditFilterForm", "date_from"),
    } <= names


def admin_only(form: str) -> bool:
    """Forms of the admin site: the admin replaces their date and time widgets with its own text
    boxes (filled and read in the active language), so no browser date input is involved."""
    return form.split(".")[1].startswith("admin")


@pytest.mark.parametrize("language", CODES)
@pytest.mark.parametrize(("form", "name", "field"), FIELDS, ids=[f"{f}.{n}" for f, n, _ in FIELDS])
def test_every_date_and_time_input_is_filled_in_the_browsers_format(form, name, field, language):
    kind = kind_of(field)
    value, expected = SAMPLES[kind]
    with translation.override(language), timezone.override("Africa/Dar_es_Salaam"):
        html = field.widget.render(name, field.prepare_value(value))
        shown = re.search(r'value="([^"]*)"', html)
        assert shown is not None, html
        # Whatever the input, what it shows reads back as the same value: saving it changes nothing.
        assert field.clean(shown.group(1)) == value, f"{form}.{name} in {language}: {html}"
        if admin_only(form):
            return
        assert field.widget.input_type == kind, f"{form}.{name} is an <input type={field.widget.input_type}>"
        assert shown.group(1) == expected, f"{form}.{name} in {language}: {html}"
        assert field.clean(expected) == value, f"{form}.{name} in {language} does not read {expected}"
