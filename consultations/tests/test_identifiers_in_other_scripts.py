"""A patient's name in Chinese, Kiswahili or English is found in what the referrer typed before
the case leaves, and it cannot be confirmed away."""

from __future__ import annotations

import pytest

from consultations import actions
from consultations.access import case_access
from core.errors import ActionError


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("full_name", "history", "found"),
    [
        ("王芳", "患者王芳骑摩托车摔倒，昏迷十分钟", "王芳"),
        ("王 芳", "家属说王芳呕吐两次", "王芳"),
        ("Neema Mushi", "Bi. Neema Mushi alianguka kutoka pikipiki", "Neema Mushi"),
        ("John Mwakyusa", "John Mwakyusa fell from a motorcycle", "John Mwakyusa"),
    ],
)
def test_her_name_in_any_script_stops_the_case_and_cannot_be_kept(cast, make_case, full_name, history, found):
    case = make_case(clinical={"history": history}, identity={"full_name": full_name})
    findings = actions.identifier_findings(case)
    assert [(f.field, f.kind, f.text, f.of_the_patient) for f in findings] == [
        ("history", "name", found, True)
    ]
    access = case_access(cast.referrer, case)
    actions.confirm_identifiers(access, cast.referrer, [f.key for f in findings])
    actions.record_consent(
        access, cast.referrer, given_by="relative", relationship="brother", method="verbal", countries=[]
    )
    with pytest.raises(ActionError, match="identifiers"):
        actions.submit(case_access(cast.referrer, case), cast.referrer)


@pytest.mark.django_db
def test_one_character_of_a_chinese_name_alone_is_not_flagged(cast, make_case):
    case = make_case(clinical={"history": "芳香烃接触史，王牌药物过敏"}, identity={"full_name": "王芳"})
    assert actions.identifier_findings(case) == []
