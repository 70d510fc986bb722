"""Shared personas for every test, built through the real actions (STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Correct-horse-42"

# Cases made through the consultation actions, for every app's tests.
pytest_plugins = ["consultations.tests.fixtures"]


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


@pytest.fixture(autouse=True)
def english_unless_asked() -> None:
    """Each test starts in English; a request or a persona's language changes it, as in production."""
    translation.activate("en")


@pytest.fixture
def sms_outbox():
    from core.sms import MemoryBackend

    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


@dataclass
class Personas:
    """The cast: who works where, as STYLE.md describes."""

    admin: object
    coordinator: object  # coordinator at MOI (Dar es Salaam) and SRRH (Mwanza)
    referrer: object  # referring doctor at Sekou Toure regional hospital, Mwanza
    neurosurgeon: object  # Tanzanian consultant at MOI
    consultant_china: object  # consultant at Qilu Hospital, Jinan
    trainee: object  # trainee at MOI
    outsider: object  # referring doctor at KCMC, another hospital
    outsider_coordinator: object  # coordinator at KCMC
    researcher: object  # researcher at MUHAS
    institutions: dict


@pytest.fixture
def cast(db: None) -> Personas:
    from accounts import actions
    from accounts.models import Institution, Membership, Role
    from core.models import Country

    tz, cn = Country.objects.get(code="TZ"), Country.objects.get(code="CN")
    places = {
        code: Institution.objects.create(
            short_code=code, name=name, country=country, city=city, time_zone=zone
        )
        for code, name, country, city, zone in [
            ("MOI", "Muhimbili Orthopaedic Institute", tz, "Dar es Salaam", "Africa/Dar_es_Salaam"),
            (
                "SRRH",
                "Sekou Toure Regional Referral Hospital",
                tz,
                "Mwanza",
                "Africa/Dar_es_Salaam",
            ),
            ("KCMC", "Kilimanjaro Christian Medical Centre", tz, "Moshi", "Africa/Dar_es_Salaam"),
            ("MUHAS", "Muhimbili University", tz, "Dar es Salaam", "Africa/Dar_es_Salaam"),
            ("QILU", "Qilu Hospital", cn, "Jinan", "Asia/Shanghai"),
        ]
    }

    def person(email: str, name: str, language: str = "en", zone: str = "Africa/Dar_es_Salaam"):
        return actions.create_person(
            email=email,
            full_name=name,
            password=PASSWORD,
            preferred_language=language,
            time_zone=zone,
        )

    admin = person("admin@example.test", "Rehema Juma")
    # The first administrator is made by hand, as `createsuperuser` would on a new server.
    Membership.objects.create(user=admin, institution=places["MOI"], role=Role.ADMINISTRATOR)
    admin.forget_memberships()

    def give(user, code: str, role: str):
        actions.add_role(admin, user, places[code], role)
        user.forget_memberships()
        return user

    coordinator = give(person("coordinator@example.test", "Grace Lyimo"), "MOI", Role.COORDINATOR)
    give(coordinator, "SRRH", Role.COORDINATOR)
    cast = Personas(
        admin=admin,
        coordinator=coordinator,
        referrer=give(person("referrer@example.test", "Neema Mwakalinga"), "SRRH", Role.REFERRER),
        neurosurgeon=give(person("neuro@example.test", "Baraka Massawe"), "MOI", Role.CONSULTANT),
        consultant_china=give(
            person("li.wen@example.test", "Li Wen 李文", "zh-hans", "Asia/Shanghai"),
            "QILU",
            Role.CONSULTANT,
        ),
        trainee=give(person("trainee@example.test", "Amani Kileo"), "MOI", Role.TRAINEE),
        outsider=give(person("outsider@example.test", "Said Hamisi", "sw"), "KCMC", Role.REFERRER),
        outsider_coordinator=give(person("kcmc.coord@example.test", "Joyce Temba"), "KCMC", Role.COORDINATOR),
        researcher=give(person("researcher@example.test", "Joseph Mushi"), "MUHAS", Role.RESEARCHER),
        institutions=places,
    )
    return cast


def verified_device(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    return device


def sign_in(client: Client, user) -> Client:
    """A signed-in session that has proved the second factor wherever the person has or needs one."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.requires_two_factor:
        device = verified_device(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_user(client: Client):
    def sign_in_as(user) -> Client:
        return sign_in(client, user)

    return sign_in_as
