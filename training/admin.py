"""The curriculum and the procedure list in Django's admin (administrators), every change audited."""

from __future__ import annotations

from django.contrib import admin

from core.admin_audit import AuditedModelAdmin
from training.models import Competency, Enrolment, Procedure, ProcedureGroup, Programme, Requirement, Stage

NAMES = ("name_en", "name_sw", "name_zh_hans")


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
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ("code", *NAMES, "institution", "is_active")
    inlines = [StageInline, RequirementInline, CompetencyInline]


@admin.register(ProcedureGroup)
class ProcedureGroupAdmin(AuditedModelAdmin):
    list_display = ("code", *NAMES, "position")


@admin.register(Procedure)
class ProcedureAdmin(AuditedModelAdmin):
    list_display = ("code", "name_en", "group", "paediatric_bellwether", "icd10pcs", "icd9cm3", "is_active")
    list_filter = ("group", "paediatric_bellwether")
    search_fields = ("code", *NAMES)


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedModelAdmin):
    list_display = ("trainee", "programme", "stage", "institution", "started_on", "is_active")
    filter_horizontal = ("supervisors",)
