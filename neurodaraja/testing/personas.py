"""The cast every test shares, built through the real actions (STYLE.md), and signing them in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions
from accounts.models import Institution, Membership, Role, User
from core.models import Country

PASSWORD = "Correct-horse-42"  # noqa: S105  (the cast's password, for tests only)


@dataclass
class Personas:
    """The cast: who works where, as STYLE.md describes."""

    admin: User
    coordinator: User  # coordinator at MOI (Dar es Salaam) and SRRH (Mwanza)
    referrer: User  # referring doctor at Sekou Toure regional hospital, Mwanza
    neurosurgeon: User  # Tanzanian consultant at MOI
    consultant_china: User  # consultant at Qilu Hospital, Jinan
    trainee: User  # trainee at MOI
    outsider: User  # referring doctor at KCMC, another hospital
    outsider_coordinator: User  # coordinator at KCMC
    researcher: User  # researcher at MUHAS
    institutions: dict[str, Institution]


# Every persona's name, in the order of the dataclass: the one list the matrix and the
# "every persona" tests loop over. A persona added to the cast joins them all.
EVERYONE: list[str] = [field.name for field in fields(Personas) if field.name != "institutions"]


@pytest.fixture
def cast(db: None) -> Personas:
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

    def person(email: str, name: str, language: str = "en", zone: str = "Africa/Dar_es_Salaam") -> User:
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

    def give(user: User, code: str, role: str) -> User:
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


def verified_device(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    return device


def sign_in(client: Client, user: User) -> Client:
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
def as_user(client: Client) -> Callable[[User], Client]:
    def sign_in_as(user: User) -> Client:
        return sign_in(client, user)

    return sign_in_as
