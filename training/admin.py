"""The curriculum and the procedure list in Django's admin (administrators), every change audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_audit import AuditedModelAdmin
from training.models import Competency, Enrolment, Procedure, ProcedureGroup, Programme, Requirement, Stage

NAMES = ("name_en", "name_sw", "name_zh_hans")


class NamedAdmin(AuditedModelAdmin):
    """Lists show the name in the reader's language (the form edits all three): an English
    column on a Kiswahili page reads as an untranslated string."""

    @admin.display(description=_("name"))
    def shown_name(self, obj: Any) -> str:
        return str(obj.name)


class StageInline(admin.TabularInline):
    model = Stage
    fields = ("position", *NAMES, "allowed_codes")
    extra = 0


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ("group", "level", "minimum")
    extra = 0


class CompetencyInline(admin.TabularInline):
    model = Competency
    fields = ("code", *NAMES, "stage", "level_expected")
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(NamedAdmin):
    list_display = ("code", "shown_name", "institution", "is_active")
    inlines = [StageInline, RequirementInline, CompetencyInline]


@admin.register(ProcedureGroup)
class ProcedureGroupAdmin(NamedAdmin):
    list_display = ("code", "shown_name", "position")


@admin.register(Procedure)
class ProcedureAdmin(NamedAdmin):
    list_display = (
        "code",
        "shown_name",
        "group",
        "paediatric_bellwether",
        "icd10pcs",
        "icd9cm3",
        "is_active",
    )
    list_filter = ("group", "paediatric_bellwether")
    search_fields = ("code", *NAMES)


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedModelAdmin):
    list_display = ("trainee", "programme", "stage", "institution", "started_on", "is_active")
    filter_horizontal = ("supervisors",)
