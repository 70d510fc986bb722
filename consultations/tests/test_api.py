"""The consultation API: same rules as the pages, identity only for the referring team."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Case, OnCallShift, Status
from neurodaraja.testing.api_clients import BASE, call, draft_payload
from neurodaraja.testing.pdf import minimal_pdf, pdf_text


def sent_case(cast, api) -> str:
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.consultant_china, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=9)
    )
    referrer = api(cast.referrer)
    code = call(referrer, "post", "/cases", draft_payload()).json()["code"]
    consent = {
        "given_by": "relative",
        "relationship": "brother",
        "method": "verbal",
        "countries": ["TZ", "CN"],
    }
    assert call(referrer, "put", f"/cases/{code}/consent", consent).status_code == 200
    response = call(referrer, "post", f"/cases/{code}/submit")
    assert response.status_code == 200, response.json()
    return code


def test_the_whole_loop_through_the_api(cast, api):
    code = sent_case(cast, api)
    consultant = api(cast.consultant_china)
    body = call(consultant, "get", f"/cases/{code}").json()
    assert body["identity"] is None and "injury_at" not in body["clinical"]
    assert body["hours_from_injury_to_referral"] is None  # exact hours + sending time = time of injury
    assert (body["injury_to_referral"]["at_least"], body["injury_to_referral"]["under"]) == (3, 6)
    assert "Amina" not in json.dumps(body) and "SRRH/2025" not in json.dumps(body)
    assert call(consultant, "post", f"/cases/{code}/acknowledge").json()["status"] == "acknowledged"
    opinion = {
        "impression": "EDH",
        "recommendation": "transfer",
        "transfer_to": "Bugando",
        "confidence": "high",
    }
    assert call(consultant, "post", f"/cases/{code}/opinions", opinion).status_code == 201
    referrer = api(cast.referrer)
    assert (
        call(referrer, "post", f"/cases/{code}/messages", {"body": "Transferred at 14:00"}).status_code == 201
    )
    assert [m["body"] for m in call(consultant, "get", f"/cases/{code}/messages").json()] == [
        "Transferred at 14:00"
    ]
    outcome = {"management": "transferred", "discharge_status": "home", "gose_discharge": 8}
    assert call(referrer, "put", f"/cases/{code}/outcome", outcome).json()["status"] == "closed"
    assert [n["kind"] for n in call(consultant, "get", "/notifications").json()["items"]][
        0
    ] == "consultations.outcome"


def test_the_referring_team_gets_the_identity(cast, api):
    code = sent_case(cast, api)
    body = call(api(cast.referrer), "get", f"/cases/{code}").json()
    assert body["identity"]["full_name"] == "Amina Juma Mollel"
    assert body["clinical"]["injury_at"]


@pytest.mark.parametrize(
    "persona", ["outsider", "neurosurgeon", "trainee", "outsider_coordinator", "researcher", "admin"]
)
def test_others_get_404_for_a_case(cast, api, persona):
    code = sent_case(cast, api)
    client = api(getattr(cast, persona))
    assert call(client, "get", f"/cases/{code}").status_code == 404
    assert call(client, "post", f"/cases/{code}/messages", {"body": "hi"}).status_code == 404
    assert code not in json.dumps(call(client, "get", "/cases").json())


@pytest.mark.parametrize(
    ("clinical", "field"),
    [
        ({"gcs_eye": "9"}, "clinical.gcs_eye"),
        ({"systolic_bp": 400}, "clinical.systolic_bp"),
        ({"pupil_left_mm": 0}, "clinical.pupil_left_mm"),
        ({"age_value": "seven"}, "clinical.age_value"),
    ],
)
def test_out_of_range_values_get_422_naming_the_field(cast, api, clinical, field):
    response = call(api(cast.referrer), "post", "/cases", draft_payload(**clinical))
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not Case.objects.exists()


def test_a_future_injury_time_gets_422(cast, api):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = call(api(cast.referrer), "post", "/cases", draft_payload(injury_at=future))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "injury_at"


def test_sending_without_consent_or_with_identifiers_is_refused(cast, api):
    referrer = api(cast.referrer)
    code = call(referrer, "post", "/cases", draft_payload(history="Amina fell; ward 0754 999 888")).json()[
        "code"
    ]
    response = call(referrer, "post", f"/cases/{code}/submit")
    assert response.status_code == 400 and response.json()["code"] == "incomplete"
    call(
        referrer,
        "put",
        f"/cases/{code}/consent",
        {"given_by": "patient", "method": "written", "countries": ["TZ"]},
    )
    response = call(referrer, "post", f"/cases/{code}/submit")
    assert response.json()["code"] == "identifiers"
    findings = call(referrer, "get", f"/cases/{code}/identifiers").json()
    assert [(f["text"], f["may_be_kept"]) for f in findings] == [("Amina", False), ("0754 999 888", True)]
    every_key = {"keys": [f["key"] for f in findings]}
    remaining = call(referrer, "post", f"/cases/{code}/identifiers/confirm", every_key).json()
    assert [f["text"] for f in remaining] == ["Amina"]  # the patient's own name cannot be kept
    assert call(referrer, "post", f"/cases/{code}/submit").json()["code"] == "identifiers"


def test_only_the_assigned_consultant_answers_and_only_coordinators_assign(cast, api):
    code = sent_case(cast, api)
    opinion = {"impression": "x", "recommendation": "conservative", "confidence": "low"}
    assert call(api(cast.referrer), "post", f"/cases/{code}/opinions", opinion).status_code == 403
    assert (
        call(
            api(cast.referrer), "post", f"/cases/{code}/assign", {"consultant_id": cast.neurosurgeon.pk}
        ).status_code
        == 403
    )
    coordinator = api(cast.coordinator)
    assert (
        call(
            coordinator, "post", f"/cases/{code}/assign", {"consultant_id": cast.neurosurgeon.pk}
        ).status_code
        == 200
    )
    assert call(coordinator, "post", f"/cases/{code}/assign", {"consultant_id": 999999}).status_code == 400
    assert (
        call(coordinator, "post", f"/cases/{code}/assign", {"consultant_id": cast.trainee.pk}).status_code
        == 400
    )
    assert call(coordinator, "post", f"/cases/{code}/close", {"reason": ""}).status_code == 422
    assert (
        call(coordinator, "post", f"/cases/{code}/close", {"reason": "duplicate"}).json()["status"]
        == Status.CLOSED
    )
    assert call(api(cast.referrer), "post", f"/cases/{code}/messages", {"body": "late"}).status_code == 409


def test_malformed_json_gets_400_and_changes_nothing(cast, api):
    response = call(api(cast.referrer), "post", "/cases", raw='{"category": ')
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_shifts_through_the_api(cast, api):
    client = api(cast.consultant_china)
    start = timezone.now() + timedelta(days=1)
    shift = call(
        client, "post", "/on-call/shifts", {"starts_at": start, "ends_at": start + timedelta(hours=8)}
    )
    assert shift.status_code == 201
    assert len(call(client, "get", "/on-call/shifts").json()) == 1
    bad = call(client, "post", "/on-call/shifts", {"starts_at": start, "ends_at": start - timedelta(hours=1)})
    assert bad.status_code == 400
    assert call(api(cast.neurosurgeon), "delete", f"/on-call/shifts/{shift.json()['id']}").status_code == 404
    assert (
        call(
            api(cast.referrer), "post", "/on-call/shifts", {"starts_at": start, "ends_at": start}
        ).status_code
        == 403
    )


def test_attachments_exports_and_retries_through_the_api(cast, api):
    from fhir.resources.R4B.bundle import Bundle

    code = sent_case(cast, api)
    referrer = api(cast.referrer)
    upload = referrer.post(
        f"{BASE}/cases/{code}/attachments",
        {"file": _named(minimal_pdf(), "report.pdf"), "description": "Lab results", "checked": "true"},
    )
    assert upload.status_code == 201, upload.json()
    attachment_id = upload.json()["id"]
    consultant = api(cast.consultant_china)
    assert [a["id"] for a in call(consultant, "get", f"/cases/{code}/attachments").json()] == [attachment_id]
    download = consultant.get(f"{BASE}/cases/{code}/attachments/{attachment_id}")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    fake = referrer.post(
        f"{BASE}/cases/{code}/attachments",
        {"file": _named(b"MZ\x90\x00 an exe", "scan.pdf"), "description": "x", "checked": "true"},
    )
    assert fake.status_code == 400 and fake.json()["code"] == "mismatch"
    Bundle.model_validate(consultant.get(f"{BASE}/cases/{code}/fhir").json())
    assert call(consultant, "get", f"/cases/{code}/letter").status_code == 409  # no opinion yet
    key = {"HTTP_IDEMPOTENCY_KEY": "c" * 32}
    opinion = json.dumps({"impression": "EDH", "recommendation": "conservative", "confidence": "high"})
    first = consultant.post(f"{BASE}/cases/{code}/opinions", opinion, content_type="application/json", **key)
    again = consultant.post(f"{BASE}/cases/{code}/opinions", opinion, content_type="application/json", **key)
    assert first.json()["id"] == again.json()["id"]
    letter = consultant.get(f"{BASE}/cases/{code}/letter?lang=en&identity=true")
    assert letter["Content-Type"] == "application/pdf"
    assert "Amina" not in pdf_text(letter.content)  # identity=true is ignored abroad
    unknown = consultant.get(f"{BASE}/cases/{code}/letter?lang=fr")
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "lang"
    assert "'sw'" in unknown.json()["detail"][0]["message"]  # the shipped languages, from lib.languages
    assert consultant.get(f"{BASE}/cases/{code}/letter?lang=sw")["Content-Type"] == "application/pdf"


def _named(content: bytes, name: str):
    import io

    upload = io.BytesIO(content)
    upload.name = name
    return upload


ENDPOINTS: list[tuple[str, str, dict | None]] = [
    ("get", "/cases/{code}", None),
    ("patch", "/cases/{code}", {"clinical": {"age_value": 5}}),
    ("put", "/cases/{code}/consent", {"given_by": "patient", "method": "written", "countries": ["TZ"]}),
    ("get", "/cases/{code}/identifiers", None),
    ("post", "/cases/{code}/identifiers/confirm", {"keys": []}),
    ("post", "/cases/{code}/submit", None),
    ("post", "/cases/{code}/acknowledge", None),
    (
        "post",
        "/cases/{code}/opinions",
        {"impression": "x", "recommendation": "conservative", "confidence": "low"},
    ),
    ("get", "/cases/{code}/messages", None),
    ("post", "/cases/{code}/messages", {"body": "x"}),
    ("put", "/cases/{code}/outcome", {"management": "conservative", "discharge_status": "home"}),
    ("post", "/cases/{code}/assign", {"consultant_id": 1}),
    ("post", "/cases/{code}/close", {"reason": "x"}),
    ("get", "/cases/{code}/attachments", None),
    ("get", "/cases/{code}/attachments/1", None),
    ("get", "/cases/{code}/fhir", None),
    ("get", "/cases/{code}/letter", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _b in ENDPOINTS])
def test_every_case_endpoint_is_not_found_for_another_hospital(cast, api, method, path, body):
    code = sent_case(cast, api)
    for persona in ("outsider", "outsider_coordinator", "neurosurgeon"):
        response = call(api(getattr(cast, persona)), method, path.format(code=code), body)
        assert response.status_code == 404, (persona, response.status_code)
    assert Case.objects.get(code=code).status == Status.OPEN


def test_an_identifier_refused_in_a_message_names_its_field(cast, api):
    code = sent_case(cast, api)
    answer = call(api(cast.referrer), "post", f"/cases/{code}/messages", {"body": "Call 0754 123 456"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "identifiers" and answer.json()["fields"] == ["body"]
    assert "0754 123 456" in answer.json()["detail"]
