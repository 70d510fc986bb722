"""The audit trail names the people its entries are about ("Consultant: Li Wen 李文"), not their
ids ("Consultant: 3"), in one question for the whole page."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import actions as account_actions
from core.audit import details_rows
from neurodaraja.testing.cases import assigned_to_china
from neurodaraja.testing.personas import sign_in


def test_the_people_an_entry_is_about_are_named_on_the_audit_page(cast, make_case):
    assigned_to_china(cast, make_case)
    account_actions.update_profile(cast.admin, {"preferred_language": "en"})
    page = sign_in(Client(), cast.admin).get("/audit/").content.decode()
    assert "Li Wen 李文" in page
    assert f": {cast.consultant_china.pk}</span>" not in page


def test_a_page_of_entries_names_its_people_in_one_question(cast):
    people = [cast.referrer, cast.neurosurgeon, cast.consultant_china, cast.trainee]
    details = [{"consultant": p.pk} for p in people] + [{"invitee": p.pk} for p in people]
    with CaptureQueriesContext(connection) as asked:
        rows = details_rows(details)
    assert len(asked) <= 2  # one per key that names people
    assert [row[0][1] for row in rows[:4]] == [p.full_name for p in people]


def test_an_id_nobody_has_any_more_is_shown_as_stored(cast):
    assert details_rows([{"consultant": 987654}])[0][0][1] == "987654"
