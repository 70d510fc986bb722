from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin_audit import AuditedModelAdmin, audit_registered_admins
from core.audit import action_label, object_label, registered_actions
from core.models import AuditEntry, Country, DiagnosisCategory, Specialty, Subspecialty
from lib.languages import LANGUAGES

NAMES = tuple(f"name_{language.column_suffix}" for language in LANGUAGES)


@admin.register(Country)
class CountryAdmin(AuditedModelAdmin):
    list_display = ("code", *NAMES, "holds_identifiable_data")


class SubspecialtyInline(admin.TabularInline):
    model = Subspecialty
    fields = ("code", *NAMES, "position")
    extra = 0


class DiagnosisCategoryInline(admin.StackedInline):
    model = DiagnosisCategory
    fields = ("code", *NAMES, "position", "asks_injury_details", "asks_shunt_history", "routed_to")
    filter_horizontal = ("routed_to",)
    extra = 0


@admin.register(Specialty)
class SpecialtyAdmin(AuditedModelAdmin):
    list_display = ("code", *NAMES, "is_active")
    inlines = [SubspecialtyInline, DiagnosisCategoryInline]


class ActionFilter(admin.SimpleListFilter):
    """The actions by their labels in the reader's language, not their codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        present = set(AuditEntry.objects.values_list("action", flat=True).distinct())  # indexed
        return [(action.code, str(action.label)) for action in registered_actions() if action.code in present]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, in the admin as in the database."""

    list_display = (
        "created_at",
        "actor_label",
        "action_name",
        "object_kind",
        "object_id",
        "institution",
    )
    list_filter = (ActionFilter,)
    search_fields = ("actor_label", "object_id")

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, entry: AuditEntry) -> str:
        return action_label(entry.action)

    @admin.display(description=_("object type"), ordering="object_type")
    def object_kind(self, entry: AuditEntry) -> str:
        return object_label(entry.object_type) if entry.object_type else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Authenticator devices (an administrator removes a lost one) and sign-in lockouts (unlocking
# an account) are changed in the admin too; their changes go to the audit trail like ours.
audit_registered_admins(["otp_totp.TOTPDevice", "otp_static.StaticDevice", "axes.AccessAttempt"])


# django-otp's device columns have no Kiswahili or Chinese; the lists name them in our words.
@admin.display(description=_("Person"), ordering="user")
def _device_person(device: Any) -> str:
    return str(device.user)


@admin.display(description=_("Name"), ordering="name")
def _device_name(device: Any) -> str:
    return str(device.name)


@admin.display(description=_("Created"), ordering="created_at")
def _device_created(device: Any) -> Any:
    return device.created_at


@admin.display(description=_("Last used"), ordering="last_used_at")
def _device_last_used(device: Any) -> Any:
    return device.last_used_at


@admin.display(description=_("Confirmed"), boolean=True, ordering="confirmed")
def _device_confirmed(device: Any) -> bool:
    return bool(device.confirmed)


for _label in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    type(admin.site._registry[apps.get_model(_label)]).list_display = (
        _device_person,
        _device_name,
        _device_created,
        _device_last_used,
        _device_confirmed,
    )
