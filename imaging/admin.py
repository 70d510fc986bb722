from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.validators import RegexValidator
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext

from core.admin_audit import AuditedModelAdmin
from imaging.models import DicomSender
from imaging.node import SetAside
from imaging.node_tasks import failed_root, set_aside_files

# The files set aside named one by one on the senders' page; beyond, only their number.
LISTED_SET_ASIDE = 20

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
    list_display = ("ae_title", "institution", "is_active", "description", "set_aside")
    list_filter = ("is_active", "institution")
    list_select_related = ("institution",)
    search_fields = ("ae_title",)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse):  # not a redirect after an action
            self._tell_about_set_aside(request, set_aside_files())
        return response

    def _tell_about_set_aside(self, request: HttpRequest, found: list[SetAside]) -> None:
        if not found:
            return
        messages.warning(
            request,
            ngettext(
                "%(count)s file sent to the DICOM node failed every try and was set aside in %(where)s, with its reason beside it. Move a file back into the spool to try it again.",
                "%(count)s files sent to the DICOM node failed every try and were set aside in %(where)s, each with its reason beside it. Move a file back into the spool to try it again.",
                len(found),
            )
            % {"count": len(found), "where": failed_root()},
        )
        # Each line starts with a word: the admin capitalises a message, and a file name must stay
        # as it is on disk.
        for aside in found[:LISTED_SET_ASIDE]:
            messages.warning(
                request,
                ngettext(
                    "File %(file)s from %(sender)s, set aside %(when)s after %(tries)s try: %(reason)s",
                    "File %(file)s from %(sender)s, set aside %(when)s after %(tries)s tries: %(reason)s",
                    aside.tries,
                )
                % {
                    "file": aside.path,
                    "sender": aside.calling_ae,
                    "when": date_format(timezone.localtime(aside.set_aside_at), "DATETIME_FORMAT"),
                    "tries": aside.tries,
                    "reason": aside.reason,
                },
            )

    @admin.display(description=gettext_lazy("Files set aside"))
    def set_aside(self, sender: DicomSender) -> int:
        # Read per row: a hospital has a handful of senders, and the list lives on disk.
        return sum(1 for aside in set_aside_files() if aside.calling_ae == sender.ae_title.strip()[:16])
