"""The coordinators' board stays fast as the history grows (issue 11): it reads the ids of the open
cases a coordinator looks after through the indexes of each way of seeing a case, then a page of
those cases by primary key, as long as the inbox's page, the nearest deadline first."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts import actions as account_actions
from accounts.models import Role
from consultations import actions
from consultations.access import case_access
from consultations.models import Case
from consultations.queries import open_case_ids_visible_to, open_cases_visible_to
from consultations.views import lists
from neurodaraja.testing.cases import answered, assigned_to_china
from neurodaraja.testing.personas import EVERYONE, PASSWORD, sign_in


def test_the_open_case_ids_are_those_of_the_open_cases_for_every_persona(cast, make_case):
    assigned_to_china(cast, make_case)
    answered(cast, make_case)
    closed = make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, closed), cast.coordinator, "Duplicate")
    qilu = account_actions.create_person(
        email="wang.fang@example.test", full_name="Wang Fang", password=PASSWORD
    )
    account_actions.add_role(cast.admin, qilu, cast.institutions["QILU"], Role.COORDINATOR)
    qilu.forget_memberships()
    for person in [getattr(cast, name) for name in EVERYONE] + [qilu]:
        expected = set(open_cases_visible_to(person).values_list("pk", flat=True))
        assert set(open_case_ids_visible_to(person)) == expected, person.email
    assert closed.pk not in set(open_case_ids_visible_to(cast.coordinator))


def test_the_board_pages_like_the_inbox_nearest_deadline_first(cast, make_case, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    later, soonest, middle = make_case(send=True), make_case(send=True), make_case(send=True)
    now = timezone.now()
    for case, hours in [(later, 9), (soonest, 1), (middle, 5)]:
        Case.objects.filter(pk=case.pk).update(deadline=now + timedelta(hours=hours))
    client = sign_in(Client(), cast.coordinator)
    first = client.get("/consultations/board/")
    assert [c.code for c in first.context["page"].object_list] == [soonest.code, middle.code]
    second = client.get("/consultations/board/", {"page": 2})
    assert [c.code for c in second.context["page"].object_list] == [later.code]


def test_the_board_shows_no_closed_case_and_none_of_another_institution(cast, make_case):
    sent, closed = make_case(send=True), make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, closed), cast.coordinator, "Duplicate")
    page = sign_in(Client(), cast.coordinator).get("/consultations/board/").content.decode()
    assert sent.code in page and closed.code not in page
    other = sign_in(Client(), cast.outsider_coordinator).get("/consultations/board/").content.decode()
    assert sent.code not in other
