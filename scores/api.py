"""JSON API for the scores: the catalogue, any calculator (inputs in, result out), and the
scores and findings of a consultation."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema
from pydantic import Field as PydanticField
from pydantic import create_model

from accounts.api_auth import api_user
from consultations.access import get_case_for_user
from core.errors import FieldErrors
from scores import actions
from scores.case_scores import FINDINGS_FIELDS, record_findings
from scores.forms import _choice_label
from scores.library import CALCULATORS, InputError, Result
from scores.library.base import Reference, shown_percent
from scores.messages import explain, field_label
from scores.models import CaseScore
from scores.present import calculator_text, present, reference_caveat
from scores.templatetags.scores_tags import stored_result

router = Router(tags=["scores"])


REFERENCES_DESCRIPTION = (
    'citation, doi, unverified ("", "doi", "citation_and_doi" or "details": what of the '
    "reference could not be independently verified) and caveat (that, said in the user's language)."
)


class FieldOut(Schema):
    name: str
    label: str
    kind: str
    minimum: float | None
    maximum: float | None
    unit: str
    required: bool
    step: float | None
    choices: list[dict[str, str]]


class CalculatorOut(Schema):
    code: str
    name: str
    summary: str
    population: str
    limits: str
    family: str
    version: str
    references: list[dict[str, str]] = PydanticField(description=REFERENCES_DESCRIPTION)
    fields: list[FieldOut]


class ScoreOut(Schema):
    calculator: str
    version: str
    total: float | None = PydanticField(
        description="As computed, unrounded (a haematoma volume in mL, for example); round only to display."
    )
    band: str | None
    band_label: str
    probabilities: dict[str, float] = PydanticField(
        description="Probability of each outcome, 0 to 1, as computed (unrounded). For PECARN, "
        "`clinically_important_tbi` is the published risk of a clinically important traumatic brain injury "
        "in the patient's group (Kuppermann 2009): under 2 years 0.044 (CT recommended), 0.009 (observe or "
        "CT), less than 0.0002 (CT not recommended); from 2 years 0.043, 0.009, less than 0.0005."
    )
    upper_bounds: list[str] = PydanticField(
        description="Outcomes of `probabilities` published only as an upper bound: the risk is less than "
        "the value given (PECARN's 'CT not recommended' group)."
    )
    probability_texts: dict[str, str] = PydanticField(
        description="Each probability as shown on the pages: a percentage rounded half up to 0.1 "
        "('20.6 %'), or '< 0.02 %' for an upper bound."
    )
    notes: list[str]
    note_texts: list[str]
    parts: list[dict[str, Any]]
    references: list[dict[str, str]] = PydanticField(description=REFERENCES_DESCRIPTION)


class StoredScoreOut(ScoreOut):
    inputs: dict[str, Any]
    computed_at: str


class FindingsIn(Schema):
    visible_pathology: bool = False
    basal_cisterns: Literal["normal", "compressed", "absent", ""] = ""
    suprasellar_cisterns: Literal["normal", "compressed", "obliterated", ""] = ""
    midline_shift_mm: Decimal | None = PydanticField(None, ge=0, le=30)
    epidural: bool = False
    subdural: bool = False
    intracerebral: bool = False
    lesion_over_25ml: bool = False
    evacuated_lesion: bool = False
    traumatic_sah: bool = False
    intraventricular: bool = False
    haematoma_volume_ml: Decimal | None = PydanticField(None, ge=0, le=300)
    infratentorial: bool = False
    hypoxia: Literal["yes", "no", ""] = PydanticField(
        "", description="Yes or suspected / no / blank when not known."
    )
    hypotension: Literal["yes", "no", ""] = PydanticField(
        "", description="Yes or suspected / no / blank when not known."
    )
    glucose: Decimal | None = PydanticField(None, ge=1, le=60)
    haemoglobin: Decimal | None = PydanticField(None, ge=2, le=25)
    hydrocephalus_cause: Literal[
        "postinfectious",
        "myelomeningocele",
        "intraventricular_haemorrhage",
        "non_tectal_tumour",
        "aqueductal_stenosis",
        "tectal_tumour",
        "other",
        "",
    ] = ""
    sah_thickness: Literal["none", "thin", "thick", ""] = ""
    motor_deficit: Literal["yes", "no", ""] = PydanticField("", description="Blank when not known.")
    hunt_hess_grade: Literal["1", "2", "3", "4", "5", ""] = ""
    asia_grade: Literal["A", "B", "C", "D", "E", "none", ""] = ""
    karnofsky: Literal[100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0, None] = None


def _language() -> str:
    return get_language() or "en"


def _calculator_out(code: str) -> CalculatorOut:
    calculator = CALCULATORS[code]
    language = _language()
    return CalculatorOut(
        code=code,
        name=calculator_text(calculator, "name", language),
        summary=calculator_text(calculator, "summary", language),
        population=calculator_text(calculator, "population", language),
        limits=calculator_text(calculator, "limits", language),
        family=calculator.family,
        version=calculator.version,
        references=[_reference_out(r, language) for r in calculator.references],
        fields=[
            FieldOut(
                name=f.name,
                label=field_label(code, f.name, language),
                kind=f.kind.value,
                minimum=f.minimum,
                maximum=f.maximum,
                unit=f.unit,
                required=f.required,
                step=f.step,
                choices=[{"value": v, "label": _choice_label(calculator, f, v, language)} for v in f.choices],
            )
            for f in calculator.fields
        ],
    )


def _reference_out(reference: Reference, language: str) -> dict[str, str]:
    return {
        "citation": reference.citation,
        "doi": reference.doi,
        "unverified": reference.unverified.value if reference.unverified else "",
        "caveat": reference_caveat(reference, language),
    }


def _score_out(code: str, result: Result) -> dict[str, Any]:
    calculator = CALCULATORS[code]
    language = _language()
    shown = present(calculator, result, language)
    data = result.as_dict()
    return {
        "calculator": code,
        "version": data["version"],
        "total": data["total"],
        "band": data["band"],
        "band_label": shown.band,
        "probabilities": data["probabilities"],
        "upper_bounds": data["upper_bounds"],
        "probability_texts": {p.outcome: shown_percent(p) for p in result.probabilities},
        "notes": data["notes"],
        "note_texts": shown.notes,
        "parts": data["parts"],
        "references": [_reference_out(r, language) for r in result.references],
    }


@router.get("/scores", response=list[CalculatorOut], summary="Every calculator, its inputs and their ranges")
def list_calculators(request: HttpRequest) -> list[CalculatorOut]:
    return [_calculator_out(code) for code in CALCULATORS]


def _input_schema(code: str) -> type[Schema]:
    """A request schema per calculator for the OpenAPI description. Ranges and choices are
    documented here but checked by the library, so the API refuses with the same message,
    naming the same field, as the calculator page."""
    calculator = CALCULATORS[code]
    fields: dict[str, Any] = {}
    for spec in calculator.fields:
        extra: dict[str, Any] = {}
        if spec.minimum is not None:
            extra["minimum"] = spec.minimum
        if spec.maximum is not None:
            extra["maximum"] = spec.maximum
        if spec.choices:
            extra["enum"] = list(spec.choices)
        if spec.step:
            extra["multipleOf"] = spec.step
        description = f"{spec.kind.value}{' in ' + spec.unit if spec.unit else ''}{'' if spec.required else ' (optional)'}"
        fields[spec.name] = (
            int | float | str | bool | None,
            PydanticField(None, description=description, json_schema_extra=extra),
        )
    return create_model(f"{code.title().replace('_', '')}Inputs", __base__=Schema, **fields)


def _add_compute_endpoint(code: str) -> None:
    schema = _input_schema(code)

    def compute(request: HttpRequest, inputs: schema) -> Any:  # type: ignore[valid-type]
        try:
            result = CALCULATORS[code](inputs.dict())  # type: ignore[attr-defined]
        except InputError as error:
            raise FieldErrors(
                [
                    {
                        "field": error.field,
                        "message": explain(error, code, _language()),
                        "type": error.problem.value,
                    }
                ]
            ) from None
        return _score_out(code, result)

    def describe(request: HttpRequest) -> CalculatorOut:
        return _calculator_out(code)

    compute.__name__, describe.__name__ = f"compute_{code}", f"describe_{code}"
    name = calculator_text(CALCULATORS[code], "name", "en")
    router.get(f"/scores/{code}", response=CalculatorOut, summary=f"Inputs of: {name}")(describe)
    router.post(f"/scores/{code}", response={200: ScoreOut}, summary=f"Compute: {name}")(compute)


for _code in CALCULATORS:
    _add_compute_endpoint(_code)


@router.get("/cases/{code}/scores", response=list[StoredScoreOut], tags=["consultations"])
def case_scores(request: HttpRequest, code: str) -> list[StoredScoreOut]:
    user = api_user(request)
    access = get_case_for_user(user, code)
    actions.record_read(actions.SCORES_READ, access, user, request, via="api")
    return [
        StoredScoreOut(
            inputs=score.inputs,
            computed_at=score.computed_at.isoformat(),
            **_score_out(score.calculator, stored_result(score)),
        )
        for score in CaseScore.objects.filter(case=access.case)
        if score.calculator in CALCULATORS
    ]


@router.put("/cases/{code}/findings", response=list[StoredScoreOut], tags=["consultations"])
def put_findings(request: HttpRequest, code: str, payload: FindingsIn) -> list[StoredScoreOut]:
    user = api_user(request)
    access = get_case_for_user(user, code)
    record_findings(access, user, {name: getattr(payload, name) for name in FINDINGS_FIELDS}, request=request)
    return case_scores(request, code)
