"""The consultation pages: who may open them, what each sees, and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from consultations import actions
from consultations.access import case_access
from consultations.models import Case, OnCallShift, Status
from core.models import AuditEntry, DiagnosisCategory
from neurodaraja.testing.cases import assigned_to_china, consent, english
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import EVERYONE, sign_in


def test_a_case_page_opens_for_its_team_and_its_consultant_only(cast, make_case):
    case = assigned_to_china(cast, make_case)
    allowed = {"referrer", "coordinator", "consultant_china"}
    for persona in EVERYONE:
        response = sign_in(Client(), getattr(cast, persona)).get(f"/consultations/{case.code}/")
        assert response.status_code == (200 if persona in allowed else 404), persona


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [
        ("edit/", "get", {"referrer", "coordinator"}),
        ("consent/", "get", {"referrer", "coordinator"}),
        ("opinion/", "get", {"consultant_china"}),
        ("outcome/", "get", {"referrer", "coordinator"}),
        ("acknowledge/", "post", {"consultant_china"}),
        ("assign/", "post", {"coordinator"}),
        ("close/", "post", {"coordinator"}),
        ("messages/", "post", {"referrer", "coordinator", "consultant_china"}),
    ],
)
def test_each_case_action_is_refused_to_the_wrong_people(cast, make_case, path, method, allowed):
    case = assigned_to_china(cast, make_case)
    for persona in EVERYONE:
        client = sign_in(Client(), getattr(cast, persona))
        response = getattr(client, method)(f"/consultations/{case.code}/{path}", {"body": "x", "reason": ""})
        visible = persona in {"referrer", "coordinator", "consultant_china"}
        if persona in allowed:
            # Allowed: the page, or the action's redirect back to the case (never to sign-in).
            assert response.status_code in (200, 302), (persona, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(f"/consultations/{case.code}/"), response["Location"]
        else:
            assert response.status_code == (403 if visible else 404), (persona, response.status_code)


def test_strangers_are_sent_to_sign_in(cast, make_case, client):
    case = make_case()
    for url in [
        "/consultations/",
        "/consultations/new/",
        f"/consultations/{case.code}/",
        "/consultations/board/",
    ]:
        assert client.get(url)["Location"].startswith("/accounts/login/"), url


def test_the_consultant_abroad_never_sees_the_patients_identity(cast, make_case):
    case = assigned_to_china(cast, make_case)
    english(cast.consultant_china)
    page = sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/").content.decode()
    for identifier in ["Amina", "Mollel", "SRRH/2025/00123", "754123456", "+255754123456"]:
        assert identifier not in page, identifier
    assert "3 to 6 hours before referral" in page  # a range, not the calendar time nor exact hours
    assert "Time of injury" not in page
    assert case.code in page and "motorcycle" in page.lower()


def test_the_referring_team_sees_the_identity(cast, make_case):
    case = make_case(send=True)
    page = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/").content.decode()
    assert "Amina Juma Mollel" in page and "SRRH/2025/00123" in page


def test_every_view_is_audited_and_says_whether_the_identity_was_shown(cast, make_case):
    case = assigned_to_china(cast, make_case)
    sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/")
    sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/")
    abroad = AuditEntry.objects.get(action="consultations.viewed", actor=cast.consultant_china)
    assert abroad.institution.short_code == "SRRH" and abroad.object_id == str(case.pk)
    assert AuditEntry.objects.filter(action="consultations.identity_viewed", actor=cast.referrer).exists()


def test_a_referrer_drafts_a_case_from_the_form(cast, consultants):
    client = sign_in(Client(), cast.referrer)
    assert client.get("/consultations/new/").status_code == 200
    trauma = DiagnosisCategory.objects.get(code="trauma")
    response = client.post(
        "/consultations/new/",
        {
            "patient-full_name": "Baraka Said",
            "patient-hospital_number": "SR-77",
            "category": trauma.pk,
            "urgency": "urgent",
            "age_value": "7",
            "age_unit": "years",
            "sex": "male",
            "presenting_complaint": "Fell from a mango tree",
            "mechanism": "fall_height",
            "injury_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "gcs_eye": "4",
            "gcs_verbal": "5",
            "gcs_motor": "6",
            "intracranial_bleed": "unknown",
            "question": "Does he need a CT in Mwanza?",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/consultations/{case.code}/consent/"
    assert case.identity.full_name == "Baraka Said" and case.status == Status.DRAFT


def test_bad_values_are_explained_and_what_was_typed_is_kept(cast, consultants):
    client = sign_in(Client(), cast.referrer)
    trauma = DiagnosisCategory.objects.get(code="trauma")
    response = client.post(
        "/consultations/new/",
        {
            "patient-full_name": "Baraka Said",
            "category": trauma.pk,
            "urgency": "urgent",
            "age_value": "7",
            "age_unit": "years",
            "systolic_bp": "400",
            "injury_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "intracranial_bleed": "unknown",
            "presenting_complaint": "Fell from a mango tree",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fell from a mango tree" in page and "Baraka Said" in page
    assert "less than or equal to 300" in page
    assert not Case.objects.exists()


def test_only_referrers_open_the_referral_form(cast, consultants):
    for persona in ["neurosurgeon", "consultant_china", "trainee", "researcher"]:
        assert sign_in(Client(), getattr(cast, persona)).get("/consultations/new/").status_code == 403, (
            persona
        )


def test_the_send_page_lists_identifiers_and_sends_once_they_are_dealt_with(cast, make_case):
    case = make_case(clinical={"history": "Amina came with her brother; ward phone 0754 999 888"})
    consent(case, cast.referrer)
    client = sign_in(Client(), cast.referrer)
    page = client.get(f"/consultations/{case.code}/send/").content.decode()
    assert "<mark>Amina</mark>" in page and "it cannot be sent" in page
    assert page.count('name="keep"') == 1  # a tick is offered for the ward's number only
    name, ward = actions.identifier_findings(case)
    client.post(f"/consultations/{case.code}/send/", {"keep": [name.key, ward.key]})
    assert Case.objects.get(pk=case.pk).status == Status.DRAFT  # a forged tick for the name keeps nothing
    actions.update_draft(
        case_access(cast.referrer, case),
        cast.referrer,
        clinical={"history": "Came with her brother; ward phone 0754 999 888"},
        identity={},
    )
    assert Case.objects.get(pk=case.pk).confirmed_identifier_keys == [ward.key]  # the tick that counted
    response = client.post(f"/consultations/{case.code}/send/", {"raise_to_emergency": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.OPEN


def test_the_send_page_offers_emergency_for_red_flags(cast, make_case):
    case = make_case(clinical={"pupil_left_reaction": "non_reactive"})
    consent(case, cast.referrer)
    client = sign_in(Client(), cast.referrer)
    assert "A pupil does not react" in client.get(f"/consultations/{case.code}/send/").content.decode()
    client.post(f"/consultations/{case.code}/send/", {"raise_to_emergency": "on"})
    case.refresh_from_db()
    assert case.urgency == "emergency" and case.status == Status.OPEN


def test_a_sent_case_cannot_be_edited(cast, make_case):
    case = make_case(send=True)
    response = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/edit/")
    assert response["Location"] == f"/consultations/{case.code}/"


def test_the_assigned_consultant_answers_from_the_page(cast, make_case):
    case = assigned_to_china(cast, make_case)
    english(cast.consultant_china)
    client = sign_in(Client(), cast.consultant_china)
    response = client.post(
        f"/consultations/{case.code}/opinion/",
        {"impression": "EDH", "recommendation": "transfer", "confidence": "high"},
    )
    assert response.status_code == 400 and "where to transfer" in response.content.decode()
    response = client.post(
        f"/consultations/{case.code}/opinion/",
        {"impression": "EDH", "recommendation": "transfer", "transfer_to": "Bugando", "confidence": "high"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.ANSWERED


def test_a_message_to_a_closed_case_is_refused_with_a_reason(cast, make_case):
    case = make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, case), cast.coordinator, "Duplicate referral")
    response = sign_in(Client(), cast.referrer).post(
        f"/consultations/{case.code}/messages/", {"body": "hello"}, follow=True
    )
    assert "This consultation is closed." in response.content.decode()
    assert not case.messages.exists()


def test_lists_use_a_fixed_number_of_queries(cast, make_case, django_assert_max_num_queries):
    client = sign_in(Client(), cast.referrer)
    make_case(send=True)
    with django_assert_max_num_queries(14):
        client.get("/consultations/?box=ours")
    for _ in range(12):
        make_case(send=True)
    with django_assert_max_num_queries(14):
        response = client.get("/consultations/?box=ours")
    assert response.content.decode().count("/consultations/ND-") >= 13


def test_inbox_filters_and_code_search(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    consultant = case.assignments.get().consultant
    other = ({cast.neurosurgeon, cast.consultant_china} - {consultant}).pop()
    assert case.code in client.get("/consultations/", {"consultant": consultant.pk}).content.decode()
    assert case.code not in client.get("/consultations/", {"consultant": other.pk}).content.decode()
    assert (
        case.code
        in client.get("/consultations/", {"institution": cast.institutions["SRRH"].pk}).content.decode()
    )
    assert case.code in client.get("/consultations/", {"q": case.code[-4:].lower()}).content.decode()
    assert case.code not in client.get("/consultations/", {"urgency": "routine"}).content.decode()
    assert client.get("/consultations/", {"sent_from": "not-a-date"}).status_code == 200


def test_board_and_api_list_use_a_fixed_number_of_queries(cast, make_case, django_assert_max_num_queries):
    from accounts import actions as account_actions
    from neurodaraja.testing.personas import verified_device

    make_case(send=True)
    board = sign_in(Client(), cast.coordinator)
    verified_device(cast.referrer)
    _token, raw = account_actions.create_api_token(cast.referrer, name="t", valid_days=None)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with django_assert_max_num_queries(12):
        board.get("/consultations/board/")
    with django_assert_max_num_queries(6):
        api.get("/api/v1/cases")
    for _ in range(12):
        make_case(send=True)
    with django_assert_max_num_queries(12):
        board.get("/consultations/board/")
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/cases").json()["items"]) == 13


def test_the_coordinator_board_and_on_call_page(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.coordinator)
    assert case.code in client.get("/consultations/board/").content.decode()
    assert sign_in(Client(), cast.referrer).get("/consultations/board/").status_code == 403
    assert sign_in(Client(), cast.admin).get("/consultations/board/").status_code == 403


def test_a_consultant_adds_a_shift_in_their_own_time_zone(cast, consultants):
    client = sign_in(Client(), cast.consultant_china)  # Asia/Shanghai, UTC+8
    response = client.post(
        "/consultations/on-call/", {"starts_at": "2030-12-02T08:00", "ends_at": "2030-12-02T20:00"}
    )
    assert response.status_code == 302
    shift = OnCallShift.objects.get(consultant=cast.consultant_china)
    assert shift.starts_at.isoformat() == "2030-12-02T00:00:00+00:00"
    response = client.post(
        "/consultations/on-call/", {"starts_at": "2030-12-02T20:00", "ends_at": "2030-12-02T08:00"}
    )
    assert response.status_code == 400
    other = sign_in(Client(), cast.neurosurgeon)
    assert other.post(f"/consultations/on-call/{shift.pk}/remove/").status_code == 404
    assert sign_in(Client(), cast.referrer).get("/consultations/on-call/").status_code == 403


def test_the_coordinator_sees_who_is_on_call_in_both_countries(cast, consultants):
    now = timezone.now()
    for consultant in [cast.neurosurgeon, cast.consultant_china]:
        OnCallShift.objects.create(
            consultant=consultant, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
        )
    page = sign_in(Client(), cast.coordinator).get("/consultations/on-call/").content.decode()
    assert "Baraka Massawe" in page and "Li Wen" in page


def test_notifications_inbox_shows_unread_and_marks_read(cast, make_case):
    case = assigned_to_china(cast, make_case)
    client = sign_in(Client(), cast.consultant_china)
    page = client.get("/notifications/").content.decode()
    assert case.code in page and 'class="unread"' in page
    client.post("/notifications/read/")
    assert 'class="unread"' not in client.get("/notifications/").content.decode()


def test_forged_case_codes_are_not_found(cast, consultants):
    client = sign_in(Client(), cast.referrer)
    assert client.get("/consultations/ND-FORGED1/").status_code == 404
    assert client.post("/consultations/ND-FORGED1/messages/", {"body": "x"}).status_code == 404


def test_case_pages_stay_under_50_kb_compressed(cast, make_case):
    case = assigned_to_china(cast, make_case)
    for persona, url in [
        ("referrer", "/consultations/new/"),
        ("referrer", f"/consultations/{case.code}/"),
        ("consultant_china", f"/consultations/{case.code}/"),
        ("referrer", "/consultations/"),
    ]:
        response = sign_in(Client(), getattr(cast, persona)).get(url)
        assert compressed(response.content) + static_size() < PAGE_BUDGET, url


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "send/"),
        ("post", "attach/"),
        ("get", "letter.pdf"),
        ("get", "fhir.json"),
        ("post", "edit/"),
        ("get", "files/1/"),
    ],
)
def test_more_case_endpoints_are_not_found_for_another_hospital(cast, make_case, method, path):
    case = assigned_to_china(cast, make_case)
    for persona in ("outsider", "outsider_coordinator", "neurosurgeon", "trainee"):
        response = getattr(sign_in(Client(), getattr(cast, persona)), method)(
            f"/consultations/{case.code}/{path}"
        )
        assert response.status_code == 404, (persona, path, response.status_code)


def test_the_consultant_cannot_use_referrer_only_actions(cast, make_case):
    case = assigned_to_china(cast, make_case)
    client = sign_in(Client(), cast.consultant_china)
    for path in ("send/", "attach/", "edit/"):
        assert client.post(f"/consultations/{case.code}/{path}").status_code == 403, path
