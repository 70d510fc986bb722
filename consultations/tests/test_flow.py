"""From a referring doctor's question to a consultant's answer and the patient's outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultations import actions
from consultations.access import case_access
from consultations.models import Assignment, Case, OnCallShift, Status
from core.errors import ActionError
from core.models import AuditEntry, Country, Notification
from neurodaraja.testing.cases import consent


def test_a_draft_waits_for_consent_before_it_can_be_sent(cast, make_case):
    case = make_case()
    assert case.status == Status.DRAFT and case.code.startswith("ND-")
    with pytest.raises(ActionError, match="consent"):
        actions.submit(case_access(cast.referrer, case), cast.referrer)
    case.refresh_from_db()
    assert case.status == Status.DRAFT


def test_sending_routes_to_a_consultant_and_sets_the_deadline(cast, make_case, mailoutbox):
    case = make_case(send=True)
    assert case.status == Status.OPEN
    assert case.deadline - case.submitted_at == timedelta(hours=12)  # urgent
    (assignment,) = case.assignments.all()
    assert assignment.consultant in (cast.neurosurgeon, cast.consultant_china)
    assert Notification.objects.filter(
        recipient=assignment.consultant, kind="consultations.new_case"
    ).exists()
    assert AuditEntry.objects.filter(action="consultations.submitted", object_id=str(case.pk)).exists()


def test_the_consultant_on_call_is_chosen_first(cast, make_case):
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.consultant_china, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
    )
    case = make_case(send=True)
    assert case.assignments.get().consultant == cast.consultant_china


def test_consultants_outside_the_consented_countries_are_never_asked(cast, make_case):
    case = make_case()
    consent(case, cast.referrer, countries=Country.objects.filter(code="TZ"))
    actions.submit(case_access(cast.referrer, case), cast.referrer)
    assert case.assignments.get().consultant == cast.neurosurgeon


def test_identifiers_in_free_text_block_sending_until_removed_or_confirmed(cast, make_case):
    case = make_case(clinical={"history": "Amina fell; call 0754 123 456"})
    consent(case, cast.referrer)
    findings = actions.identifier_findings(case)
    assert [f.kind for f in findings] == ["name", "phone"]
    with pytest.raises(ActionError, match="identifiers"):
        actions.submit(case_access(cast.referrer, case), cast.referrer)
    # Her own name and phone cannot be confirmed away: ticking them keeps nothing.
    actions.confirm_identifiers(case_access(cast.referrer, case), cast.referrer, [f.key for f in findings])
    assert Case.objects.get(pk=case.pk).confirmed_identifier_keys == []
    with pytest.raises(ActionError, match="identifiers"):
        actions.submit(case_access(cast.referrer, Case.objects.get(pk=case.pk)), cast.referrer)
    actions.update_draft(
        case_access(cast.referrer, case),
        cast.referrer,
        clinical={"history": "The patient fell; her brother was informed"},
        identity={},
    )
    actions.submit(case_access(cast.referrer, Case.objects.get(pk=case.pk)), cast.referrer)
    assert Case.objects.get(pk=case.pk).status == Status.OPEN


def test_a_trauma_case_needs_mechanism_time_and_gcs(cast, make_case):
    case = make_case(clinical={"mechanism": "", "gcs_motor": ""})
    consent(case, cast.referrer)
    missing = dict(actions.missing_for_submission(case))
    assert set(missing) == {"mechanism", "gcs_eye"}


def test_a_hydrocephalus_case_needs_the_shunt_history(cast, make_case):
    case = make_case(category="hydrocephalus", clinical={"mechanism": "", "injury_at": None})
    consent(case, cast.referrer)
    assert [field for field, _m in actions.missing_for_submission(case)] == ["shunt_history"]


def test_red_flags_are_recorded_with_the_sending(cast, make_case):
    case = make_case(
        send=True, clinical={"gcs_eye": "1", "gcs_verbal": "2", "gcs_motor": "4", "anticoagulant": True}
    )
    entry = AuditEntry.objects.get(action="consultations.submitted", object_id=str(case.pk))
    assert entry.detail["red_flags"] == ["low_gcs", "anticoagulated_bleed"]


def test_an_emergency_goes_by_sms_even_to_those_who_chose_e_mail(cast, make_case, sms_outbox):
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.neurosurgeon, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    cast.neurosurgeon.phone = "+255754000102"
    cast.neurosurgeon.save()
    assert not cast.neurosurgeon.notify_by_sms
    case = make_case(send=True, clinical={"urgency": "emergency"})
    assert case.assignments.get().consultant == cast.neurosurgeon
    assert [sms.to for sms in sms_outbox] == ["+255754000102"]
    assert case.code in sms_outbox[0].text and "Amina" not in sms_outbox[0].text
    assert case.deadline - case.submitted_at == timedelta(hours=1)


def test_the_consultant_acknowledges_answers_and_the_referrer_is_told(cast, make_case):
    case = make_case(send=True)
    consultant = case.assignments.get().consultant
    actions.acknowledge(case_access(consultant, case), consultant)
    actions.acknowledge(case_access(consultant, case), consultant)  # a double tap changes nothing
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED
    opinion = actions.give_opinion(
        case_access(consultant, case),
        consultant,
        {
            "impression": "Small extradural haematoma, conscious patient.",
            "recommendation": "transfer",
            "transfer_to": "Bugando Medical Centre",
            "timing": "within_24h",
            "advice": "Repeat CT if GCS falls; neuro observations hourly.",
            "confidence": "high",
        },
    )
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and opinion.pk
    assert Notification.objects.filter(recipient=cast.referrer, kind="consultations.opinion").exists()


def test_only_an_assigned_consultant_answers(cast, make_case):
    case = make_case(send=True)
    other = ({cast.neurosurgeon, cast.consultant_china} - {case.assignments.get().consultant}).pop()
    with pytest.raises(ActionError, match="assigned"):
        actions.give_opinion(
            case_access(other, case),
            other,
            {"impression": "x", "recommendation": "conservative", "confidence": "low"},
        )
    assert not case.opinions.exists()


def test_the_thread_notifies_the_other_side_and_closes_with_the_case(cast, make_case):
    case = make_case(send=True)
    consultant = case.assignments.get().consultant
    actions.post_message(case_access(cast.referrer, case), cast.referrer, "GCS now 13, still vomiting.")
    assert Notification.objects.filter(recipient=consultant, kind="consultations.message").exists()
    with pytest.raises(ActionError, match="Write a message"):
        actions.post_message(case_access(consultant, case), consultant, "   ")
    actions.record_outcome(
        case_access(cast.referrer, case),
        cast.referrer,
        {"management": "conservative", "discharge_status": "home", "gose_discharge": 7},
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert Notification.objects.filter(recipient=consultant, kind="consultations.outcome").exists()
    with pytest.raises(ActionError, match="closed"):
        actions.post_message(case_access(cast.referrer, case), cast.referrer, "One more thing")


def test_an_unacknowledged_case_escalates_to_the_next_consultant(cast, make_case):
    case = make_case(send=True)
    first = case.assignments.get()
    later = first.deadline + timedelta(minutes=1)
    assert actions.escalate_overdue(later) == 1
    first.refresh_from_db()
    assert first.ended_reason == Assignment.Ended.ESCALATED
    second = case.assignments.get(ended_at__isnull=True)
    assert second.consultant != first.consultant and second.via == Assignment.Via.ESCALATION
    assert Notification.objects.filter(recipient=cast.coordinator, kind="consultations.escalated").exists()
    assert AuditEntry.objects.filter(action="consultations.escalated", object_id=str(case.pk)).exists()
    assert actions.escalate_overdue(later) == 0  # nothing more is due yet


def test_when_nobody_is_left_the_coordinator_is_told(cast, make_case, sms_outbox):
    case = make_case(send=True)
    for _round in range(3):
        active = case.assignments.filter(ended_at__isnull=True).first()
        if active is None:
            break
        actions.escalate_overdue(active.deadline + timedelta(minutes=1))
    assert Notification.objects.filter(
        recipient=cast.coordinator, kind="consultations.no_consultant"
    ).exists()


def test_the_coordinator_assigns_by_hand_and_closes_with_a_reason(cast, make_case):
    case = make_case(send=True)
    other = ({cast.neurosurgeon, cast.consultant_china} - {case.assignments.get().consultant}).pop()
    actions.assign_by_hand(case_access(cast.coordinator, case), cast.coordinator, other)
    assert case.assignments.filter(ended_at__isnull=True).count() == 2
    with pytest.raises(ActionError, match="reason"):
        actions.close_without_outcome(case_access(cast.coordinator, case), cast.coordinator, " ")
    actions.close_without_outcome(
        case_access(cast.coordinator, case), cast.coordinator, "Patient left the hospital"
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED and not case.assignments.filter(ended_at__isnull=True).exists()


def test_a_referrer_cannot_assign_or_close(cast, make_case):
    case = make_case(send=True)
    with pytest.raises(PermissionDenied):
        actions.close_without_outcome(case_access(cast.referrer, case), cast.referrer, "no")
    with pytest.raises(PermissionDenied):
        actions.assign_by_hand(case_access(cast.referrer, case), cast.referrer, cast.neurosurgeon)


def test_outcome_reminders_until_recorded(cast, make_case):
    case = make_case(send=True)
    consultant = case.assignments.get().consultant
    actions.give_opinion(
        case_access(consultant, case),
        consultant,
        {"impression": "x", "recommendation": "conservative", "confidence": "high"},
    )
    case.refresh_from_db()
    assert actions.remind_outcomes(case.first_answered_at + timedelta(days=1)) == 0
    assert actions.remind_outcomes(case.first_answered_at + timedelta(days=8)) == 1
    assert actions.remind_outcomes(case.first_answered_at + timedelta(days=9)) == 0
    assert actions.remind_outcomes(case.first_answered_at + timedelta(days=15)) == 1
    assert (
        Notification.objects.filter(recipient=cast.referrer, kind="consultations.outcome_reminder").count()
        == 2
    )


@pytest.mark.parametrize(
    ("clinical", "field"),
    [
        ({"systolic_bp": 20}, "systolic_bp"),
        ({"pupil_left_mm": 12}, "pupil_left_mm"),
        ({"oxygen_saturation": 130}, "oxygen_saturation"),
        ({"age_unit": "months", "age_value": 40}, "age_value"),
        ({"age_unit": "years", "age_value": 1}, "age_value"),
        ({"diastolic_bp": 140}, "diastolic_bp"),
        ({"gcs_eye": "9"}, "gcs_eye"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(cast, make_case, clinical, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_case(clinical=clinical)
    assert field in refused.value.message_dict
    assert not Case.objects.exists()


def test_a_future_injury_time_is_refused(cast, make_case):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="future"):
        make_case(clinical={"injury_at": timezone.now() + timedelta(days=1)})


def test_a_taken_case_code_is_replaced_not_refused(cast, make_case, monkeypatch):
    from consultations import models as case_models
    from consultations.actions import drafting as case_actions

    monkeypatch.setattr(case_models.secrets, "choice", lambda alphabet: "2")  # every new code is ND-2222222
    first = make_case()
    monkeypatch.setattr(case_actions, "new_case_code", lambda: "ND-FRESH23")
    second = make_case()
    assert first.code == "ND-2222222" and second.code == "ND-FRESH23"
    assert Case.objects.count() == 2
