"""The forms of the library pages: they parse and say what is wrong; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from library.models import GlossaryTerm, Resource, ResourceLanguage, Topic
from library.uploads import EXTENSIONS

ANY = [("", _("Any"))]


class ResourceFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), choices=ANY + list(Topic.choices), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=ANY + list(ResourceLanguage.choices), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + list(Resource.Kind.choices), required=False)


class GlossarySearch(forms.Form):
    q = forms.CharField(label=_("Search in English, Kiswahili or Chinese"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), choices=ANY + list(Topic.choices), required=False)


class ResourceForm(forms.ModelForm):
    """A file or an https link; on a change, both may be left empty to keep what is there."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, a PowerPoint deck (PPTX) or an MP4 video."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    link = forms.URLField(
        label=_("Or a link (https://…)"), required=False, max_length=500, assume_scheme="https"
    )
    institution = forms.ModelChoiceField(label=_("Added for"), queryset=Institution.objects.none())

    class Meta:
        model = Resource
        fields = ["kind", "title", "description", "language", "topic", "link"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, institutions: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose: Any = self.fields["institution"]
        choose.queryset = Institution.objects.filter(pk__in=[place.pk for place in institutions])
        if len(institutions) == 1 or self.instance.pk:
            del self.fields["institution"]  # nothing to choose, or chosen when it was added
        self.fields["title"].help_text = _("In the language of the resource.")

    def clean_link(self) -> str:
        link: str = self.cleaned_data.get("link", "").strip()
        if link and not link.lower().startswith("https://"):
            raise forms.ValidationError(_("A link must start with https://."))
        return link

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk and data.get("upload") and data.get("link") == self.instance.link:
            data["link"] = ""  # the current link, still in its field: the new file replaces it
        has_file, has_link = bool(data.get("upload")), bool(data.get("link"))
        if has_file and has_link:
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        if not self.instance.pk and not (has_file or has_link):
            raise forms.ValidationError(_("Add a file or give a link."))
        return data

    def _post_clean(self) -> None:
        # The action checks and saves the model (file or link); the form only parses.
        pass


class TermForm(forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = [
            "topic",
            "term_en",
            "also_en",
            "definition_en",
            "term_sw",
            "also_sw",
            "definition_sw",
            "term_zh_hans",
            "also_zh_hans",
            "definition_zh_hans",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("definition_en", "definition_sw", "definition_zh_hans")
        }
        help_texts = {
            "also_sw": _("Other forms clinicians use, such as the English term, separated by semicolons."),
        }

    def _post_clean(self) -> None:
        pass  # validated and saved by the action
