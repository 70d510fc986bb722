"""Certificates in the project's access matrix: the holder and the issuing institution's
coordinators reach a certificate, only those coordinators issue and revoke; anyone else is told
nothing exists (404) and roles that issue nothing are refused (403).

The public verification page is not in PAGES (the matrix sends strangers to sign-in there):
PUBLIC_PAGES lists it, and test_verification.py opens it as every persona and signed out.
"""

from __future__ import annotations

from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.personas import EVERYONE, Personas
from training.certificates.models import Certificate
from training.certificates.tests.world import certificates_world, fresh_lookups, year_one
from training.sessions.tests.world import attended

COORDINATORS = {"coordinator", "outsider_coordinator"}
ON_THE_CERTIFICATE = {"trainee", "coordinator"}


def objects(cast: Personas) -> Ids:
    fresh_lookups()
    world = certificates_world(cast)
    certificate = year_one(cast, world)
    lecture = attended(cast, cast.trainee).session
    return {
        "session": lecture.pk,
        "code": certificate.shown_code,
        "enrolment": world.enrolment.pk,
        "stage": world.first_year.pk,
    }


def certificates(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Certificate.objects.values_list("pk", "code", "revoked_at", "revoked_reason").order_by("pk"))


PAGES = [
    Page("/training/certificates/", everyone()),
    Page("/training/certificates/issued/", expect(COORDINATORS)),
    Page("/training/certificates/milestone/", expect(COORDINATORS)),
    Page("/training/certificates/{code}.pdf", expect(ON_THE_CERTIFICATE, refused=404)),
    Page("/training/certificates/{code}/revoke/", expect({"coordinator"}, refused=404, trainee=403)),
]

CHANGES = [
    # KCMC's coordinator may not choose MOI's enrolment: the form refuses it (200, nothing issued).
    Change(
        "/training/certificates/milestone/",
        expect(COORDINATORS, outsider_coordinator=200),
        certificates,
        {"enrolment": "{enrolment}", "stage": "programme"},
    ),
    # Every partner sees the session (sessions' rule): only its organisers certify it (403).
    Change("/training/certificates/sessions/{session}/", expect({"coordinator"}, ok=302), certificates),
    Change(
        "/training/certificates/{code}/revoke/",
        expect({"coordinator"}, refused=404, trainee=403),
        certificates,
        {"reason": "Issued by mistake."},
    ),
]

# Public, no sign-in: every persona and a stranger get the page (test_verification.py).
PUBLIC_PAGES = [("/verify/", 200), ("/verify/{code}/", 200), ("/verify/NDC-2222-2222-2222/", 404)]
PUBLIC_READERS = [*EVERYONE, "signed_out"]

ENDPOINTS = [
    Endpoint("get", "/training/certificates", everyone()),
    Endpoint("get", "/training/certificates/issued", expect(COORDINATORS)),
    Endpoint(
        "post",
        "/training/certificates/milestones",
        expect({"coordinator"}, ok=201, refused=403, outsider_coordinator=404),
        certificates,
        {"enrolment": "{enrolment}", "stage": None},
    ),
    Endpoint(
        "post",
        "/training/sessions/{session}/certificates",
        expect({"coordinator"}, ok=201),
        certificates,
        {},
    ),
    Endpoint(
        "post",
        "/training/certificates/{code}/revocation",
        expect({"coordinator"}, refused=404, trainee=403),
        certificates,
        {"reason": "Issued by mistake."},
    ),
    Endpoint("get", "/training/certificates/{code}/pdf", expect(ON_THE_CERTIFICATE, refused=404)),
    Endpoint("get", "/training/certificate-checks/{code}", everyone()),
]
