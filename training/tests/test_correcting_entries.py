"""A trainee corrects an entry before it is decided, or after the supervisor queried it: what it
said before is kept and shown, a queried entry goes back to the queue, and nothing decided can be
changed. Checked as a new entry is (stage codes, dates, identifiers)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F

from core.errors import ActionError, FieldErrors
from core.models import AuditEntry, Notification
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import EntryRevision, EntryStatus, LogbookEntry, Procedure
from training.tests.world import entry_data, logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def page_form(cast, world, entry, **changes):
    return {
        "enrolment": world.enrolment.pk,
        "performed_on": entry.performed_on.isoformat(),
        "institution": entry.institution_id,
        "urgency": entry.urgency,
        "age_band": entry.age_band,
        "sex": entry.sex,
        "diagnosis": entry.diagnosis,
        "procedures": [p.pk for p in entry.procedures.all()],
        "supervision": entry.supervision,
        "supervisor": entry.supervisor_id,
    } | changes


def api_body(cast, world, entry, **changes):
    """The entry as the API takes it, urgent instead of elective, with `changes`."""
    return {
        "enrolment": world.enrolment.pk,
        "performed_on": entry.performed_on.isoformat(),
        "institution": "MOI",
        "urgency": "urgent",
        "age_band": "0-1",
        "sex": "female",
        "diagnosis": "Congenital hydrocephalus",
        "procedures": ["vp-shunt"],
        "supervision": "S-TU",
        "supervisor": cast.neurosurgeon.pk,
    } | changes


def test_a_queried_entry_corrected_goes_back_to_the_supervisor_with_what_it_said_before(cast, world):
    entry = logged(cast, world)
    actions.validate_entry(cast.neurosurgeon, entry, "query", "Were you not assisting?")
    corrected = actions.correct_entry(
        cast.trainee,
        entry,
        entry_data(cast, world, supervision="A", diagnosis="Post-haemorrhagic hydrocephalus"),
        "I assisted; the trainer did the shunt.",
    )
    assert corrected.status == EntryStatus.PENDING
    assert (corrected.supervision, corrected.diagnosis) == ("A", "Post-haemorrhagic hydrocephalus")
    (revision,) = EntryRevision.objects.filter(entry=entry)
    assert revision.before == {"diagnosis": "Congenital hydrocephalus", "supervision": "S-TU"}
    assert revision.after == {"diagnosis": "Post-haemorrhagic hydrocephalus", "supervision": "A"}
    assert [c.text for c in corrected.comments.all()][-1] == "I assisted; the trainer did the shunt."
    assert AuditEntry.objects.filter(action="training.entry_corrected", object_id=str(entry.pk)).exists()
    told = Notification.objects.get(recipient=cast.neurosurgeon, kind="training.entry_corrected")
    assert f"#{entry.pk}" in told.text
    assert actions.validate_entry(cast.neurosurgeon, corrected, "confirm").status == EntryStatus.CONFIRMED


def test_procedures_changed_are_kept_as_codes_and_shown_by_name(cast, world):
    entry = logged(cast, world)
    actions.correct_entry(
        cast.trainee, entry, entry_data(cast, world, procedures=[Procedure.objects.get(code="etv")])
    )
    (revision,) = EntryRevision.objects.filter(entry=entry)
    assert revision.before == {"procedures": ["vp-shunt"]} and revision.after == {"procedures": ["etv"]}
    ((label, before, after),) = revision.changes()
    assert label == "procedures"
    assert before == Procedure.objects.get(code="vp-shunt").name_en
    assert after == Procedure.objects.get(code="etv").name_en


def test_nothing_changed_is_refused_and_nothing_is_kept(cast, world):
    entry = logged(cast, world)
    with pytest.raises(FieldErrors) as refused:
        actions.correct_entry(cast.trainee, entry, entry_data(cast, world, performed_on=entry.performed_on))
    assert refused.value.errors[0]["field"] == "note"
    assert not EntryRevision.objects.exists()


def test_a_decided_entry_cannot_be_corrected(cast, world):
    entry = logged(cast, world)
    actions.validate_entry(cast.neurosurgeon, entry, "confirm")
    with pytest.raises(ActionError) as refused:
        actions.correct_entry(cast.trainee, entry, entry_data(cast, world, diagnosis="Changed later"))
    assert refused.value.code == "decided"
    assert LogbookEntry.objects.get(pk=entry.pk).diagnosis == "Congenital hydrocephalus"


def test_only_the_trainee_corrects_and_the_checks_of_a_new_entry_apply(cast, world):
    entry = logged(cast, world)
    with pytest.raises(PermissionDenied):
        actions.correct_entry(cast.neurosurgeon, entry, entry_data(cast, world, diagnosis="X"))
    with pytest.raises(FieldErrors) as refused:
        actions.correct_entry(
            cast.trainee,
            entry,
            entry_data(cast, world, supervision="T", reflection="Call the mother on 0754 123 456"),
            "Phone 0754 123 456",
        )
    fields = {error["field"] for error in refused.value.errors}
    assert fields == {"supervision", "reflection", "note"}
    assert LogbookEntry.objects.get(pk=entry.pk).supervision == "S-TU"


def test_the_trainee_corrects_it_on_the_page_and_the_supervisor_sees_what_changed(cast, world, client):
    entry = logged(cast, world)
    actions.validate_entry(cast.neurosurgeon, entry, "query", "Which side?")
    trainee = sign_in(client, cast.trainee)
    detail = trainee.get(f"/training/entries/{entry.pk}/").content.decode()
    assert f"/training/entries/{entry.pk}/correct/" in detail
    opened = trainee.get(f"/training/entries/{entry.pk}/correct/")
    assert opened.status_code == 200 and opened.context["form"]["diagnosis"].value() == entry.diagnosis
    sent = trainee.post(
        f"/training/entries/{entry.pk}/correct/",
        page_form(cast, world, entry, diagnosis="Right chronic subdural haematoma", note="Right side."),
    )
    assert sent.status_code == 302
    assert LogbookEntry.objects.get(pk=entry.pk).status == EntryStatus.PENDING
    supervisor = sign_in(client, cast.neurosurgeon)
    seen = supervisor.get(f"/training/entries/{entry.pk}/").content.decode()
    assert "Congenital hydrocephalus</del>" in seen and "Right chronic subdural haematoma</ins>" in seen
    assert "<dt>Trainee's part</dt>" in seen and "Your part" not in seen


def test_a_refused_correction_keeps_what_was_typed(cast, world, client):
    entry = logged(cast, world)
    trainee = sign_in(client, cast.trainee)
    refused = trainee.post(
        f"/training/entries/{entry.pk}/correct/",
        page_form(cast, world, entry, diagnosis="SDH, file no 123456", performed_on="1990-05-01"),
    )
    assert refused.status_code == 422
    form = refused.context["form"]
    assert form["diagnosis"].value() == "SDH, file no 123456"
    assert set(form.errors) == {"diagnosis", "performed_on"}
    assert LogbookEntry.objects.get(pk=entry.pk).diagnosis == "Congenital hydrocephalus"


def test_the_api_corrects_it_and_refuses_it_once_decided(cast, world):
    entry = logged(cast, world)
    api = bearer_client(cast.trainee)
    body = api_body(cast, world, entry, note="It was urgent.")
    answer = api.put(f"/api/v1/training/entries/{entry.pk}", body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["urgency"] == "urgent"
    actions.validate_entry(cast.neurosurgeon, entry, "confirm")
    again = api.put(
        f"/api/v1/training/entries/{entry.pk}",
        body | {"urgency": "elective"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert LogbookEntry.objects.get(pk=entry.pk).urgency == "urgent"


def test_a_date_before_the_enrolment_is_refused_with_the_start_date(cast, world):
    with pytest.raises(FieldErrors) as refused:
        logged(cast, world, performed_on=date(1990, 5, 1))
    (error,) = refused.value.errors
    assert error["field"] == "performed_on" and "2025" in error["message"]


def test_the_form_offers_only_the_codes_the_trainees_stage_allows(cast, world, client):
    page = sign_in(client, cast.trainee).get("/training/entries/new/")
    offered = [value for value, _label in page.context["form"].fields["supervision"].choices if value]
    assert offered == list(world.enrolment.stage.allowed_codes)


def test_a_query_sent_without_a_comment_keeps_the_choice_and_says_why(cast, world, client):
    entry = logged(cast, world)
    supervisor = sign_in(client, cast.neurosurgeon)
    refused = supervisor.post(f"/training/entries/{entry.pk}/validate/", {"decision": "query", "comment": ""})
    assert refused.status_code == 422
    form = refused.context["decision_form"]
    assert form["decision"].value() == "query" and "comment" in form.errors
    (radio,) = re.findall(r'<input[^>]*value="query"[^>]*>', refused.content.decode())
    assert "checked" in radio
    assert LogbookEntry.objects.get(pk=entry.pk).status == EntryStatus.PENDING


def test_a_decision_on_a_version_the_trainee_corrected_since_is_refused(cast, world, client):
    entry = logged(cast, world)
    supervisor = sign_in(client, cast.neurosurgeon)
    seen = supervisor.get(f"/training/entries/{entry.pk}/").context["decision_form"]["revision"].value()
    actions.correct_entry(cast.trainee, entry, entry_data(cast, world, supervision="P"))
    answer = supervisor.post(
        f"/training/entries/{entry.pk}/validate/", {"decision": "confirm", "revision": seen}
    )
    assert answer.status_code == 409  # the entry again, as it is now, with the message
    assert "corrected this entry after you opened it" in answer.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING and entry.supervision == "P"
    # Read again, it can be decided.
    fresh = answer.context["decision_form"]["revision"].value()
    supervisor.post(f"/training/entries/{entry.pk}/validate/", {"decision": "confirm", "revision": fresh})
    assert LogbookEntry.objects.get(pk=entry.pk).status == EntryStatus.CONFIRMED


def test_confirming_several_refuses_the_batch_when_one_was_corrected_since_the_queue_was_read(
    cast, world, client
):
    first, second = logged(cast, world), logged(cast, world, diagnosis="Chronic subdural haematoma")
    supervisor = sign_in(client, cast.neurosurgeon)
    html = supervisor.get("/training/queue/").content.decode()
    seen = dict(re.findall(r'name="revision_(\d+)" value="(\d+)"', html))
    assert set(seen) == {str(first.pk), str(second.pk)}
    actions.correct_entry(cast.trainee, second, entry_data(cast, world, supervision="P"))
    supervisor.post(
        "/training/queue/",
        {"entries": [first.pk, second.pk], **{f"revision_{pk}": value for pk, value in seen.items()}},
    )
    assert set(LogbookEntry.objects.values_list("status", flat=True)) == {EntryStatus.PENDING}


def test_the_api_refuses_a_decision_on_a_stale_revision(cast, world):
    entry = logged(cast, world)
    api = bearer_client(cast.neurosurgeon)
    (listed,) = api.get("/api/v1/training/queue").json()
    actions.correct_entry(cast.trainee, entry, entry_data(cast, world, supervision="P"))
    answer = api.post(
        f"/api/v1/training/entries/{entry.pk}/validation",
        {"decision": "confirm", "revision": listed["revision"]},
        content_type="application/json",
    )
    assert answer.status_code == 409 and answer.json()["code"] == "changed"


def test_over_long_free_text_is_refused_with_its_length_before_any_check_reads_it(cast, world):
    with pytest.raises(FieldErrors) as refused:
        logged(cast, world, reflection="x" * 2001, complications="Juma Hamisi " * 20_000)
    messages = {error["field"]: error["message"] for error in refused.value.errors}
    assert set(messages) == {"reflection", "complications"}
    assert "2,001" in messages["reflection"] and "2,000" in messages["reflection"]
    api = bearer_client(cast.trainee)
    entry = logged(cast, world)
    body = api_body(cast, world, entry, complications="x" * 200_000)
    answer = api.put(f"/api/v1/training/entries/{entry.pk}", body, content_type="application/json")
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["detail"]] == ["complications"]


def test_a_refused_decision_keeps_the_comment_and_a_page_without_the_revision_decides_nothing(
    cast, world, client
):
    entry = logged(cast, world)
    supervisor = sign_in(client, cast.neurosurgeon)
    actions.correct_entry(cast.trainee, entry, entry_data(cast, world, supervision="P"))
    refused = supervisor.post(
        f"/training/entries/{entry.pk}/validate/",
        {"decision": "query", "comment": "Were you really alone?", "revision": 0},
    )
    assert refused.status_code == 409
    form = refused.context["decision_form"]
    assert form["comment"].value() == "Were you really alone?" and form["revision"].value() == 1
    unread = supervisor.post(f"/training/entries/{entry.pk}/validate/", {"decision": "confirm"})
    assert unread.status_code == 409
    queue = supervisor.post("/training/queue/", {"entries": [entry.pk]}, follow=True)
    assert f"#{entry.pk}" in queue.content.decode()
    assert LogbookEntry.objects.get(pk=entry.pk).status == EntryStatus.PENDING


def test_the_time_to_a_decision_reads_the_right_way_round(cast, world, client):
    entry = logged(cast, world)
    actions.validate_entry(cast.neurosurgeon, entry, "confirm")
    quick = sign_in(client, cast.trainee).get(f"/training/entries/{entry.pk}/").content.decode()
    assert "decided less than a minute after logging" in quick
    LogbookEntry.objects.filter(pk=entry.pk).update(
        created_at=F("validated_at") - timedelta(hours=3), time_to_validation=timedelta(hours=3)
    )
    assert "decided 3\xa0hours after logging" in client.get(f"/training/entries/{entry.pk}/").content.decode()
