"""Red flags that suggest an emergency (consultations/triage.py, plain Python): each flag's
threshold on both sides, pupil sizes in half millimetres, and what the case cannot tell."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from consultations.triage import RedFlag, TriageInput, Urgency, red_flags, suggested_urgency

CALM = TriageInput(
    gcs_total=15,
    gcs_falling=False,
    left_pupil_reaction="brisk",
    right_pupil_reaction="brisk",
    on_anticoagulant_or_antiplatelet=False,
    intracranial_bleed="no",
    left_pupil_mm=Decimal("3.0"),
    right_pupil_mm=Decimal("3.0"),
    systolic_bp=125,
    heart_rate=80,
)


def test_a_calm_case_has_no_red_flag():
    assert red_flags(CALM) == []


@pytest.mark.parametrize(
    ("left", "right", "unequal"),
    [
        (Decimal("3.0"), Decimal("4.0"), True),  # exactly 1 mm: unequal
        (Decimal("5.5"), Decimal("4.5"), True),  # half millimetres, either side larger
        (Decimal("3.0"), Decimal("3.5"), False),  # half a millimetre: not yet
        (Decimal("2.5"), Decimal("6.0"), True),
        (4.5, Decimal("3.5"), True),  # a float and a Decimal compare as numbers
        (3, 4, True),  # whole millimetres as stored before half millimetres
        (3, 3.5, False),
    ],
)
def test_pupils_1_mm_or_more_apart_are_a_red_flag(left, right, unequal):
    flags = red_flags(replace(CALM, left_pupil_mm=left, right_pupil_mm=right))
    assert (RedFlag.UNEQUAL_PUPILS in flags) is unequal


def test_a_size_not_recorded_on_one_side_is_not_read_as_unequal():
    assert red_flags(replace(CALM, left_pupil_mm=None, right_pupil_mm=Decimal("6.0"))) == []


@pytest.mark.parametrize(
    ("left", "right", "unequal"),
    [
        ("sluggish", "brisk", True),
        ("brisk", "sluggish", True),
        ("sluggish", "sluggish", False),  # equally slow is not unequal
        ("sluggish", "not_assessable", False),  # the other side unknown: no comparison
        ("sluggish", "", False),
    ],
)
def test_one_pupil_sluggish_while_the_other_is_brisk_is_a_red_flag(left, right, unequal):
    flags = red_flags(replace(CALM, left_pupil_reaction=left, right_pupil_reaction=right))
    assert (RedFlag.UNEQUAL_PUPILS in flags) is unequal


def test_a_non_reactive_pupil_stays_its_own_flag_and_unequal_sizes_are_said_too():
    blown = replace(CALM, right_pupil_reaction="non_reactive", right_pupil_mm=Decimal("6.5"))
    assert red_flags(blown) == [RedFlag.NON_REACTIVE_PUPIL, RedFlag.UNEQUAL_PUPILS]


@pytest.mark.parametrize(
    ("systolic", "heart_rate", "cushing"),
    [
        (140, 59, True),  # the thresholds themselves
        (190, 48, True),
        (139, 50, False),  # pressure not high
        (170, 60, False),  # pulse not slow
        (100, 45, False),  # slow but low pressure: not the pattern
        (None, 45, False),  # what was not measured is not assumed
        (180, None, False),
    ],
)
def test_a_high_blood_pressure_with_a_slow_pulse_is_the_cushing_pattern(systolic, heart_rate, cushing):
    flags = red_flags(replace(CALM, systolic_bp=systolic, heart_rate=heart_rate))
    assert (RedFlag.CUSHING_PATTERN in flags) is cushing


def test_the_new_flags_suggest_an_emergency():
    for case in (
        replace(CALM, left_pupil_mm=Decimal("5.0")),
        replace(CALM, systolic_bp=180, heart_rate=50),
    ):
        assert suggested_urgency(Urgency.ROUTINE, red_flags(case)) == Urgency.EMERGENCY


def test_a_caller_that_gives_no_sizes_or_vitals_gets_the_flags_it_did_before():
    old = TriageInput(
        gcs_total=7,
        gcs_falling=True,
        left_pupil_reaction="non_reactive",
        right_pupil_reaction="brisk",
        on_anticoagulant_or_antiplatelet=True,
        intracranial_bleed="yes",
    )
    assert red_flags(old) == [
        RedFlag.LOW_GCS,
        RedFlag.FALLING_GCS,
        RedFlag.NON_REACTIVE_PUPIL,
        RedFlag.ANTICOAGULATED_BLEED,
    ]


# --- On a real case: the referral's pupils (half millimetres) and vitals reach the triage ---------


@pytest.mark.django_db
def test_a_sent_case_with_unequal_pupils_and_the_cushing_pattern_records_both_flags(cast, make_case):
    from core.models import AuditEntry

    clinical = {
        "pupil_left_mm": Decimal("3.0"),
        "pupil_right_mm": Decimal("4.5"),
        "systolic_bp": 170,
        "diastolic_bp": 90,
        "heart_rate": 50,
    }
    case = make_case(send=True, clinical=clinical)
    entry = AuditEntry.objects.get(action="consultations.submitted", object_id=str(case.pk))
    assert entry.detail["red_flags"] == ["unequal_pupils", "cushing_pattern"]


@pytest.mark.django_db
def test_the_send_page_names_the_new_flags_and_offers_emergency(cast, make_case):
    from django.test import Client

    from neurodaraja.testing.cases import consent, english
    from neurodaraja.testing.personas import sign_in

    case = make_case(clinical={"pupil_left_reaction": "sluggish", "systolic_bp": 150, "heart_rate": 55})
    consent(case, cast.referrer)
    english(cast.referrer)
    page = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/send/").content.decode()
    assert "Unequal pupils (1 mm or more apart, or one sluggish)" in page
    assert "High blood pressure with a slow pulse (Cushing pattern)" in page
