"""The "Consultations" menu opens each person on the list that holds their work (issue 11): a
consultant abroad on the cases awaiting their answer (their hospital's own list is always empty),
a referring doctor on the hospital's cases, a coordinator on the open cases they look after."""

from __future__ import annotations

from django.test import Client

from accounts import actions as account_actions
from accounts.models import Role
from consultations import actions
from consultations.access import case_access
from neurodaraja.testing.cases import assigned_to_china
from neurodaraja.testing.personas import PASSWORD, sign_in


def opened_on(client: Client) -> tuple[str, str]:
    page = client.get("/consultations/")
    assert page.status_code == 200
    return page.context["box"], page.content.decode()


def test_a_consultant_abroad_opens_on_the_case_waiting_for_them(cast, make_case):
    case = assigned_to_china(cast, make_case)
    box, page = opened_on(sign_in(Client(), cast.consultant_china))
    assert box == "awaiting"
    assert case.code in page
    assert 'href="?box=awaiting" aria-current="page"' in page


def test_a_referrer_opens_on_the_hospitals_cases(cast, make_case):
    draft = make_case()
    box, page = opened_on(sign_in(Client(), cast.referrer))
    assert box == "ours"
    assert draft.code in page


def test_a_coordinator_opens_on_the_open_cases_they_look_after_and_not_the_closed(cast, make_case):
    sent, closed = make_case(send=True), make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, closed), cast.coordinator, "Duplicate")
    box, page = opened_on(sign_in(Client(), cast.coordinator))
    assert box == "open"
    assert sent.code in page and closed.code not in page


def test_a_coordinator_of_the_consultants_hospital_opens_on_their_consultants_open_cases(cast, make_case):
    case = assigned_to_china(cast, make_case)
    coordinator = account_actions.create_person(
        email="wang.fang@example.test", full_name="Wang Fang 王芳", password=PASSWORD
    )
    account_actions.add_role(cast.admin, coordinator, cast.institutions["QILU"], Role.COORDINATOR)
    coordinator.forget_memberships()
    box, page = opened_on(sign_in(Client(), coordinator))
    assert box == "open"
    assert case.code in page


def test_a_person_with_no_list_of_their_own_opens_on_all_they_may_see(cast):
    box, _page = opened_on(sign_in(Client(), cast.trainee))
    assert box == "all"


def test_a_list_named_in_the_address_still_wins_and_an_unknown_one_falls_back(cast, make_case):
    client = sign_in(Client(), cast.consultant_china)
    assert client.get("/consultations/?box=all").context["box"] == "all"
    assert client.get("/consultations/?box=ours").context["box"] == "ours"
    assert client.get("/consultations/?box=open").context["box"] == "awaiting"  # not a coordinator
    assert client.get("/consultations/?box=nonsense").context["box"] == "awaiting"


def test_the_open_list_is_only_for_coordinators_and_shows_only_what_they_may_see(cast, make_case):
    case = make_case(send=True)
    assert (
        case.code
        not in sign_in(Client(), cast.outsider_coordinator).get("/consultations/?box=open").content.decode()
    )
    assert sign_in(Client(), cast.referrer).get("/consultations/?box=open").context["box"] == "ours"
