from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.validators import RegexValidator

from core.admin_audit import AuditedModelAdmin
from imaging.models import DicomSender

# PS3.5 6.2, value representation AE: no backslash, no control characters; leading and
# trailing spaces are not significant, so they are not stored (the node compares stripped).
ae_title_characters = RegexValidator(r"^[^\\\x00-\x1f\x7f]+$")


class DicomSenderForm(forms.ModelForm):
    class Meta:
        model = DicomSender
        fields = ("ae_title", "institution", "description", "is_active")

    def clean_ae_title(self) -> str:
        title = self.cleaned_data["ae_title"].strip()
        ae_title_characters(title)
        return title


@admin.register(DicomSender)
class DicomSenderAdmin(AuditedModelAdmin):
    """The scanners and PACS that may send to the DICOM node; the node reads this list for every
    association, so a sender added or disabled here counts at once."""

    form = DicomSenderForm
    list_display = ("ae_title", "institution", "is_active", "description")
    list_filter = ("is_active", "institution")
    list_select_related = ("institution",)
    search_fields = ("ae_title",)
