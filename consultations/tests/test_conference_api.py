"""Through the API as on the pages: a closed case can be discussed, and those invited read the
summaries of every case on the list; others still get nothing."""

from __future__ import annotations

import json

from consultations import actions
from consultations.access import case_access
from consultations.actions import conferences
from neurodaraja.testing.api_clients import bearer_client


def post(client, path, body):
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def test_a_closed_case_goes_on_a_conference_through_the_api(cast, make_case, meeting):
    case = make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, case), cast.coordinator, "Transferred")
    answer = post(bearer_client(cast.coordinator), f"/conferences/{meeting.pk}/cases", {"case": case.code})
    assert answer.status_code == 200, answer.content
    assert [c["case"] for c in answer.json()["cases"]] == [case.code]


def test_a_draft_is_refused_through_the_api(cast, make_case, meeting):
    draft = make_case()
    answer = post(bearer_client(cast.coordinator), f"/conferences/{meeting.pk}/cases", {"case": draft.code})
    assert answer.status_code == 404
    assert not meeting.items.exists()


def test_those_invited_read_the_summaries_and_strangers_do_not_see_the_conference(cast, make_case, meeting):
    case = make_case(send=True)
    item = conferences.add_case(cast.coordinator, meeting, case)
    conferences.summarise(cast.coordinator, item, "Extradural haematoma, evacuated; good recovery.")
    before = bearer_client(cast.trainee).get(f"/api/v1/conferences/{meeting.pk}")
    assert before.status_code == 404  # not invited yet: the conference is not hers to see
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    body = bearer_client(cast.trainee).get(f"/api/v1/conferences/{meeting.pk}").json()
    assert [c["summary"] for c in body["cases"]] == ["Extradural haematoma, evacuated; good recovery."]
    assert (
        bearer_client(cast.outsider_coordinator).get(f"/api/v1/conferences/{meeting.pk}").status_code == 404
    )
