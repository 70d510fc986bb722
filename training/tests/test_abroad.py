"""Entries recorded abroad (a Tanzanian trainee operating at Qilu Hospital, China): the host
surgeon named on the entry validates it, though not one of the enrolment's supervisors; then a
coordinator of the home programme recognises it, with an audit entry. Until then progress shows it
as validated abroad, waiting for recognition, and it counts toward no requirement."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ActionError, FieldErrors
from core.models import AuditEntry, Notification
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import EntryStatus
from training.progress import progress_of, side_by_side
from training.tests.world import entry_data, logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def abroad(cast, world, **changes):
    return logged(
        cast, world, institution=cast.institutions["QILU"], supervisor=cast.consultant_china, **changes
    )


def test_an_entry_in_china_is_validated_by_the_host_consultant_named_on_it(cast, world):
    entry = abroad(cast, world)
    assert entry.abroad and entry.status == EntryStatus.PENDING
    decided = actions.validate_entry(cast.consultant_china, entry, "confirm")
    assert decided.status == EntryStatus.ABROAD and decided.validated_at is not None
    assert decided.time_to_validation is not None  # kept for the indicators, as at home


def test_at_home_a_surgeon_who_is_not_a_named_supervisor_is_still_refused(cast, world):
    with pytest.raises(FieldErrors) as refused:
        actions.log_entry(cast.trainee, entry_data(cast, world, supervisor=cast.consultant_china))
    assert refused.value.errors[0]["field"] == "supervisor"


def test_abroad_the_host_supervisor_must_belong_to_the_host_hospital(cast, world):
    # The coordinator is neither a supervisor nor a consultant at Qilu, nor a named supervisor.
    with pytest.raises(FieldErrors) as refused:
        actions.log_entry(
            cast.trainee,
            entry_data(cast, world, institution=cast.institutions["QILU"], supervisor=cast.coordinator),
        )
    message = refused.value.errors[0]["message"]
    assert "Qilu Hospital" in message and "supervisor or consultant" in message


def test_a_named_supervisor_may_still_validate_an_entry_abroad(cast, world):
    entry = logged(cast, world, institution=cast.institutions["QILU"])
    assert entry.abroad
    assert actions.validate_entry(cast.neurosurgeon, entry, "confirm").status == EntryStatus.ABROAD


def test_the_home_programmes_coordinator_recognises_it_and_only_then_it_counts(cast, world):
    entries = [abroad(cast, world, supervision="S-TU") for _ in range(3)]
    for entry in entries:
        actions.validate_entry(cast.consultant_china, entry, "confirm")
    progress = progress_of(world.enrolment)
    assert progress["awaiting_recognition"] == 3
    assert progress["overall"].validated == 0
    (csf,) = progress["groups"]
    assert not csf.requirements[0].met and csf.requirements[0].tally.validated == 0
    for entry in entries:
        actions.recognise_entry(cast.coordinator, entry)
    progress = progress_of(world.enrolment)
    assert progress["awaiting_recognition"] == 0 and progress["overall"].validated == 3
    assert progress["groups"][0].requirements[0].met
    recognised = entries[0].__class__.objects.get(pk=entries[0].pk)
    assert recognised.recognised_by == cast.coordinator and recognised.recognised_at is not None
    assert AuditEntry.objects.filter(action="training.entry_recognised").count() == 3
    told = Notification.objects.filter(recipient=cast.trainee, kind="training.entry_recognised")
    assert told.count() == 3 and "now counts" in told[0].text
    with pytest.raises(ActionError) as again:
        actions.recognise_entry(cast.coordinator, entries[0])
    assert again.value.code == "already_recognised"
    (row,) = side_by_side(world.programme, actions.local_today(cast.coordinator))
    assert row.requirements_met == 1


def test_who_may_recognise(cast, world):
    entry = abroad(cast, world)
    actions.validate_entry(cast.consultant_china, entry, "confirm")
    for person in (cast.trainee, cast.consultant_china, cast.neurosurgeon, cast.outsider_coordinator):
        with pytest.raises(PermissionDenied):
            actions.recognise_entry(person, entry)
    assert entry.__class__.objects.get(pk=entry.pk).status == EntryStatus.ABROAD


def test_an_entry_not_yet_validated_abroad_or_at_home_cannot_be_recognised(cast, world):
    waiting = abroad(cast, world)
    with pytest.raises(ActionError) as refused:
        actions.recognise_entry(cast.coordinator, waiting)
    assert refused.value.code == "not_validated_abroad"
    home = logged(cast, world)
    actions.validate_entry(cast.neurosurgeon, home, "confirm")
    with pytest.raises(ActionError):
        actions.recognise_entry(cast.coordinator, home)


def test_the_host_consultant_finds_it_in_their_queue_and_decides_on_the_page(cast, world, client):
    entry = abroad(cast, world)
    host = sign_in(client, cast.consultant_china)
    assert entry.pk in [e.pk for e in host.get("/training/queue/").context["entries"]]
    answer = host.post(
        f"/training/entries/{entry.pk}/validate/", {"decision": "confirm", "revision": entry.revision}
    )
    assert answer.status_code == 302
    assert entry.__class__.objects.get(pk=entry.pk).status == EntryStatus.ABROAD


def test_the_coordinator_sees_it_waiting_and_recognises_it_on_the_page(cast, world, client):
    entry = abroad(cast, world)
    actions.validate_entry(cast.consultant_china, entry, "confirm")
    coordinator = sign_in(client, cast.coordinator)
    assert f'/training/entries/{entry.pk}/"' in coordinator.get("/training/").content.decode()
    assert (
        f"/training/entries/{entry.pk}/recognise/"
        in coordinator.get(f"/training/entries/{entry.pk}/").content.decode()
    )
    assert coordinator.post(f"/training/entries/{entry.pk}/recognise/").status_code == 302
    assert entry.__class__.objects.get(pk=entry.pk).status == EntryStatus.CONFIRMED
    again = coordinator.post(f"/training/entries/{entry.pk}/recognise/", follow=True)
    assert "already been recognised" in again.content.decode()


def test_the_api_recognises_and_refuses_who_may_not(cast, world):
    entry = abroad(cast, world)
    actions.validate_entry(cast.consultant_china, entry, "confirm")
    url = f"/api/v1/training/entries/{entry.pk}/recognition"
    assert bearer_client(cast.trainee).post(url).status_code == 403
    assert bearer_client(cast.outsider_coordinator).post(url).status_code == 404
    answer = bearer_client(cast.coordinator).post(url)
    assert answer.status_code == 200 and answer.json()["status"] == "confirmed"
    assert bearer_client(cast.coordinator).post(url).status_code == 409
