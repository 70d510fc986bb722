"""A consultation as a FHIR R4 Bundle (plain Python; no Django).

The Patient is pseudonymous: its only identifier is the case code, with no name, birth date or
address. GCS observations carry their LOINC codes. Validated against the fhir.resources R4B
models in the tests (R4B keeps R4's structure for these resources).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CASE_SYSTEM = "urn:neurodaraja:case"
LOINC = "http://loinc.org"
GCS_LOINC = {
    "total": ("9269-2", "Glasgow coma score total"),
    "eye": ("9267-6", "Glasgow coma score eye opening"),
    "verbal": ("9270-0", "Glasgow coma score verbal"),
    "motor": ("9268-4", "Glasgow coma score motor"),
}
PRIORITY = {"emergency": "stat", "urgent": "urgent", "routine": "routine"}
GENDER = {"female": "female", "male": "male"}


@dataclass(frozen=True)
class OpinionData:
    consultant: str
    institution: str
    sent: datetime
    text: str


@dataclass(frozen=True)
class CaseData:
    code: str
    status: str
    urgency: str
    sex: str
    age_value: int | None
    age_unit: str
    category_code: str
    category_name: str
    question: str
    requester: str  # the referring institution
    submitted: datetime | None
    gcs: dict[str, str]  # eye/verbal/motor: "1".."6" or "NT"
    opinions: list[OpinionData] = field(default_factory=list)


def _ref(kind: str, code: str) -> str:
    return f"urn:uuid:{_uuid(kind, code)}"


def _uuid(kind: str, code: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{CASE_SYSTEM}:{code}:{kind}"))


def bundle(case: CaseData) -> dict[str, Any]:
    patient_ref = _ref("patient", case.code)
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": CASE_SYSTEM, "value": case.code}],
    }
    if case.sex in GENDER:
        patient["gender"] = GENDER[case.sex]
    if case.age_value is not None:
        patient["extension"] = [
            {
                "url": "https://neurodaraja.example.org/fhir/StructureDefinition/age-at-referral",
                "valueAge": {
                    "value": case.age_value,
                    "unit": case.age_unit,
                    "system": "http://unitsofmeasure.org",
                    "code": "a" if case.age_unit == "years" else "mo",
                },
            }
        ]
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": CASE_SYSTEM, "value": case.code}],
        "status": {"draft": "draft", "closed": "completed"}.get(case.status, "active"),
        "intent": "order",
        "priority": PRIORITY.get(case.urgency, "routine"),
        "code": {"text": "Neurosurgical tele-consultation"},
        "subject": {"reference": patient_ref},
        "requester": {"display": case.requester},
        "reasonReference": [{"reference": _ref("condition", case.code)}],
        "note": [{"text": case.question}] if case.question else [],
    }
    if case.submitted:
        request["authoredOn"] = case.submitted.isoformat()
    condition = {
        "resourceType": "Condition",
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "provisional",
                }
            ]
        },
        "category": [
            {"coding": [{"system": "urn:neurodaraja:diagnosis-category", "code": case.category_code}]}
        ],
        "code": {"text": case.category_name},
        "subject": {"reference": patient_ref},
    }
    entries = [
        {"fullUrl": patient_ref, "resource": patient},
        {"fullUrl": _ref("request", case.code), "resource": request},
        {"fullUrl": _ref("condition", case.code), "resource": condition},
    ]
    entries += _gcs_observations(case, patient_ref)
    for number, opinion in enumerate(case.opinions, start=1):
        entries.append(
            {
                "fullUrl": _ref(f"opinion-{number}", case.code),
                "resource": {
                    "resourceType": "Communication",
                    "status": "completed",
                    "subject": {"reference": patient_ref},
                    "basedOn": [{"reference": _ref("request", case.code)}],
                    "sent": opinion.sent.isoformat(),
                    "sender": {"display": f"{opinion.consultant}, {opinion.institution}"},
                    "payload": [{"contentString": opinion.text}],
                },
            }
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _gcs_observations(case: CaseData, patient_ref: str) -> list[dict[str, Any]]:
    def observation(part: str, value: str) -> dict[str, Any]:
        code, display = GCS_LOINC[part]
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
            "subject": {"reference": patient_ref},
        }
        if value.isdigit():
            resource["valueInteger"] = int(value)
        else:
            resource["dataAbsentReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "not-performed",
                    }
                ],
                "text": "Not testable",
            }
        return {"fullUrl": _ref(f"gcs-{part}", case.code), "resource": resource}

    parts = [(part, case.gcs.get(part, "")) for part in ("eye", "verbal", "motor")]
    found = [observation(part, value) for part, value in parts if value]
    if parts and all(value.isdigit() for _part, value in parts):
        found.append(observation("total", str(sum(int(value) for _part, value in parts))))
    return found
