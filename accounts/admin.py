from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Institution, Invitation, Membership, User
from core.admin_audit import AuditedModelAdmin


@admin.register(Institution)
class InstitutionAdmin(AuditedModelAdmin):
    list_display = ("name", "short_code", "country", "city", "kind", "time_zone", "is_active")
    list_filter = ("country", "kind", "is_active")
    search_fields = ("name", "short_code", "city")


class MembershipInline(admin.TabularInline):
    """Shown for reference; roles are given and removed on the People pages, which audit the
    role and institution and apply the rules (no self-promotion, keep one administrator)."""

    model = Membership
    extra = 0
    fields = ("institution", "role", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ("full_name",)
    list_display = ("full_name", "email", "language", "is_active")
    list_filter = ("is_active", "memberships__role", "memberships__institution")
    search_fields = ("full_name", "email")
    filter_horizontal = ("subspecialties",)
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "preferred_language", "time_zone", "phone")}),
        (_("Consultant"), {"fields": ("languages_spoken", "subspecialties")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description=_("language"), ordering="preferred_language")
    def language(self, person: User) -> SafeString:
        # Each language is named in its own words, marked as such for readers and screen readers.
        return format_html(
            '<span lang="{}">{}</span>', person.preferred_language, person.get_preferred_language_display()
        )


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ("email", "institution", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("institution",)
    readonly_fields = [field.name for field in Invitation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations are sent from the People page, which e-mails the link


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    readonly_fields = [field.name for field in ApiToken._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
