"""One declaration of the case's clinical fields (consultations.case_fields) is the source of the
form, the actions and the API; what each field accepts comes from the model."""

from __future__ import annotations

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from pydantic import ValidationError

from consultations import case_fields
from consultations.api.case_schemas import ClinicalIn, IdentityIn
from consultations.case_fields import CLINICAL_FIELDS, FREE_TEXT_FIELDS, SECTIONS, model_field
from consultations.forms import CaseForm, IdentityForm
from core.api_errors import describe_validation_errors


def test_the_form_the_actions_and_the_api_list_the_same_fields_in_the_same_order():
    in_sections = [name for section in SECTIONS for name in section.fields]
    assert CaseForm.Meta.fields == in_sections
    assert [name for name in in_sections if name != case_fields.CATEGORY] == list(CLINICAL_FIELDS)
    assert list(ClinicalIn.model_fields) == list(CLINICAL_FIELDS)
    assert IdentityForm.Meta.fields == list(IdentityIn.model_fields) == list(case_fields.IDENTITY_FIELDS)


@pytest.mark.django_db
def test_the_form_renders_each_declared_section_with_its_fields():
    form = CaseForm()
    rendered = [
        (str(title), [field.name for field in fields], marker) for title, fields, marker in form.sections()
    ]
    with translation.override("en"):
        assert rendered[0][0] == "The patient" and rendered[0][1][0] == "category"
    assert [marker for _title, _fields, marker in rendered] == ["", "injury", "", "", "", "shunt", ""]
    assert [fields for _title, fields, _marker in rendered] == [list(s.fields) for s in SECTIONS]


def test_the_narratives_checked_for_identifiers_are_the_free_text_fields():
    assert FREE_TEXT_FIELDS == (
        "presenting_complaint",
        "history",
        "focal_deficits",
        "comorbidities",
        "medication",
        "ct_findings",
        "shunt_details",
        "question",
    )


def _schema(name: str) -> dict:
    prop = ClinicalIn.model_json_schema()["properties"][name]
    return next(part for part in prop["anyOf"] if part.get("type") != "null")


@pytest.mark.parametrize("name", [n for n in CLINICAL_FIELDS if model_field(n).choices])
def test_the_api_takes_its_choices_from_the_model(name):
    field = model_field(name)
    expected = [code for code, _label in field.flatchoices] + ([""] if field.blank else [])
    assert _schema(name)["enum"] == expected


@pytest.mark.parametrize("name", [n for n in CLINICAL_FIELDS if case_fields.is_number(model_field(n))])
def test_the_api_takes_its_ranges_from_the_model_validators(name):
    validators = model_field(name).validators
    low = max(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    assert (_schema(name)["minimum"], _schema(name)["maximum"]) == (low, high)


@pytest.mark.parametrize("name", [n for n in CLINICAL_FIELDS if case_fields.is_free_text(model_field(n))])
def test_the_api_takes_its_lengths_from_the_model(name):
    assert _schema(name)["maxLength"] == model_field(name).max_length


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"systolic_bp": 301}, "Enter a value of at most 300."),
        ({"pupil_left_mm": 0}, "Enter a value of at least 1."),
        ({"age_value": 121}, "Enter a value of at most 120."),
        ({"temperature": "37.55"}, "Enter a number with at most one decimal, for example 37.5."),
        ({"presenting_complaint": "x" * 301}, "Enter at most 300 characters."),
        ({"intracranial_bleed": ""}, "Choose one of: 'yes', 'no', 'unknown'."),
    ],
)
def test_a_value_the_model_refuses_is_refused_by_the_api_with_its_message(data, message):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        ClinicalIn(**data)
    with translation.override("en"):
        (described,) = describe_validation_errors(refused.value.errors())
    assert described["field"] == next(iter(data)) and described["message"] == message


def test_values_at_the_model_limits_are_accepted():
    accepted = ClinicalIn(systolic_bp=300, pupil_left_mm=1, age_value=0, temperature="45.0", sex="")
    assert accepted.systolic_bp == 300 and accepted.sex == ""
