"""The scores that apply to a consultation, computed from what the case already holds.

Each score is stored with its inputs and formula version whenever the case or its findings
change, so the consultant sees exactly what was computed, and from what.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations.access import CaseAccess
from consultations.models import AgeUnit, Case, PupilReaction, ShuntHistory
from core.audit import record
from core.errors import ActionError
from core.models import DiagnosisCategory
from scores import audit_actions as acts
from scores.library import CALCULATORS, InputError
from scores.library.base import Problem
from scores.messages import calculator_text, explain
from scores.models import CaseFindings, CaseScore, YesOrSuspected

ASSESSED = {PupilReaction.BRISK, PupilReaction.SLUGGISH, PupilReaction.NON_REACTIVE}


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _age_years(case: Case) -> float | None:
    if case.age_value is None:
        return None
    return case.age_value / 12 if case.age_unit == AgeUnit.MONTHS else float(case.age_value)


def _age_months(case: Case) -> float | None:
    if case.age_value is None:
        return None
    return float(case.age_value) if case.age_unit == AgeUnit.MONTHS else case.age_value * 12.0


def candidate_inputs(case: Case, findings: CaseFindings | None) -> dict[str, dict[str, Any]]:
    """Inputs for each calculator that applies to the case and has enough information
    (the library still checks them).

    Which scores apply follows the populations they were validated in: the CT classes and
    IMPACT for head injury, the ICH score for spontaneous haemorrhage, the ETV score where the
    referral asks for the shunt history.
    """
    found: dict[str, dict[str, Any]] = {}
    gcs = {"eye": case.gcs_eye, "verbal": case.gcs_verbal, "motor": case.gcs_motor}
    if all(gcs.values()):
        found["gcs"] = gcs
    pupils = (case.pupil_left_reaction, case.pupil_right_reaction)
    both_assessed = all(p in ASSESSED for p in pupils)
    unreactive = sum(p == PupilReaction.NON_REACTIVE for p in pupils)
    if "gcs" in found and both_assessed:
        found["gcs_p"] = {**gcs, "pupils_examined": 2, "pupils_unreactive": unreactive}
    total = case.gcs_total
    age = _age_years(case)
    trauma = case.category.asks_injury_details
    if trauma:
        found.update(_trauma_inputs(case, findings, age, both_assessed, unreactive, total))
    if findings is None:
        return found
    if not trauma and findings.haematoma_volume_ml is not None and total is not None and age is not None:
        found["ich"] = {
            "gcs": total,
            "volume_ml": _num(findings.haematoma_volume_ml),
            "intraventricular": findings.intraventricular,
            "infratentorial": findings.infratentorial,
            "age": int(age),
        }
    found.update(_entered_grades(case, findings, trauma, total))
    months = _age_months(case)
    if (
        case.category.asks_shunt_history
        and findings.hydrocephalus_cause
        and months is not None
        and case.shunt_history  # not known is not "no shunt": the score weighs a previous shunt
    ):
        found["etv_success"] = {
            "age_months": months,
            "etiology": findings.hydrocephalus_cause,
            "previous_shunt": case.shunt_history in (ShuntHistory.SHUNT, ShuntHistory.REVISED),
        }
    return found


def _entered_grades(
    case: Case, findings: CaseFindings, trauma: bool, total: int | None
) -> dict[str, dict[str, Any]]:
    """Grades the clinician enters, and the SAH grades for a spontaneous haemorrhage."""
    found: dict[str, dict[str, Any]] = {}
    if not trauma:
        if findings.sah_thickness:
            found["modified_fisher"] = {
                "sah": findings.sah_thickness,
                "intraventricular": findings.intraventricular,
            }
        if findings.motor_deficit and total is not None:
            found["wfns"] = {"gcs": total, "motor_deficit": findings.motor_deficit == YesOrSuspected.YES}
        if findings.hunt_hess_grade:
            found["hunt_hess"] = {"grade": findings.hunt_hess_grade}
    if findings.asia_grade:
        found["asia"] = {"grade": findings.asia_grade}
    if findings.karnofsky is not None:
        found["karnofsky"] = {"score": findings.karnofsky}
    return found


def prognosis_notices(case: Case) -> list[str]:
    """Why a head-injured adult gets no prognosis on the case, as note codes. At GCS 13–14
    IMPACT (GCS 12 or less) does not apply and CRASH, which would, is not implemented
    (REFERENCES.md 3 and 4): without this the scores just stop, with no reason given."""
    age = _age_years(case)
    if case.category.asks_injury_details and age is not None and age >= 18 and case.gcs_total in (13, 14):
        return ["no_prognosis_gcs_13_14"]
    return []


def _trauma_inputs(
    case: Case,
    findings: CaseFindings | None,
    age: float | None,
    both_assessed: bool,
    unreactive: int,
    total: int | None,
) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if findings is not None:
        if findings.basal_cisterns and findings.midline_shift_mm is not None:
            found["marshall"] = _marshall_inputs(findings)
            found["rotterdam"] = {
                "basal_cisterns": findings.basal_cisterns,
                "midline_shift_over_5mm": float(findings.midline_shift_mm) > 5,
                "epidural_mass": findings.epidural,
                "ivh_or_traumatic_sah": findings.intraventricular or findings.traumatic_sah,
            }
        if findings.suprasellar_cisterns:
            found["helsinki"] = {
                "subdural": findings.subdural,
                "intracerebral": findings.intracerebral,
                "epidural": findings.epidural,
                "mass_over_25ml": findings.lesion_over_25ml,
                "intraventricular": findings.intraventricular,
                "suprasellar_cisterns": findings.suprasellar_cisterns,
            }
    # IMPACT was developed in moderate and severe head injury (GCS 12 or less); a total above
    # 12 is outside its population, so it is not put on the case (the calculator page still
    # computes it on request). A motor score alone is enough when the total is not testable.
    if total is not None and total > 12:
        return found
    if age is None or not case.gcs_motor or not both_assessed:
        return found
    motor = "untestable" if case.gcs_motor == "NT" else case.gcs_motor
    core = {"age": age, "motor": motor, "pupils": ("both", "one", "none")[unreactive]}
    found["impact_core"] = core
    if findings is None or "marshall" not in found or not (findings.hypoxia and findings.hypotension):
        return found
    marshall = _marshall(findings)
    if marshall is None:
        return found
    extended = {
        **core,
        "marshall": marshall,
        "traumatic_sah": findings.traumatic_sah,
        "epidural_haematoma": findings.epidural,
        "hypoxia": findings.hypoxia == YesOrSuspected.YES,
        "hypotension": findings.hypotension == YesOrSuspected.YES,
    }
    found["impact_extended"] = extended
    if findings.glucose is not None and findings.haemoglobin is not None:
        found["impact_lab"] = {
            **extended,
            "glucose": _num(findings.glucose),
            "haemoglobin": _num(findings.haemoglobin),
        }
    return found


LESIONS = (
    "epidural",
    "subdural",
    "intracerebral",
    "traumatic_sah",
    "intraventricular",
    "lesion_over_25ml",
    "evacuated_lesion",
)


def _marshall_inputs(findings: CaseFindings) -> dict[str, Any]:
    # Any lesion ticked is visible pathology, whether or not the box for it was ticked too.
    visible = findings.visible_pathology or any(getattr(findings, name) for name in LESIONS)
    return {
        "visible_pathology": visible,
        "basal_cisterns": findings.basal_cisterns,
        "midline_shift_mm": _num(findings.midline_shift_mm),
        "lesion_over_25ml": findings.lesion_over_25ml,
        "evacuated_lesion": findings.evacuated_lesion,
    }


def _marshall(findings: CaseFindings) -> str | None:
    try:
        return CALCULATORS["marshall"](_marshall_inputs(findings)).band
    except InputError:
        return None


@transaction.atomic
def refresh(case: Case) -> list[CaseScore]:
    """Recompute and store every score that applies; drop those that no longer do."""
    case = Case.objects.select_related("category").get(pk=case.pk)
    findings = CaseFindings.objects.filter(case=case).first()
    kept = []
    for code, inputs in candidate_inputs(case, findings).items():
        calculator = CALCULATORS[code]
        try:
            result = calculator(inputs)
        except InputError:
            continue  # incomplete or contradictory: the form shows why when it is entered
        score, _created = CaseScore.objects.update_or_create(
            case=case,
            calculator=code,
            defaults={"version": result.version, "inputs": inputs, "result": result.as_dict()},
        )
        kept.append(score)
    CaseScore.objects.filter(case=case).exclude(pk__in=[s.pk for s in kept]).delete()
    return kept


def refresh_on_change(sender: Any, case: Case, **kwargs: Any) -> None:
    refresh(case)


class FindingsRecorded(NamedTuple):
    findings: CaseFindings
    notices: list[str]  # why a score that the findings ask for is not given


@transaction.atomic
def record_findings(
    access: CaseAccess, user: User, values: dict[str, Any], *, request: HttpRequest | None = None
) -> FindingsRecorded:
    """CT and laboratory findings, by the referring team or a consultant on the case."""
    if not (access.in_referring_team or access.is_answering_consultant):
        raise ActionError(
            _("Only the referring team or a consultant on the case can enter findings."),
            code="forbidden",
            status=403,
        )
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    findings = CaseFindings.objects.filter(case=case).first() or CaseFindings(case=case)
    for field, value in values.items():
        setattr(findings, field, value)
    findings.entered_by = user
    findings.full_clean()
    notices = _check_scores_accept(case, findings)
    findings.save()
    record(
        acts.FINDINGS_RECORDED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
    )
    refresh(case)
    return FindingsRecorded(findings, notices)


# Where a calculator's input comes from a findings field of another name.
FINDINGS_FIELD_OF = {
    "mass_over_25ml": "lesion_over_25ml",
    "volume_ml": "haematoma_volume_ml",
    "etiology": "hydrocephalus_cause",
    "sah": "sah_thickness",
}


def _check_scores_accept(case: Case, findings: CaseFindings) -> list[str]:
    """Refuse findings that a score cannot use, saying why, rather than silently leaving the
    score off the case. A combination the scale itself does not grade (GCS 15 with a motor
    deficit for WFNS) is a true finding: it is kept, and the reason the score is missing is
    returned to be shown. Problems with the case's own answers (age, GCS) are not the findings'
    fault: those scores are left off until the case is corrected."""
    language = get_language() or "en"
    errors: dict[str, list[str]] = {}
    notices = []
    for code, inputs in candidate_inputs(case, findings).items():
        calculator = CALCULATORS[code]
        try:
            calculator(inputs)
        except InputError as error:
            field = FINDINGS_FIELD_OF.get(error.field, error.field)
            if field not in FINDINGS_FIELDS:
                continue
            message = f"{calculator_text(calculator, 'name', language)}: {explain(error, code, language)}"
            if error.problem is Problem.UNDEFINED:
                notices.append(message)
            else:
                errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    return notices


FINDINGS_FIELDS = [
    "visible_pathology",
    "basal_cisterns",
    "suprasellar_cisterns",
    "midline_shift_mm",
    "epidural",
    "subdural",
    "intracerebral",
    "lesion_over_25ml",
    "evacuated_lesion",
    "traumatic_sah",
    "intraventricular",
    "haematoma_volume_ml",
    "infratentorial",
    "hypoxia",
    "hypotension",
    "glucose",
    "haemoglobin",
    "hydrocephalus_cause",
    "sah_thickness",
    "motor_deficit",
    "hunt_hess_grade",
    "asia_grade",
    "karnofsky",
]

HEAD_INJURY_FINDINGS = (
    "visible_pathology",
    "basal_cisterns",
    "suprasellar_cisterns",
    "midline_shift_mm",
    "epidural",
    "subdural",
    "intracerebral",
    "lesion_over_25ml",
    "evacuated_lesion",
    "traumatic_sah",
    "intraventricular",
    "hypoxia",
    "hypotension",
    "glucose",
    "haemoglobin",
    "asia_grade",  # spinal cord injury often comes with the head injury
)
HAEMORRHAGE_FINDINGS = (
    "haematoma_volume_ml",
    "intraventricular",
    "infratentorial",
    "sah_thickness",
    "motor_deficit",
    "hunt_hess_grade",
)
FINDINGS_BY_CATEGORY = {
    "vascular": HAEMORRHAGE_FINDINGS,
    "spine": ("asia_grade",),
    "tumour": ("karnofsky",),
}


def findings_fields_for(category: DiagnosisCategory) -> list[str]:
    """The findings worth asking for in this category, in form order: a phone form with only
    what can change a score. A category the rules do not name asks for everything that is not
    head-injury specific."""
    if category.asks_injury_details:
        wanted = set(HEAD_INJURY_FINDINGS)
    elif category.code in FINDINGS_BY_CATEGORY:
        wanted = set(FINDINGS_BY_CATEGORY[category.code])
    elif category.asks_shunt_history:
        wanted = set()
    else:
        wanted = {*HAEMORRHAGE_FINDINGS, "asia_grade", "karnofsky"}
    if category.asks_shunt_history:
        wanted.add("hydrocephalus_cause")
    return [name for name in FINDINGS_FIELDS if name in wanted]


__all__ = [
    "FINDINGS_FIELDS",
    "FindingsRecorded",
    "candidate_inputs",
    "findings_fields_for",
    "prognosis_notices",
    "record_findings",
    "refresh",
    "refresh_on_change",
]
