"""The named supervisor's queue: confirm, query (the trainee answers) or reject, several at
once, with the time to validation kept, and a reminder for entries left waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from core.errors import ActionError, FieldErrors
from core.models import AuditEntry, Notification
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import EntryStatus, LogbookEntry
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_confirming_keeps_when_and_how_long_it_took(cast, world):
    entry = logged(cast, world)
    LogbookEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(days=3))
    entry.refresh_from_db()
    decided = actions.validate_entry(cast.neurosurgeon, entry, "confirm")
    assert decided.status == EntryStatus.CONFIRMED and decided.validated_at is not None
    assert timedelta(days=3) <= decided.time_to_validation < timedelta(days=3, minutes=1)
    assert decided.validated_within_14_days
    assert AuditEntry.objects.filter(action="training.entry_confirmed", object_id=str(entry.pk)).exists()
    assert Notification.objects.filter(recipient=cast.trainee, kind="training.entry_decided").exists()


def test_only_the_named_supervisor_decides(cast, world):
    entry = logged(cast, world)
    for person in (cast.trainee, cast.coordinator):
        with pytest.raises(PermissionDenied):
            actions.validate_entry(person, entry, "confirm")
    assert LogbookEntry.objects.get().status == EntryStatus.PENDING


def test_a_query_needs_a_comment_and_the_trainees_answer_puts_it_back_in_the_queue(cast, world):
    entry = logged(cast, world)
    with pytest.raises(FieldErrors):
        actions.validate_entry(cast.neurosurgeon, entry, "query", "  ")
    queried = actions.validate_entry(cast.neurosurgeon, entry, "query", "Were you scrubbed alone?")
    assert queried.status == EntryStatus.QUERIED and queried.validated_at is None
    assert Notification.objects.filter(recipient=cast.trainee, kind="training.entry_queried").exists()
    with pytest.raises(ActionError):
        actions.validate_entry(cast.neurosurgeon, queried, "query", "Again?")
    answered = actions.answer_query(cast.trainee, queried, "Yes, you were unscrubbed in the suite.")
    assert answered.status == EntryStatus.PENDING
    assert [c.text for c in answered.comments.all()] == [
        "Were you scrubbed alone?",
        "Yes, you were unscrubbed in the suite.",
    ]


def test_an_answer_without_an_open_question_is_refused(cast, world):
    entry = logged(cast, world)
    with pytest.raises(ActionError) as refused:
        actions.answer_query(cast.trainee, entry, "Nothing was asked.")
    assert refused.value.status == 409 and not entry.comments.exists()


def test_a_rejection_needs_its_reason_and_a_decided_entry_is_not_decided_again(cast, world):
    entry = logged(cast, world)
    rejected = actions.validate_entry(cast.neurosurgeon, entry, "reject", "I was not in theatre that day.")
    assert rejected.status == EntryStatus.REJECTED
    with pytest.raises(ActionError) as refused:
        actions.validate_entry(cast.neurosurgeon, rejected, "confirm")
    assert refused.value.status == 409
    assert LogbookEntry.objects.get().status == EntryStatus.REJECTED


def test_several_entries_are_confirmed_at_once_from_the_queue(cast, world, client):
    entries = [logged(cast, world) for _ in range(3)]
    page = sign_in(client, cast.neurosurgeon).post(
        "/training/queue/",
        {"entries": [e.pk for e in entries[:2]], **{f"revision_{e.pk}": 0 for e in entries}},
    )
    assert page.status_code == 302
    assert list(LogbookEntry.objects.order_by("pk").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "pending",
    ]


@pytest.mark.parametrize(("count", "said"), [(1, "1 entry validated."), (2, "2 entries validated.")])
def test_the_queue_says_how_many_were_validated_in_words_that_agree(cast, world, client, count, said):
    entries = [logged(cast, world) for _ in range(count)]
    english = sign_in(client, cast.neurosurgeon)
    read = {f"revision_{e.pk}": e.revision for e in entries}  # as the queue page sends them
    page = english.post("/training/queue/", {"entries": [e.pk for e in entries], **read}, follow=True)
    assert said in page.content.decode()


def test_a_batch_with_an_entry_not_in_ones_queue_confirms_nothing(cast, world, client):
    mine = logged(cast, world)
    queried = actions.validate_entry(cast.neurosurgeon, logged(cast, world), "query", "Which side?")
    page = sign_in(client, cast.neurosurgeon).post(
        "/training/queue/", {"entries": [mine.pk, queried.pk]}, follow=True
    )
    assert "not waiting for your validation" in page.content.decode()
    assert LogbookEntry.objects.get(pk=mine.pk).status == EntryStatus.PENDING
    forged = client.post("/training/queue/", {"entries": ["1 OR 1=1"]}, follow=True)
    assert "Choose the entries" in forged.content.decode()


def test_the_trainee_cannot_confirm_their_own_entries_from_the_queue(cast, world, client):
    entry = logged(cast, world)
    sign_in(client, cast.trainee).post("/training/queue/", {"entries": [entry.pk]})
    assert LogbookEntry.objects.get().status == EntryStatus.PENDING


def test_the_decision_form_refuses_a_query_without_a_comment(cast, world, client):
    entry = logged(cast, world)
    page = sign_in(client, cast.neurosurgeon).post(
        f"/training/entries/{entry.pk}/validate/", {"decision": "query", "comment": ""}, follow=True
    )
    assert "should correct or explain" in page.content.decode()
    assert LogbookEntry.objects.get().status == EntryStatus.PENDING


def test_supervisors_are_reminded_once_of_entries_waiting_over_a_week(cast, world):
    old = [logged(cast, world) for _ in range(2)]
    logged(cast, world)  # logged today: not yet reminded
    LogbookEntry.objects.filter(pk__in=[e.pk for e in old]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    Notification.objects.all().delete()
    assert actions.remind_supervisors() == 1
    reminder = Notification.objects.get(kind="training.validation_reminder")
    assert reminder.recipient_id == cast.neurosurgeon.pk and reminder.params == {"count": 2}


def test_the_reminder_is_a_periodic_job():
    from core.scheduler import periodic_jobs

    assert "training.remind_supervisors" in [job.name for job in periodic_jobs()]


def test_the_decision_in_a_notification_is_in_the_readers_language_not_the_supervisors(cast, world):
    entry = logged(cast, world)
    cast.trainee.preferred_language = "zh-hans"
    cast.trainee.save(update_fields=["preferred_language"])
    with translation.override("sw"):
        actions.validate_entry(cast.neurosurgeon, entry, "reject", "Not your case.")
    notification = Notification.objects.get(recipient=cast.trainee, kind="training.entry_decided")
    assert notification.params["decision"] == "rejected"
    with translation.override("zh-hans"):
        assert notification.text == f"手术日志记录 #{entry.pk}：已驳回。"
    with translation.override("en"):
        assert notification.text == f"Logbook entry #{entry.pk}: Rejected."
