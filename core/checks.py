"""Start-up checks: a misconfigured platform refuses to start instead of misbehaving later."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from lib.languages import CODES as REQUIRED_LANGUAGES
from lib.languages import language

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ".localhost", "testserver"}


@register()
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.DEBUG and not getattr(settings, "SECRET_KEY_IS_SET", True):
        return [
            Error(
                "SECRET_KEY is not set and DEBUG is off.",
                hint="Set SECRET_KEY or SECRET_KEY_FILE (see .env.example).",
                id="neurodaraja.E001",
            )
        ]
    return []


@register()
def check_debug_hosts(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.DEBUG:
        return []
    public = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if public:
        return [
            Error(
                f"DEBUG is on while the platform answers public hosts: {', '.join(public)}.",
                hint="Debug pages reveal settings and data; set DEBUG=false for a public host.",
                id="neurodaraja.E002",
            )
        ]
    return []


@register()
def check_time_zone(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.TIME_ZONE != "UTC":
        errors.append(
            Error(
                f"TIME_ZONE is {settings.TIME_ZONE!r}; it must be 'UTC'.",
                hint="Times are stored in UTC and shown in each user's own zone.",
                id="neurodaraja.E003",
            )
        )
    if not settings.USE_TZ:
        errors.append(Error("USE_TZ must be True.", id="neurodaraja.E004"))
    return errors


@register()
def check_languages(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    configured = {code for code, _name in settings.LANGUAGES}
    errors: list[CheckMessage] = []
    missing = [code for code in REQUIRED_LANGUAGES if code not in configured]
    if missing:
        errors.append(
            Error(
                f"LANGUAGES lacks {', '.join(missing)}.",
                hint="NeuroDaraja ships in English, Kiswahili and Simplified Chinese.",
                id="neurodaraja.E005",
            )
        )
    for code in REQUIRED_LANGUAGES[1:]:  # the source language needs no catalogue
        folder = language(code).locale_folder
        catalogs = [Path(path) / folder / "LC_MESSAGES" / "django.mo" for path in settings.LOCALE_PATHS]
        if not any(catalog.exists() for catalog in catalogs):
            errors.append(
                Error(
                    f"The compiled {code} translations are missing.",
                    hint="Run `python manage.py compiletranslations`.",
                    id="neurodaraja.E006",
                )
            )
    return errors


@register()
def check_storage_path(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        return []
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return [
            Error(
                f"The file storage folder {root} does not exist.",
                hint="Create it, or set MEDIA_ROOT to an existing folder.",
                id="neurodaraja.E007",
            )
        ]
    if not os.access(root, os.W_OK):
        return [Error(f"The file storage folder {root} is not writable.", id="neurodaraja.E008")]
    return []


@register()
def check_demo_mode(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEMO_MODE and not settings.DEBUG:
        return [
            Error(
                "DEMO_MODE is on while DEBUG is off.",
                hint="Demo mode publishes passwords and second-factor codes of fictional accounts; "
                "it is for a developer's machine only.",
                id="neurodaraja.E009",
            )
        ]
    return []
