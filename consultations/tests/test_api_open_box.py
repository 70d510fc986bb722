"""The API's case list knows the coordinators' "open" list, as the pages do (issue 11): the open
cases they look after, not the closed ones, and nothing another institution's coordinator may not see."""

from __future__ import annotations

from consultations import actions
from consultations.access import case_access

BASE = "/api/v1"


def codes(client, box: str) -> list[str]:
    response = client.get(f"{BASE}/cases", {"box": box})
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_a_coordinator_lists_the_open_cases_they_look_after_and_not_the_closed(cast, api, make_case):
    sent, closed = make_case(send=True), make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, closed), cast.coordinator, "Duplicate")
    listed = codes(api(cast.coordinator), "open")
    assert sent.code in listed
    assert closed.code not in listed


def test_another_institutions_coordinator_does_not_see_the_case_in_their_open_list(cast, api, make_case):
    case = make_case(send=True)
    assert case.code not in codes(api(cast.outsider_coordinator), "open")


def test_an_unknown_list_is_still_refused_with_422_naming_the_field(cast, api):
    response = api(cast.coordinator).get(f"{BASE}/cases", {"box": "nonsense"})
    assert response.status_code == 422
    assert "box" in response.content.decode()
