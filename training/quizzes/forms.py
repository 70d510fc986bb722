"""The forms of the question bank and of the tests; the rules are in training.quizzes.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from core.forms import DateTimeField
from training.quizzes.models import LANGUAGES, Choice, Question

MAX_FILE_BYTES = 1024 * 1024
LANGUAGE_NAMES = {"en": _("English"), "sw": _("Kiswahili"), "zh_hans": _("Chinese")}


class ImportForm(forms.Form):
    """First the file (a preview, nothing saved), then the same text sent back to be saved."""

    institution = forms.ModelChoiceField(
        Institution.objects.none(), label=_("Author institution"), empty_label=None
    )
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES, initial="en")
    file = forms.FileField(
        label=_("GIFT file (.gift or .txt)"), required=False, help_text=_("At most 1 MB, in UTF-8.")
    )
    text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_FILE_BYTES)

    def __init__(self, institutions: list[Institution], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Institution.objects.filter(pk__in=[i.pk for i in institutions])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload: UploadedFile | None = data.get("file")
        if upload is not None:
            if upload.size is not None and upload.size > MAX_FILE_BYTES:
                self.add_error("file", _("The file is larger than 1 MB."))
                return data
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text; save it as UTF-8 and try again."))
                return data
        if not data.get("text", "").strip() and not self.errors:
            self.add_error("file", _("Choose a GIFT file."))
        return data


class QuestionForm(forms.Form):
    """A question's text and its choices in the three languages, with the choices' weights."""

    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def __init__(self, question: Question, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.choice_rows: list[tuple[int, list[str]]] = []
        self.initial.setdefault("topic", question.topic)
        for code in LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": LANGUAGE_NAMES[code]},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=3000,
            )
            self.initial.setdefault(f"text_{code}", getattr(question, f"text_{code}"))
        for number, choice in enumerate(question.choices.all(), start=1):
            names = []
            for code in LANGUAGES:
                name = f"choice_{choice.pk}_{code}"
                self.fields[name] = forms.CharField(
                    label=_("Choice %(number)s (%(language)s)")
                    % {"number": number, "language": LANGUAGE_NAMES[code]},
                    required=False,
                    max_length=500,
                )
                self.initial.setdefault(name, getattr(choice, f"text_{code}"))
                names.append(name)
            weight = f"choice_{choice.pk}_weight"
            self.fields[weight] = forms.FloatField(
                label=_("Choice %(number)s: weight (%%)") % {"number": number},
                min_value=-100,
                max_value=100,
                help_text=_("100 for the right answer, 0 for a wrong one."),
            )
            self.initial.setdefault(weight, choice.weight)
            names.append(weight)
            self.choice_rows.append((choice.pk, names))


class TestForm(forms.Form):
    """The questions are validated against the whole bank but never rendered from it: the page
    lists the chosen ones and one page of the others (training.quizzes.choosing)."""

    questions = forms.ModelMultipleChoiceField(
        Question.objects.none(), label=_("Questions"), widget=forms.CheckboxSelectMultiple
    )
    opens_at = DateTimeField(label=_("Opens"))
    closes_at = DateTimeField(label=_("Closes"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["questions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = Question.objects.all()


class BankFilter(forms.Form):
    """Which of the bank's questions the test's page lists beside the chosen ones."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Any language")), *LANGUAGE_NAMES.items()],
    )
    words = forms.CharField(label=_("Words"), required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, topics: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", _("All topics")), *((topic, topic) for topic in topics)]

    def read(self) -> tuple[str, str, str, int]:
        """topic, language, words and page; what does not parse reads as no filter."""
        self.is_valid()  # a field that does not parse is left out of cleaned_data
        data = self.cleaned_data
        return (
            data.get("topic") or "",
            data.get("language") or "",
            data.get("words") or "",
            data.get("page") or 1,
        )


class TakeForm(forms.Form):
    """One radio group per question; a question left blank is named by the action."""

    def __init__(self, paper: list[tuple[Question, list[Choice]]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, (question, choices) in enumerate(paper, start=1):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(choice.pk, choice.text) for choice in choices],
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )

    def answers(self) -> dict[int, int]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and value not in (None, "")
        }
