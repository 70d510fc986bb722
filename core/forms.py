"""Forms every app shares: the date and time inputs, and the audit trail's filter.

A browser's `<input type="date">` (and `time`, `datetime-local`) reads and writes only the HTML
formats (2026-12-01, 14:30, 2026-12-01T14:30), whatever the page's language. Django fills such an
input, by default, with the first input format of the active language, which for Chinese is
2026/12/01: the browser rejects it and shows an empty field, and saving the unchanged form then
erased the stored date. So every date and time input of the project is one of these widgets,
which write the HTML format, and every date and time field reads the HTML format first (then the
language's own, for a browser that shows a plain text box). `consultations/tests/test_date_inputs.py`
walks every form of the project and fails on a date or time input that would not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import registered_actions

HTML_DATE = "%Y-%m-%d"
HTML_TIME = "%H:%M"
HTML_DATETIME = "%Y-%m-%dT%H:%M"


class HtmlFirst:
    """The HTML format, then the active language's input formats (read when a form is checked,
    so the language of the request counts, not the one active at import)."""

    def __init__(self, html: str, language_formats: str) -> None:
        self.html = html
        self.language_formats = language_formats

    def __iter__(self) -> Iterator[str]:
        yield self.html
        yield from (f for f in formats.get_format(self.language_formats) if f != self.html)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002 (Django's name)
        super().__init__(attrs, format=HTML_DATE)  # never the language's: the browser reads only this


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs, format=HTML_TIME)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs, format=HTML_DATETIME)


class DateField(forms.DateField):
    widget = DateInput
    input_formats = HtmlFirst(HTML_DATE, "DATE_INPUT_FORMATS")


class TimeField(forms.TimeField):
    widget = TimeInput
    input_formats = HtmlFirst(HTML_TIME, "TIME_INPUT_FORMATS")


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    input_formats = HtmlFirst(HTML_DATETIME, "DATETIME_INPUT_FORMATS")


# The form field and widget of each temporal model field (a DateTimeField is a DateField's subclass:
# it is looked up first).
_TEMPORAL: list[tuple[type[models.Field[Any, Any]], type[forms.Field], type[forms.Widget]]] = [
    (models.DateTimeField, DateTimeField, DateTimeInput),
    (models.DateField, DateField, DateInput),
    (models.TimeField, TimeField, TimeInput),
]


def html_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A model form's `Meta.formfield_callback`: its date and time fields are the HTML ones above,
    whatever widget `Meta.widgets` names for them."""
    for model_class, field_class, widget in _TEMPORAL:
        if isinstance(db_field, model_class):
            kwargs["form_class"] = field_class
            kwargs["widget"] = widget
            break
    return db_field.formfield(**kwargs)


class KeepsStoredTimes(forms.ModelForm):
    """A model form that keeps a stored date or time the person sent back as it was shown.

    An input shows minutes; a time recorded through the API may hold seconds. Without this, the
    unchanged form would round the stored value every time it is saved."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None:
            return data
        for name, field in self.fields.items():
            if not isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField):
                continue
            stored = getattr(self.instance, name, None)
            if stored is None or name not in data:
                continue
            shown = field.widget.format_value(field.prepare_value(stored))
            if self[name].data == shown:
                data[name] = stored
        return data


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Who (e-mail)"), required=False, max_length=254)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = DateField(label=pgettext_lazy("first day", "From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Any action"))] + [
            (action.code, action.label) for action in registered_actions()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
