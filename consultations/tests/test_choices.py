"""No blank to leave picked: a multiple choice offers none, a required select starts with a
prompt that asks for a choice (and is refused if sent), and who or where starts on the one
choice there is."""

from __future__ import annotations

from django import forms
from django.test import Client

from accounts.models import Institution, User
from consultations import forms as consultation_forms
from consultations.models import Case, Conference
from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in


def _every_form(cast) -> dict[str, forms.BaseForm]:
    people = User.objects.all()
    return {
        "case": consultation_forms.CaseForm(),
        "consent": consultation_forms.ConsentForm(),
        "send": consultation_forms.SendForm(keys=[("history:0", "Amina")]),
        "opinion": consultation_forms.OpinionForm(),
        "outcome": consultation_forms.OutcomeForm(),
        "assign": consultation_forms.AssignForm(consultants=[cast.consultant_china, cast.neurosurgeon]),
        "shift": consultation_forms.ShiftForm(consultants=people),
        "conference": consultation_forms.ConferenceForm(institutions=Institution.objects.all()),
        "conference case": consultation_forms.ConferenceCaseForm(cases=Case.objects.all()),
        "invite": consultation_forms.InviteForm(people=people),
    }


def test_no_multiple_choice_offers_a_blank(cast):
    for name, form in _every_form(cast).items():
        for field_name, field in form.fields.items():
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                values = [str(value) for value, _label in field.choices]
                assert "" not in values, (name, field_name)


def test_a_required_select_asks_for_a_choice_instead_of_dashes(cast):
    english(cast.coordinator)
    seen = 0
    for name, form in _every_form(cast).items():
        for field_name, field in form.fields.items():
            if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
                continue
            labels = [str(label) for _value, label in field.choices]
            assert "---------" not in labels or not field.required, (name, field_name)
            values = [str(value) for value, _label in field.choices]
            # A required select with a blank (no stated default, such as urgency's) asks for a choice.
            if field.required and "" in values:
                assert values.index("") == 0 and labels[0] == "Choose one", (name, field_name)
                seen += 1
    # The category, consent, outcome, assignment, shift and conference selects all were checked.
    assert seen >= 9


def test_the_prompt_is_refused_with_a_clear_message(cast):
    form = consultation_forms.ConferenceCaseForm({"case": ""}, cases=Case.objects.all())
    assert not form.is_valid()
    assert form.errors["case"] == ["This field is required."]


def test_the_invite_list_has_no_blank_and_the_case_list_asks(cast, meeting, make_case):
    make_case(send=True)  # a case the coordinator may put on the list (with none, no list is offered)
    english(cast.coordinator)
    page = sign_in(Client(), cast.coordinator).get(f"/conferences/{meeting.pk}/").content.decode()
    people = page[page.index('name="people"') : page.index("</select>", page.index('name="people"'))]
    assert 'value=""' not in people and "---------" not in people
    assert "---------" not in page
    assert '<option value="" selected>Choose one</option>' in page  # the case to add


def test_a_coordinator_of_one_institution_starts_on_it(cast):
    english(cast.outsider_coordinator)
    page = sign_in(Client(), cast.outsider_coordinator).get("/conferences/new/").content.decode()
    kcmc = cast.institutions["KCMC"]
    assert f'<option value="{kcmc.pk}" selected>' in page
    assert "Choose one" not in page and "---------" not in page


def test_a_coordinator_of_two_institutions_chooses_and_the_prompt_changes_nothing(cast):
    english(cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    assert '<option value="" selected>Choose one</option>' in client.get("/conferences/new/").content.decode()
    response = client.post(
        "/conferences/new/",
        {"title": "Round", "institution": "", "starts_at": "2030-01-07 09:00", "duration_minutes": 60},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Conference.objects.exists()


def test_the_prompt_is_translated(cast):
    sign_in(client := Client(), cast.coordinator)
    cast.coordinator.preferred_language = "sw"
    cast.coordinator.save(update_fields=["preferred_language"])
    assert "Chagua kimoja" in client.get("/conferences/new/").content.decode()
