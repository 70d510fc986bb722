"""Demonstration data: real partner institutions, fictional people (e-mail @demo.neurodaraja.test).

Loaded by `manage.py loaddemo` only when DEMO_MODE is on; running it again changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Institution, Membership, Role, User
from core.models import Country, Subspecialty

DEMO_DOMAIN = "demo.neurodaraja.test"
DEMO_PASSWORD = "Daraja-demo-2026"  # noqa: S105 - published demo password for fictional accounts

INSTITUTIONS = [
    # short code, name, country, city, kind, time zone
    (
        "MOI",
        "Muhimbili Orthopaedic Institute",
        "TZ",
        "Dar es Salaam",
        "hospital",
        "Africa/Dar_es_Salaam",
    ),
    ("BMC", "Bugando Medical Centre", "TZ", "Mwanza", "hospital", "Africa/Dar_es_Salaam"),
    (
        "KCMC",
        "Kilimanjaro Christian Medical Centre",
        "TZ",
        "Moshi",
        "hospital",
        "Africa/Dar_es_Salaam",
    ),
    ("BMH", "Benjamin Mkapa Hospital", "TZ", "Dodoma", "hospital", "Africa/Dar_es_Salaam"),
    (
        "SRRH",
        "Sekou Toure Regional Referral Hospital",
        "TZ",
        "Mwanza",
        "hospital",
        "Africa/Dar_es_Salaam",
    ),
    (
        "MUHAS",
        "Muhimbili University of Health and Allied Sciences",
        "TZ",
        "Dar es Salaam",
        "university",
        "Africa/Dar_es_Salaam",
    ),
    ("MOH-TZ", "Ministry of Health, Tanzania", "TZ", "Dodoma", "ministry", "Africa/Dar_es_Salaam"),
    (
        "XUANWU",
        "Xuanwu Hospital, Capital Medical University",
        "CN",
        "Beijing",
        "hospital",
        "Asia/Shanghai",
    ),
    ("QILU", "Qilu Hospital of Shandong University", "CN", "Jinan", "hospital", "Asia/Shanghai"),
    (
        "TONGJI",
        "Tongji Hospital, Tongji Medical College",
        "CN",
        "Wuhan",
        "hospital",
        "Asia/Shanghai",
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    local_part: str
    full_name: str
    language: str
    time_zone: str
    roles: tuple[tuple[str, str], ...]  # (institution short code, role)
    subspecialties: tuple[str, ...] = ()
    languages_spoken: tuple[str, ...] = ()
    phone: str = ""

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


DAR = "Africa/Dar_es_Salaam"
CHINA = "Asia/Shanghai"

PEOPLE = [
    DemoPerson(
        "referrer",
        "Dr Neema Mwakalinga",
        "sw",
        DAR,
        (("SRRH", Role.REFERRER),),
        phone="+255754000101",
    ),
    DemoPerson(
        "neurosurgeon",
        "Dr Baraka Massawe",
        "en",
        DAR,
        (("MOI", Role.CONSULTANT), ("MOI", Role.SUPERVISOR)),
        ("neurotrauma", "spine"),
        ("en", "sw"),
        "+255754000102",
    ),
    DemoPerson(
        "consultant.qilu",
        "Dr Li Wen 李文",
        "zh-hans",
        CHINA,
        (("QILU", Role.CONSULTANT),),
        ("neurotrauma", "vascular"),
        ("zh-hans", "en"),
    ),
    DemoPerson(
        "consultant.xuanwu",
        "Dr Zhang Hui 张辉",
        "zh-hans",
        CHINA,
        (("XUANWU", Role.CONSULTANT), ("XUANWU", Role.SUPERVISOR)),
        ("paediatric", "neuro_oncology"),
        ("zh-hans", "en"),
    ),
    DemoPerson("trainee", "Dr Amani Kileo", "sw", DAR, (("MOI", Role.TRAINEE),)),
    DemoPerson(
        "coordinator",
        "Grace Lyimo",
        "en",
        DAR,
        (("MOI", Role.COORDINATOR), ("SRRH", Role.COORDINATOR), ("BMC", Role.COORDINATOR)),
    ),
    DemoPerson("coordinator.qilu", "Wang Fang 王芳", "zh-hans", CHINA, (("QILU", Role.COORDINATOR),)),
    DemoPerson("researcher", "Dr Joseph Mushi", "en", DAR, (("MUHAS", Role.RESEARCHER),)),
    DemoPerson("admin", "Rehema Juma", "sw", DAR, (("MOI", Role.ADMINISTRATOR),)),
    DemoPerson("referrer.kcmc", "Dr Said Hamisi", "sw", DAR, (("KCMC", Role.REFERRER),)),
]


def demo_totp_key(email: str) -> str:
    """A fixed authenticator key per demo account, so the demo can be re-created identically."""
    return hashlib.sha1(f"neurodaraja-demo:{email}".encode()).hexdigest()  # noqa: S324 - not security


def demo_totp_secret(email: str) -> str:
    return base64.b32encode(bytes.fromhex(demo_totp_key(email))).decode()


def current_demo_code(email: str) -> str:
    return f"{totp(bytes.fromhex(demo_totp_key(email))):06d}"


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create or refresh the demo institutions and people; return counts of what was created."""
    created = {"institutions": 0, "people": 0, "roles": 0}
    countries = {country.code: country for country in Country.objects.all()}
    institutions = {}
    for code, name, country, city, kind, zone in INSTITUTIONS:
        institution, was_created = Institution.objects.update_or_create(
            short_code=code,
            defaults={
                "name": name,
                "country": countries[country],
                "city": city,
                "kind": kind,
                "time_zone": zone,
            },
        )
        institutions[code] = institution
        created["institutions"] += was_created
    subspecialties = {s.code: s for s in Subspecialty.objects.all()}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                DEMO_PASSWORD,
                full_name=person.full_name,
                preferred_language=person.language,
                time_zone=person.time_zone,
                phone=person.phone,
                languages_spoken=list(person.languages_spoken),
            )
            user.subspecialties.set([subspecialties[code] for code in person.subspecialties])
            created["people"] += 1
        for code, role in person.roles:
            _membership, was_created = Membership.objects.get_or_create(
                user=user, institution=institutions[code], role=role
            )
            created["roles"] += was_created
        user.forget_memberships()
        if user.requires_two_factor:
            TOTPDevice.objects.get_or_create(
                user=user,
                name="authenticator",
                defaults={"key": demo_totp_key(person.email), "confirmed": True},
            )
    return created


def is_demo_account(email: str) -> bool:
    return email.lower().endswith(f"@{DEMO_DOMAIN}")
