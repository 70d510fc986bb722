"""Certificates for a session: issued by the organising institution's coordinators to everyone
marked as having attended, once the session has ended; never twice, never to those who did not
come; in each holder's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts import actions as accounts
from core.errors import ActionError
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.certificates import actions
from training.certificates.models import Certificate, Kind
from training.certificates.printing import certificate_pdf
from training.certificates.tests.world import pdf_text
from training.sessions import actions as sessions
from training.sessions.tests.world import attended, move_back, planned

pytestmark = pytest.mark.django_db


def held_with(cast, came, stayed_away=(), trainers=None):
    """A lecture the people in `came` attended (all registered beforehand), held yesterday,
    taught by the referring doctor in Mwanza unless `trainers` says otherwise."""
    session = planned(cast, title="Raised ICP lecture", trainers=trainers or [cast.referrer])
    registrations = {
        person: sessions.register(person, session, "resident") for person in [*came, *stayed_away]
    }
    move_back(session)
    sessions.take_attendance(cast.coordinator, session, {registrations[person].pk for person in came})
    return session, registrations


def test_those_who_attended_get_a_certificate_each_in_their_language(cast):
    accounts.update_profile(cast.consultant_china, {"preferred_language": "zh-hans"})
    session, registrations = held_with(cast, [cast.trainee, cast.consultant_china], [cast.researcher])
    no_show = registrations[cast.researcher]
    issued = actions.issue_for_session(cast.coordinator, session)
    assert {c.holder for c in issued} == {cast.trainee, cast.consultant_china}
    assert not Certificate.objects.filter(holder=no_show.participant).exists()
    chinese = next(c for c in issued if c.holder == cast.consultant_china)
    assert chinese.kind == Kind.SESSION and chinese.session == session and chinese.language == "zh-hans"
    assert chinese.title_en.startswith("Attended the training session “Raised ICP lecture”")
    assert "Raised ICP lecture" in chinese.title_zh_hans and "参加" in chinese.title_zh_hans
    assert "参训证书" in pdf_text(certificate_pdf(chinese))


def test_issuing_again_certifies_only_those_marked_since(cast):
    session, registrations = held_with(cast, [cast.trainee], [cast.neurosurgeon])
    actions.issue_for_session(cast.coordinator, session)
    with pytest.raises(ActionError) as refused:
        actions.issue_for_session(cast.coordinator, session)
    assert refused.value.code == "duplicate" and "already has a certificate" in str(refused.value.message)
    # The list corrected: the neurosurgeon did come.
    sessions.take_attendance(cast.coordinator, session, {r.pk for r in registrations.values()})
    assert [c.holder for c in actions.issue_for_session(cast.coordinator, session)] == [cast.neurosurgeon]
    assert Certificate.objects.filter(session=session).count() == 2


def test_a_session_not_ended_or_without_attendance_is_refused_with_the_reason(cast):
    coming = planned(cast)
    with pytest.raises(ActionError) as refused:
        actions.issue_for_session(cast.coordinator, coming)
    assert refused.value.code == "not_ended"
    move_back(coming, days=2)
    with pytest.raises(ActionError) as refused:
        actions.issue_for_session(cast.coordinator, coming)
    assert refused.value.code == "no_attendance" and "take the attendance first" in str(refused.value.message)
    assert not Certificate.objects.exists()


def test_only_the_organising_institutions_coordinators_issue(cast):
    session = attended(cast, cast.trainee).session
    for person in (cast.outsider_coordinator, cast.consultant_china, cast.trainee, cast.admin):
        with pytest.raises(PermissionDenied):
            actions.issue_for_session(person, session)
    assert not Certificate.objects.exists()


def test_the_coordinator_issues_from_the_page_and_is_told_how_many(client, cast):
    session = attended(cast, cast.trainee).session
    sign_in(client, cast.coordinator)
    page = client.get("/training/certificates/issued/").content.decode()
    assert "Raised ICP lecture" in page and f"/training/certificates/sessions/{session.pk}/" in page
    response = client.post(f"/training/certificates/sessions/{session.pk}/", follow=True)
    assert "1 certificate issued" in response.content.decode()
    again = client.post(f"/training/certificates/sessions/{session.pk}/", follow=True)
    assert "already has a certificate" in again.content.decode()
    assert Certificate.objects.count() == 1


def test_the_api_issues_for_a_session(cast):
    session = attended(cast, cast.trainee).session
    answer = call(bearer_client(cast.coordinator), "post", f"/training/sessions/{session.pk}/certificates")
    assert answer.status_code == 201 and [c["holder"] for c in answer.json()] == ["Amani Kileo"]
    again = call(bearer_client(cast.coordinator), "post", f"/training/sessions/{session.pk}/certificates")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
