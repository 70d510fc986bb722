"""Consultations' audit details read in the auditor's language (issue 11): the urgency, the red
flags and the consent's method by their labels, not their codes."""

from __future__ import annotations

from django.utils import translation

from core.audit import detail_rows


def test_a_sent_case_reads_in_kiswahili():
    detail = {"urgency": "emergency", "red_flags": ["non_reactive_pupil", "cushing_pattern"]}
    with translation.override("sw"):
        rows = dict(detail_rows(detail))
        urgency = translation.gettext("Urgency")
        red_flags = translation.gettext("Red flags")
        pupil = translation.gettext("A pupil does not react")
        cushing = translation.gettext("High blood pressure with a slow pulse (Cushing pattern)")
    assert urgency != "Urgency" and pupil != "A pupil does not react"
    assert rows[red_flags] == f"{pupil}, {cushing}"
    assert "emergency" not in rows[urgency]


def test_consent_reads_in_chinese():
    with translation.override("zh-hans"):
        rows = detail_rows({"method": "verbal"})
        expected = [
            (translation.gettext("How consent was given"), translation.gettext("Verbal, with a witness"))
        ]
    assert rows == expected
    assert expected[0][0] != "How consent was given"
