"""What must hold for every input (hypothesis), and one thing that does not."""

from __future__ import annotations

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from neurodaraja.testing.scores import inputs_for
from scores.library import CALCULATORS, InputError


@pytest.mark.parametrize("code", list(CALCULATORS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_result_is_well_formed_or_a_named_refusal(code, data):
    inputs = data.draw(inputs_for(code))
    try:
        result = CALCULATORS[code](inputs)
    except InputError as error:
        assert error.field in {f.name for f in CALCULATORS[code].fields}
        return
    for p in result.probabilities:
        assert 0.0 <= p.value <= 1.0
    assert result.version == CALCULATORS[code].version
    assert result.as_dict()["references"]


@pytest.mark.parametrize("code", list(CALCULATORS))
def test_every_calculator_gives_a_result_for_some_valid_input(code):
    # Without this, a calculator that refused everything would pass the test above.
    def gives_a_result(inputs: dict) -> bool:
        try:
            CALCULATORS[code](inputs)
        except InputError:
            return False
        return True

    example = find(inputs_for(code), gives_a_result, settings=settings(max_examples=2000, database=None))
    assert CALCULATORS[code](example).version == CALCULATORS[code].version


IMPACT_MODELS = ["impact_core", "impact_extended", "impact_lab"]
OUTCOMES = ["mortality_6_months", "unfavourable_6_months"]


def probabilities(code, inputs):
    return {p.outcome: p.value for p in CALCULATORS[code](inputs).probabilities}


@pytest.mark.parametrize("code", IMPACT_MODELS)
@settings(max_examples=200, deadline=None)
@given(data=st.data(), older=st.floats(0.1, 60))
def test_older_age_never_lowers_an_impact_probability(code, data, older):
    inputs = data.draw(inputs_for(code))
    young = probabilities(code, inputs)
    aged = probabilities(code, {**inputs, "age": min(120, inputs["age"] + older)})
    for outcome in OUTCOMES:
        assert aged[outcome] >= young[outcome]


MOTOR_WORST_FIRST = ["1", "2", "3", "4", "5", "6"]
PUPILS_WORST_FIRST = ["none", "one", "both"]


@settings(max_examples=200, deadline=None)
@given(
    age=st.floats(0, 120),
    pupils=st.sampled_from(PUPILS_WORST_FIRST),
    motor=st.sampled_from(MOTOR_WORST_FIRST),
)
def test_a_worse_motor_score_or_fewer_reactive_pupils_never_lowers_core_mortality(age, pupils, motor):
    here = probabilities("impact_core", {"age": age, "motor": motor, "pupils": pupils})["mortality_6_months"]
    for worse_motor in MOTOR_WORST_FIRST[: MOTOR_WORST_FIRST.index(motor)]:
        worse = probabilities("impact_core", {"age": age, "motor": worse_motor, "pupils": pupils})
        assert worse["mortality_6_months"] >= here
    for worse_pupils in PUPILS_WORST_FIRST[: PUPILS_WORST_FIRST.index(pupils)]:
        worse = probabilities("impact_core", {"age": age, "motor": motor, "pupils": worse_pupils})
        assert worse["mortality_6_months"] >= here
        assert (
            worse["unfavourable_6_months"]
            >= probabilities("impact_core", {"age": age, "motor": motor, "pupils": pupils})[
                "unfavourable_6_months"
            ]
        )


def test_what_does_not_hold_no_motor_response_has_a_lower_unfavourable_coefficient_than_extension():
    # As published (REFERENCES.md 4): core unfavourable β is 1.393 for "none" and 2.078 for
    # "extension", so the worse motor score gives the lower unfavourable-outcome probability.
    none = probabilities("impact_core", {"age": 40, "motor": "1", "pupils": "both"})
    extension = probabilities("impact_core", {"age": 40, "motor": "2", "pupils": "both"})
    assert none["unfavourable_6_months"] < extension["unfavourable_6_months"]
    assert none["mortality_6_months"] > extension["mortality_6_months"]


def test_what_does_not_hold_mortality_can_exceed_unfavourable_outcome():
    result = CALCULATORS["impact_lab"](
        {
            "age": 16,
            "motor": "untestable",
            "pupils": "both",
            "marshall": "VI",
            "traumatic_sah": True,
            "epidural_haematoma": True,
            "glucose": 10,
            "haemoglobin": 12,
        }
    )
    values = {p.outcome: p.value for p in result.probabilities}
    assert values["mortality_6_months"] > values["unfavourable_6_months"]
    assert "impact_models_fitted_separately" in result.notes
