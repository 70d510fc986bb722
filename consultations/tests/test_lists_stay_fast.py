"""The lists that stay fast as the history grows (issue 11) show exactly what they showed: the
open cases a person may see, gathered with the status applied inside each way of seeing a case,
are the open cases among all they may see, for every persona."""

from __future__ import annotations

from accounts import actions as account_actions
from accounts.models import Role
from consultations import actions
from consultations.access import case_access, cases_visible_to
from consultations.queries import OPEN_STATUSES, open_cases_visible_to
from neurodaraja.testing.cases import answered, assigned_to_china
from neurodaraja.testing.personas import EVERYONE, PASSWORD


def test_open_cases_are_the_open_ones_among_all_a_person_may_see(cast, make_case):
    waiting = assigned_to_china(cast, make_case)
    with_opinion = answered(cast, make_case)
    closed = make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, closed), cast.coordinator, "Duplicate")
    make_case()  # a draft
    qilu = account_actions.create_person(
        email="wang.fang@example.test", full_name="Wang Fang", password=PASSWORD
    )
    account_actions.add_role(cast.admin, qilu, cast.institutions["QILU"], Role.COORDINATOR)
    qilu.forget_memberships()
    people = [getattr(cast, name) for name in EVERYONE] + [qilu]
    for person in people:
        expected = set(
            cases_visible_to(person).filter(status__in=OPEN_STATUSES).values_list("code", flat=True)
        )
        assert set(open_cases_visible_to(person).values_list("code", flat=True)) == expected, person.email
    # And the lists are not empty where work is waiting.
    assert {waiting.code, with_opinion.code} <= set(
        open_cases_visible_to(qilu).values_list("code", flat=True)
    )
    assert closed.code not in set(open_cases_visible_to(cast.coordinator).values_list("code", flat=True))
