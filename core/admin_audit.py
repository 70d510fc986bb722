from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from core import audit_actions as acts
from core.audit import record


def _changed_names(message: Any) -> list[str]:
    """Field and inline names from an admin change message, never their values."""
    try:
        parts = json.loads(message) if isinstance(message, str) else message
    except ValueError:
        return []
    names: list[str] = []
    for part in parts if isinstance(parts, list) else []:
        for kind, info in part.items():
            if isinstance(info, dict):
                names.extend(str(field) for field in info.get("fields", []))
                if "name" in info:
                    names.append(f"{kind}:{info['name']}")
    return names[:30]


class AuditedModelAdmin(admin.ModelAdmin):
    """Every add, change and delete made in Django's admin also lands in our audit trail."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        record(acts.ADMIN_ADDED, target=obj, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        record(
            acts.ADMIN_CHANGED,
            target=obj,
            request=request,
            detail={"fields": _changed_names(message)},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            record(acts.ADMIN_DELETED, target=obj, request=request)
        return super().log_deletions(request, queryset)


def audit_registered_admins(model_labels: list[str]) -> None:
    """Re-register other packages' admins with the audit mixin in front of their own class."""
    for label in model_labels:
        model = apps.get_model(label)
        if admin.site.is_registered(model):
            existing = type(admin.site._registry[model])
            admin.site.unregister(model)
            admin.site.register(model, type(f"Audited{existing.__name__}", (AuditedModelAdmin, existing), {}))
