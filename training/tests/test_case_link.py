"""A consultation case whose outcome records an operation here offers an enrolled trainee who
sees it to log the operation: the case page links to the entry form, prefilled with the case
code, the patient's age band and sex, and the operation's date where the reader is shown it
(the referring team); never an identity field."""

from __future__ import annotations

import pytest

from accounts import actions as accounts
from accounts.models import Role
from consultations import actions as consultations
from consultations.access import case_access
from neurodaraja.testing.cases import case_for
from neurodaraja.testing.personas import sign_in
from training import actions
from training.cases import age_band, prefill
from training.tests.world import training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    world = training_world(cast)
    # The trainee refers from Mwanza too: in the case's referring team.
    accounts.add_role(cast.admin, cast.trainee, cast.institutions["SRRH"], Role.REFERRER)
    cast.trainee.forget_memberships()
    return world


def operated(cast, *, management="operated_locally"):
    case = case_for(cast, send=True)
    data = {"management": management, "discharge_status": "home", "gose_discharge": 7}
    if management == "operated_locally":
        data |= {
            "operated_by": "local_surgeon",
            "operation": "Craniotomy and evacuation of an extradural haematoma",
            "operation_date": actions.local_today(cast.referrer),
        }
    consultations.record_outcome(case_access(cast.referrer, case), cast.referrer, data)
    case.refresh_from_db()
    return case


def test_the_case_page_offers_the_enrolled_trainee_to_log_the_operation(cast, world, client):
    case = operated(cast)
    page = sign_in(client, cast.trainee).get(f"/consultations/{case.code}/").content.decode()
    assert f"/training/entries/new/?case={case.code}" in page and "Log this operation" in page


def test_no_offer_when_the_patient_was_not_operated_or_the_reader_is_not_enrolled(cast, world, client):
    conservative = operated(cast, management="conservative")
    page = sign_in(client, cast.trainee).get(f"/consultations/{conservative.code}/").content.decode()
    assert "/training/entries/new/?case=" not in page
    case = operated(cast)
    client.logout()
    referrer_page = sign_in(client, cast.referrer).get(f"/consultations/{case.code}/").content.decode()
    assert "/training/entries/new/?case=" not in referrer_page


def test_the_form_is_prefilled_with_the_code_date_age_band_and_sex_and_nothing_else(cast, world, client):
    case = operated(cast)
    form = sign_in(client, cast.trainee).get(f"/training/entries/new/?case={case.code}").context["form"]
    assert form["case_code"].value() == case.code
    assert form["age_band"].value() == "16-39" and form["sex"].value() == "male"  # 34 years, male
    assert form["performed_on"].value() == case.outcome.operation_date
    assert case.identity.full_name not in str(form.initial)


def test_the_date_is_left_to_the_trainee_where_the_case_does_not_show_it(cast, world):
    case = operated(cast)
    abroad = case_access(cast.consultant_china, case)
    assert not abroad.sees_identity
    assert "performed_on" not in prefill(abroad) and prefill(abroad)["case_code"] == case.code


def test_a_case_the_trainee_may_not_see_is_not_found(cast, world, client):
    case = operated(cast)
    client.logout()
    cast.trainee.memberships.filter(role=Role.REFERRER).delete()
    cast.trainee.forget_memberships()
    assert sign_in(client, cast.trainee).get(f"/training/entries/new/?case={case.code}").status_code == 404


@pytest.mark.parametrize(
    ("value", "unit", "band"),
    [
        (5, "months", "0-1"),
        (11, "months", "0-1"),
        (14, "months", "1-15"),
        (15, "years", "1-15"),
        (16, "years", "16-39"),
        (64, "years", "40-64"),
        (65, "years", "65+"),
        (None, "years", ""),
    ],
)
def test_the_age_becomes_its_band(value, unit, band):
    assert age_band(value, unit) == band
