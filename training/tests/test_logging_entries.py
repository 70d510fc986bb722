"""Logging an operation: what is recorded, and every bad input refused with its message and
nothing saved (issue 12, "Bad input")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import FieldErrors
from core.models import AuditEntry, Notification
from neurodaraja.testing.cases import case_for
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import EntryStatus, LogbookEntry, Procedure
from training.tests.world import entry_data, logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def refused_fields(cast, world, **changes) -> dict[str, str]:
    with pytest.raises(FieldErrors) as refused:
        actions.log_entry(cast.trainee, entry_data(cast, world, **changes))
    assert not LogbookEntry.objects.exists()
    return {error["field"]: error["message"] for error in refused.value.errors}


def test_an_entry_waits_for_its_named_supervisor_who_is_told(cast, world):
    entry = logged(cast, world)
    assert entry.status == EntryStatus.PENDING and entry.validated_at is None
    assert [p.code for p in entry.procedures.all()] == ["vp-shunt"]
    assert (
        Notification.objects.filter(recipient=cast.neurosurgeon, kind="training.entry_to_validate").count()
        == 1
    )
    assert AuditEntry.objects.filter(action="training.entry_logged", object_id=str(entry.pk)).exists()


def test_a_date_in_the_future_is_refused(cast, world):
    tomorrow = actions.local_today(cast.trainee) + timedelta(days=1)
    assert "future" in refused_fields(cast, world, performed_on=tomorrow)["performed_on"]


def test_a_code_the_stage_does_not_allow_is_refused_naming_the_allowed_ones(cast, world):
    message = refused_fields(cast, world, supervision="T")["supervision"]
    assert "Year 2" in message and "T" in message and "S-TU" in message


def test_a_first_year_trainee_may_not_log_an_operation_performed_alone(cast, world):
    world.enrolment.stage = world.first_year
    world.enrolment.save()
    assert "supervision" in refused_fields(cast, world, supervision="P")


def test_the_trainee_cannot_be_their_own_supervising_surgeon(cast, world):
    assert "own entry" in refused_fields(cast, world, supervisor=cast.trainee)["supervisor"]


def test_a_surgeon_who_is_not_a_named_supervisor_is_refused(cast, world):
    assert "named supervisors" in refused_fields(cast, world, supervisor=cast.consultant_china)["supervisor"]


@pytest.mark.parametrize(
    "reflection", ["Mother's phone 0754 123 456 for follow-up", "Admitted 12/03/2025, operated next day"]
)
def test_an_identifier_in_the_reflection_is_refused_and_the_refusal_is_audited(cast, world, reflection):
    assert "identifier" in refused_fields(cast, world, reflection=reflection)["reflection"]
    assert AuditEntry.objects.filter(action="training.entry_refused_identifier").count() == 1


def test_a_case_the_trainee_may_not_see_cannot_be_linked(cast, world):
    case = case_for(cast, send=True)  # referred from Mwanza: not the MOI trainee's case
    assert "case_code" in refused_fields(cast, world, case_code=case.code)


def test_no_procedure_is_refused(cast, world):
    assert "procedures" in refused_fields(cast, world, procedures=[])


def test_the_form_lists_the_trainees_recent_procedures_first(cast, world, client):
    logged(cast, world, procedures=[Procedure.objects.get(code="mmc-repair")])
    page = sign_in(client, cast.trainee).get("/training/entries/new/")
    codes = [str(choice.data["value"]) for choice in page.context["form"]["procedures"]]
    assert codes[0] == str(Procedure.objects.get(code="mmc-repair").pk)


def test_the_form_chooses_no_age_band_sex_urgency_or_part_for_the_trainee(cast, world, client):
    form = sign_in(client, cast.trainee).get("/training/entries/new/").context["form"]
    for name in ("age_band", "sex", "urgency", "supervision"):
        assert form[name].value() in (None, ""), name
        assert list(form.fields[name].choices)[0][0] == "", name
    posted = client.post("/training/entries/new/", {"diagnosis": "Chronic SDH"})
    assert {"age_band", "sex"} <= set(posted.context["form"].errors)


def test_the_page_shows_a_refusal_by_its_field_and_keeps_what_was_typed(cast, world, client):
    tomorrow = actions.local_today(cast.trainee) + timedelta(days=1)
    page = sign_in(client, cast.trainee).post(
        "/training/entries/new/",
        {
            "enrolment": world.enrolment.pk,
            "performed_on": tomorrow.isoformat(),
            "institution": cast.institutions["MOI"].pk,
            "urgency": "emergency",
            "age_band": "16-39",
            "sex": "male",
            "diagnosis": "Extradural haematoma",
            "procedures": [Procedure.objects.get(code="craniotomy-edh").pk],
            "supervision": "S-TU",
            "supervisor": cast.neurosurgeon.pk,
            "reflection": "Quick and clean.",
        },
    )
    assert page.status_code == 200
    assert "cannot be in the future" in page.content.decode()
    assert page.context["form"]["reflection"].value() == "Quick and clean."
    assert not LogbookEntry.objects.exists()


def test_a_trainee_logs_an_entry_on_the_page(cast, world, client):
    page = sign_in(client, cast.trainee).post(
        "/training/entries/new/",
        {
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
            "return_to_theatre": "on",
        },
    )
    entry = LogbookEntry.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/training/entries/{entry.pk}/"
    assert entry.return_to_theatre and not entry.infection and entry.supervision == "S-TU"


def test_duplicating_copies_the_operation_not_the_patients_outcome_or_reflection(cast, world, client):
    first = logged(cast, world, death=True, reflection="Difficult closure.", urgency="emergency")
    page = sign_in(client, cast.trainee).get(f"/training/entries/new/?from={first.pk}")
    form = page.context["form"]
    assert form["urgency"].value() == "emergency" and form["diagnosis"].value() == first.diagnosis
    assert form["supervisor"].value() == cast.neurosurgeon.pk
    assert not form["reflection"].value() and not form["death"].value()
    assert form["performed_on"].value() == actions.local_today(cast.trainee)
    copy = actions.duplicate_entry(cast.trainee, first)
    assert copy.pk != first.pk and not copy.death and copy.reflection == ""
    assert [p.code for p in copy.procedures.all()] == ["vp-shunt"]


def test_someone_elses_entry_cannot_be_duplicated_on_the_page(cast, world, client):
    entry = logged(cast, world)
    other = sign_in(client, cast.neurosurgeon).get(f"/training/entries/new/?from={entry.pk}")
    assert other.status_code == 403  # the supervisor is not enrolled: no logging at all
