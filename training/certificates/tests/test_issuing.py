"""Issuing a milestone certificate and revoking it, through the actions: who may, when the
milestone is reached, and what is refused with a clear message (nothing issued twice)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts import actions as accounts
from core.errors import ActionError, FieldErrors
from core.models import AuditEntry, Notification
from training import actions as logbook
from training.certificates import actions
from training.certificates.models import Certificate, Kind
from training.certificates.tests.world import year_one
from training.models import LogbookEntry, Programme
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_a_stage_the_trainee_has_moved_past_is_certified_in_the_three_languages(cast, world):
    certificate = actions.issue_milestone(cast.coordinator, world.enrolment, world.first_year)
    assert certificate.kind == Kind.MILESTONE
    assert certificate.holder == cast.trainee and certificate.holder_name == "Amani Kileo"
    assert certificate.title_en == "Completed Year 1 of the programme MMed Neurosurgery"
    assert "Mwaka wa 1" in certificate.title_sw and "MMed Upasuaji wa Ubongo" in certificate.title_sw
    assert "第一年" in certificate.title_zh_hans and "神经外科硕士" in certificate.title_zh_hans
    assert certificate.language == "en" and certificate.institution == cast.institutions["MOI"]
    entry = AuditEntry.objects.get(action="training.certificate_issued")
    assert entry.actor == cast.coordinator and entry.detail["certificate"] == certificate.shown_code
    assert Notification.objects.filter(recipient=cast.trainee, kind="training.certificate_issued").exists()


def test_the_certificate_is_in_the_holders_language(cast, world):
    accounts.update_profile(cast.trainee, {"preferred_language": "zh-hans"})
    certificate = year_one(cast, world)
    assert certificate.language == "zh-hans"
    assert certificate.holder_title == certificate.title_zh_hans


def test_the_stage_the_trainee_is_still_in_is_refused_with_the_reason(cast, world):
    with pytest.raises(ActionError) as refused:
        actions.issue_milestone(cast.coordinator, world.enrolment, world.second_year)
    assert refused.value.code == "not_met" and refused.value.status == 409
    assert "has not completed Year 2 yet: they are at Year 2" in str(refused.value.message)
    assert not Certificate.objects.exists()


def test_the_programme_is_refused_until_every_requirement_is_met_with_validated_entries(cast, world):
    with pytest.raises(ActionError) as refused:
        actions.issue_milestone(cast.coordinator, world.enrolment)
    assert "at S-TU: 0 of 3 validated" in str(refused.value.message)
    for _ in range(3):
        logged(cast, world)
    with pytest.raises(ActionError, match="0 of 3 validated"):  # logged, not validated yet
        actions.issue_milestone(cast.coordinator, world.enrolment)
    for pending in LogbookEntry.objects.filter(enrolment=world.enrolment):
        logbook.validate_entry(cast.neurosurgeon, pending, "confirm")
    certificate = actions.issue_milestone(cast.coordinator, world.enrolment)
    assert certificate.stage is None
    assert certificate.title_en == "Completed the programme MMed Neurosurgery"


def test_issuing_twice_gives_one_certificate_and_says_which(cast, world):
    first = year_one(cast, world)
    with pytest.raises(ActionError) as refused:
        year_one(cast, world)
    assert refused.value.code == "duplicate"
    assert first.shown_code in str(refused.value.message)
    assert Certificate.objects.count() == 1


def test_only_the_coordinators_of_the_programmes_institution_issue(cast, world):
    for person in (cast.outsider_coordinator, cast.trainee, cast.neurosurgeon, cast.admin):
        with pytest.raises(PermissionDenied):
            actions.issue_milestone(person, world.enrolment, world.first_year)
    assert not Certificate.objects.exists()


def test_a_stage_of_another_programme_is_refused(cast, world):
    other = Programme.objects.create(
        code="short",
        name_en="Short course",
        name_sw="Kozi fupi",
        name_zh_hans="短期课程",
        institution=cast.institutions["MOI"],
    )
    stage = other.stages.create(
        position=0, name_en="Part 1", name_sw="Sehemu 1", name_zh_hans="第一部分", allowed_codes=["O"]
    )
    with pytest.raises(ActionError, match="another programme"):
        actions.issue_milestone(cast.coordinator, world.enrolment, stage)


def test_revoking_needs_a_reason_and_tells_the_holder(cast, world):
    certificate = year_one(cast, world)
    with pytest.raises(FieldErrors) as refused:
        actions.revoke(cast.coordinator, certificate, "   ")
    assert refused.value.errors[0]["field"] == "reason"
    with pytest.raises(FieldErrors) as refused:
        actions.revoke(cast.coordinator, certificate, "x" * 301)
    assert "under 300 characters" in refused.value.errors[0]["message"]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    revoked = actions.revoke(cast.coordinator, certificate, "Issued to the wrong trainee.")
    assert revoked.is_revoked and revoked.revoked_by == cast.coordinator
    assert revoked.revoked_reason == "Issued to the wrong trainee."
    entry = AuditEntry.objects.get(action="training.certificate_revoked")
    assert "wrong trainee" not in str(entry.detail)  # the reason's free text stays off the trail
    assert Notification.objects.filter(recipient=cast.trainee, kind="training.certificate_revoked").exists()


def test_revoking_twice_is_refused_and_keeps_the_first_reason(cast, world):
    certificate = actions.revoke(cast.coordinator, year_one(cast, world), "Wrong stage.")
    with pytest.raises(ActionError) as refused:
        actions.revoke(cast.coordinator, certificate, "Again.")
    assert refused.value.code == "already_revoked"
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Wrong stage."


def test_only_the_issuing_institutions_coordinators_revoke(cast, world):
    certificate = year_one(cast, world)
    for person in (cast.outsider_coordinator, cast.trainee, cast.admin):
        with pytest.raises(PermissionDenied):
            actions.revoke(person, certificate, "No.")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_revoked_milestone_may_be_certified_again_with_a_new_code(cast, world):
    first = actions.revoke(cast.coordinator, year_one(cast, world), "Name misspelt.")
    second = year_one(cast, world)
    assert second.code != first.code and not second.is_revoked
