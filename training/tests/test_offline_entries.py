"""An entry written with no connection is kept on the phone and sent when the link returns:
the server's side. The key made when the form opened comes with it, so the same entry sent twice
(offline then online, a retry after a dropped answer, a double tap) is recorded once, on the page
and in the API; a refusal is answered with its message so the phone can show it and keep the data.
The phone's side (static/js/logbook_offline.js) is tried in a real browser in
test_offline_entry_browser.py."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from core.models import AuditEntry, Notification
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import LogbookEntry, Procedure
from training.tests.world import entry_data, training_world

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def world(cast):
    return training_world(cast)


def form(cast, world, **changes):
    return {
        "enrolment": world.enrolment.pk,
        "performed_on": "2025-06-02",
        "institution": cast.institutions["MOI"].pk,
        "urgency": "emergency",
        "age_band": "16-39",
        "sex": "male",
        "diagnosis": "Extradural haematoma",
        "procedures": [Procedure.objects.get(code="craniotomy-edh").pk],
        "supervision": "S-TU",
        "supervisor": cast.neurosurgeon.pk,
    } | changes


def test_the_same_key_twice_records_one_entry_and_tells_the_supervisor_once(cast, world):
    key = uuid.uuid4()
    first = actions.log_entry(cast.trainee, entry_data(cast, world), client_key=key)
    again = actions.log_entry(cast.trainee, entry_data(cast, world), client_key=key)
    assert again.pk == first.pk and LogbookEntry.objects.count() == 1
    assert AuditEntry.objects.filter(action="training.entry_logged").count() == 1
    assert Notification.objects.filter(kind="training.entry_to_validate").count() == 1


def test_two_entries_with_their_own_keys_are_two_entries(cast, world):
    actions.log_entry(cast.trainee, entry_data(cast, world), client_key=uuid.uuid4())
    actions.log_entry(cast.trainee, entry_data(cast, world), client_key=uuid.uuid4())
    actions.log_entry(cast.trainee, entry_data(cast, world))  # no key: the page without JavaScript
    actions.log_entry(cast.trainee, entry_data(cast, world))
    assert LogbookEntry.objects.count() == 4


def test_the_form_opens_with_a_fresh_key_each_time(cast, world, client):
    signed_in = sign_in(client, cast.trainee)
    keys = {signed_in.get("/training/entries/new/").context["form"]["client_key"].value() for _ in range(2)}
    assert len(keys) == 2 and all(uuid.UUID(str(key)) for key in keys)


def test_the_page_sent_twice_with_one_key_records_one_entry_and_answers_json(cast, world, client):
    signed_in = sign_in(client, cast.trainee)
    key = str(uuid.uuid4())
    first = signed_in.post("/training/entries/new/", form(cast, world, client_key=key), **JSON)
    again = signed_in.post("/training/entries/new/", form(cast, world, client_key=key), **JSON)
    entry = LogbookEntry.objects.get()
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"id": entry.pk, "url": f"/training/entries/{entry.pk}/"}
    assert entry.client_key == uuid.UUID(key)


def test_without_json_asked_the_page_still_redirects_to_the_entry(cast, world, client):
    key = str(uuid.uuid4())
    page = sign_in(client, cast.trainee).post("/training/entries/new/", form(cast, world, client_key=key))
    assert page.status_code == 302 and LogbookEntry.objects.get().client_key == uuid.UUID(key)


def test_a_refusal_is_answered_with_each_fields_label_and_message_in_the_readers_language(
    cast, world, client
):
    cast.trainee.preferred_language = "sw"
    cast.trainee.save()
    refused = sign_in(client, cast.trainee).post(
        "/training/entries/new/", form(cast, world, supervision="T", client_key=str(uuid.uuid4())), **JSON
    )
    assert refused.status_code == 422 and not LogbookEntry.objects.exists()
    [error] = refused.json()["errors"]
    assert error["field"] == "supervision" and "T" in error["message"] and "S-TU" in error["message"]
    assert error["label"] and error["message"] != (
        "Your stage (Year 2) does not allow the code T; it allows O, A, S-TS, S-TU, P."
    )  # in Kiswahili


def test_a_refused_entry_corrected_under_the_same_key_is_then_recorded(cast, world, client):
    signed_in = sign_in(client, cast.trainee)
    key = str(uuid.uuid4())
    tomorrow = actions.local_today(cast.trainee) + timedelta(days=1)
    bad = form(cast, world, performed_on=tomorrow.isoformat(), client_key=key)
    assert signed_in.post("/training/entries/new/", bad, **JSON).status_code == 422
    fixed = signed_in.post("/training/entries/new/", form(cast, world, client_key=key), **JSON)
    assert fixed.status_code == 201 and LogbookEntry.objects.count() == 1


def test_a_key_that_is_not_a_uuid_is_refused_with_a_message(cast, world, client):
    refused = sign_in(client, cast.trainee).post(
        "/training/entries/new/", form(cast, world, client_key="not-a-key"), **JSON
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "client_key"
    assert not LogbookEntry.objects.exists()


def test_one_trainees_key_does_not_return_another_trainees_entry(cast, world):
    key = uuid.uuid4()
    mine = actions.log_entry(cast.trainee, entry_data(cast, world), client_key=key)
    assert actions.entry_with_key(cast.neurosurgeon, key) is None
    assert actions.entry_with_key(cast.trainee, key) == mine


def test_the_api_answers_the_same_idempotency_key_with_the_first_entry(cast, world):
    trainee = bearer_client(cast.trainee)
    body = json.dumps(
        {
            "enrolment": world.enrolment.pk,
            "performed_on": "2025-05-04",
            "institution": "MOI",
            "urgency": "emergency",
            "age_band": "16-39",
            "sex": "male",
            "diagnosis": "Acute subdural haematoma",
            "procedures": ["craniotomy-asdh"],
            "supervision": "S-TU",
            "supervisor": cast.neurosurgeon.pk,
        }
    )
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = trainee.post("/api/v1/training/entries", body, content_type="application/json", **key)
    again = trainee.post("/api/v1/training/entries", body, content_type="application/json", **key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and LogbookEntry.objects.count() == 1
    other = trainee.post("/api/v1/training/entries", body, content_type="application/json")
    assert other.status_code == 201 and LogbookEntry.objects.count() == 2


def test_the_service_worker_is_served_from_the_logbook_for_its_scope(cast, world, client):
    worker = sign_in(client, cast.trainee).get("/training/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("application/javascript")
    text = worker.content.decode()
    assert '"/training/entries/new/"' in text and "/static/js/logbook_offline.js" in text
    assert "no-cache" in worker["Cache-Control"] or "max-age=0" in worker["Cache-Control"]


def test_the_logbook_and_the_form_carry_the_offline_list_with_its_states_translated(cast, world, client):
    cast.trainee.preferred_language = "zh-hans"
    cast.trainee.save()
    signed_in = sign_in(client, cast.trainee)
    for path in ("/training/", "/training/entries/new/"):
        page = signed_in.get(path).content.decode()
        assert 'id="offline-entries"' in page and "js/logbook_offline.js" in page, path
        assert 'data-waiting="Waiting to send"' not in page, path  # in Chinese
