"""Settings for every test run, and the shared test plugins (neurodaraja/testing/)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.utils import timezone, translation

# The shared plugins' asserts explain themselves like a test's (imported just below).
pytest.register_assert_rewrite("neurodaraja.testing")

# Older test modules import these names from here; new ones import from neurodaraja.testing.
from neurodaraja.testing.personas import PASSWORD, Personas, sign_in, verified_device  # noqa: E402

__all__ = ["PASSWORD", "Personas", "sign_in", "verified_device"]

# The fixtures every app's tests share: the personas, cases made through the consultation
# actions, API clients with real tokens.
pytest_plugins = [
    "neurodaraja.testing.personas",
    "neurodaraja.testing.cases",
    "neurodaraja.testing.api_clients",
]


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    settings.SMS_BACKEND = "core.sms.MemoryBackend"
    # Tasks run at once in tests, so an e-mail queued by an action is in the outbox.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def files_in_a_temporary_folder(settings, tmp_path) -> None:
    """Uploaded and stored files of a test never land in the project's var/ folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"
    settings.AUDIT_HEAD_FILE = tmp_path / "audit-heads.txt"


@pytest.fixture(autouse=True)
def english_unless_asked() -> None:
    """Each test starts in English and in the server's time zone; a request or a persona's
    language and zone change them, as in production. (The test client leaves the last signed-in
    person's zone active: in Asia/Shanghai after 16:00 UTC "today" is already tomorrow.)"""
    translation.activate("en")
    timezone.deactivate()


@pytest.fixture
def sms_outbox():
    from core.sms import MemoryBackend

    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox
