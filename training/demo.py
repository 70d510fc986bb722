"""Demonstration data for the logbook: three programmes at MOI with illustrative requirements
(not the official MMed or COSECSA numbers), the demo trainee enrolled in the senior stage with a
named supervisor, eighteen months of synthetic entries whose autonomy grows (each saying it is
synthetic), and a fictional case the trainee referred from MOI and saw operated, so that "Log this
operation" can be tried. Loaded once; running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from accounts import actions as accounts
from accounts.demo import DEMO_DOMAIN
from accounts.models import Institution, Role, User
from consultations import actions as consultations
from consultations.access import case_access
from consultations.models import Case
from core.models import Country, DiagnosisCategory
from training import actions
from training.models import (
    Competency,
    Enrolment,
    LogbookEntry,
    Procedure,
    ProcedureGroup,
    Programme,
    Requirement,
    Stage,
)

SYNTHETIC = "Synthetic demonstration entry – not a real patient."

PROGRAMMES = [
    (
        "mmed-neurosurgery-tz",
        "MMed Neurosurgery (Tanzania)",
        "MMed Upasuaji wa Ubongo na Mishipa ya Fahamu (Tanzania)",
        "神经外科医学硕士（坦桑尼亚）",
        [
            ("Year 1", "Mwaka wa 1", "第一年", ["O", "A", "S-TS"]),
            ("Year 2", "Mwaka wa 2", "第二年", ["O", "A", "S-TS", "S-TU"]),
            ("Years 3–4", "Mwaka wa 3–4", "第三至四年", ["O", "A", "S-TS", "S-TU", "P", "T"]),
        ],
    ),
    (
        "cosecsa-fcs-neurosurgery",
        "COSECSA FCS Neurosurgery",
        "COSECSA FCS Upasuaji wa Ubongo na Mishipa ya Fahamu",
        "COSECSA 神经外科专科医师（FCS）",
        [("Fellowship", "Ushirika (Fellowship)", "专科培训", ["O", "A", "S-TS", "S-TU", "P", "T"])],
    ),
    (
        "short-course-neurotrauma",
        "Short course: neurotrauma care",
        "Kozi fupi: huduma ya majeraha ya kichwa",
        "短期课程：颅脑创伤救治",
        [("Course", "Kozi", "课程", ["O", "A", "S-TS"])],
    ),
]
# Illustrative minimums for the demonstration (group, level, minimum).
REQUIREMENTS = {
    "mmed-neurosurgery-tz": [
        ("cranial-trauma", "S-TS", 20),
        ("cranial-trauma", "P", 10),
        ("csf", "S-TS", 15),
        ("spine", "S-TS", 10),
        ("oncology", "A", 10),
    ],
    "cosecsa-fcs-neurosurgery": [("cranial-trauma", "P", 40), ("csf", "P", 30), ("spine", "S-TU", 30)],
    "short-course-neurotrauma": [("cranial-trauma", "A", 5)],
}
COMPETENCIES = [
    (
        "epa-raised-icp",
        "Assess and manage raised intracranial pressure",
        "Kutathmini na kutibu shinikizo la juu ndani ya fuvu",
        "评估和处理颅内压增高",
    ),
    (
        "epa-emergency-craniotomy",
        "Perform an emergency craniotomy for haematoma",
        "Kufanya craniotomy ya dharura kuondoa damu iliyoganda",
        "急诊开颅血肿清除",
    ),
    (
        "epa-shunt",
        "Manage a child with hydrocephalus",
        "Kumhudumia mtoto mwenye hydrocephalus",
        "处理小儿脑积水",
    ),
]
ENTRIES = [
    # days ago, procedure, diagnosis, urgency, age band, sex, code, decision
    (2, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "65+", "male", "P", None),
    (5, "vp-shunt", "Congenital hydrocephalus", "elective", "0-1", "female", "S-TS", None),
    (
        9,
        "craniotomy-edh",
        "Extradural haematoma after a road traffic injury",
        "emergency",
        "16-39",
        "male",
        "P",
        "confirm",
    ),
    (12, "lumbar-discectomy", "Lumbar disc prolapse L4/5", "elective", "40-64", "female", "S-TU", "confirm"),
    (
        16,
        "decompressive-craniectomy",
        "Severe traumatic brain injury",
        "emergency",
        "16-39",
        "male",
        "P",
        "confirm",
    ),
    (20, "mmc-repair", "Lumbosacral myelomeningocele", "urgent", "0-1", "male", "A", "query"),
]
# Eighteen months before those, validated: first observing and assisting, then supervised, then
# operating alone, so the autonomy curve (P and T by quarter) has a story to show.
HISTORY = [
    # days ago, procedure, diagnosis, urgency, age band, sex, code
    (530, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "65+", "male", "A"),
    (515, "vp-shunt", "Congenital hydrocephalus", "elective", "0-1", "male", "O"),
    (490, "craniotomy-edh", "Extradural haematoma", "emergency", "16-39", "male", "A"),
    (440, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "40-64", "female", "S-TS"),
    (420, "vp-shunt", "Post-infective hydrocephalus", "urgent", "0-1", "female", "A"),
    (395, "lumbar-discectomy", "Lumbar disc prolapse L5/S1", "elective", "40-64", "male", "S-TS"),
    (350, "craniotomy-edh", "Extradural haematoma", "emergency", "16-39", "male", "S-TS"),
    (330, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "65+", "male", "S-TU"),
    (300, "vp-shunt", "Congenital hydrocephalus", "elective", "0-1", "female", "S-TS"),
    (260, "decompressive-craniectomy", "Severe traumatic brain injury", "emergency", "16-39", "male", "S-TS"),
    (240, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "65+", "female", "P"),
    (215, "craniotomy-edh", "Extradural haematoma", "emergency", "16-39", "male", "S-TU"),
    (170, "vp-shunt", "Congenital hydrocephalus", "elective", "0-1", "male", "S-TU"),
    (150, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "65+", "male", "P"),
    (125, "craniotomy-edh", "Extradural haematoma", "emergency", "16-39", "female", "P"),
    (100, "vp-shunt", "Congenital hydrocephalus", "elective", "0-1", "female", "S-TU"),
    (80, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "40-64", "male", "P"),
    (60, "vp-shunt", "Post-haemorrhagic hydrocephalus", "urgent", "0-1", "female", "P"),
    (40, "burr-hole-csdh", "Chronic subdural haematoma", "urgent", "65+", "female", "T"),
]


def _person(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def _curriculum(moi: Institution) -> dict[str, Programme]:
    made = {}
    for code, en, sw, zh, stages in PROGRAMMES:
        programme = Programme.objects.create(
            code=code, name_en=en, name_sw=sw, name_zh_hans=zh, institution=moi
        )
        for position, (s_en, s_sw, s_zh, codes) in enumerate(stages):
            Stage.objects.create(
                programme=programme,
                position=position,
                name_en=s_en,
                name_sw=s_sw,
                name_zh_hans=s_zh,
                allowed_codes=codes,
            )
        for group, level, minimum in REQUIREMENTS[code]:
            Requirement.objects.create(
                programme=programme,
                group=ProcedureGroup.objects.get(code=group),
                level=level,
                minimum=minimum,
            )
        made[code] = programme
    for code, en, sw, zh in COMPETENCIES:
        Competency.objects.create(
            programme=made["mmed-neurosurgery-tz"], code=code, name_en=en, name_sw=sw, name_zh_hans=zh
        )
    return made


def load_demo() -> str:
    trainee, supervisor = _person("trainee"), _person("neurosurgeon")
    if Enrolment.objects.filter(trainee=trainee).exists():
        return "Demo training data already loaded."
    moi = Institution.objects.get(short_code="MOI")
    with transaction.atomic():
        programmes = _curriculum(moi)
        mmed = programmes["mmed-neurosurgery-tz"]
        today = actions.local_today(trainee)
        enrolment = actions.enrol(
            _person("coordinator"),
            trainee,
            mmed,
            mmed.stages.get(position=2),  # Years 3–4: every code, P and T included
            moi,
            [supervisor],
            today - timedelta(days=600),
        )

        def log(
            days: int, procedure: str, diagnosis: str, urgency: str, age: str, sex: str, code: str
        ) -> LogbookEntry:
            return actions.log_entry(
                trainee,
                actions.EntryData(
                    enrolment=enrolment,
                    performed_on=today - timedelta(days=days),
                    institution=moi,
                    urgency=urgency,
                    age_band=age,
                    sex=sex,
                    diagnosis=diagnosis,
                    procedures=[Procedure.objects.get(code=procedure)],
                    supervision=code,
                    supervisor=supervisor,
                    reflection=SYNTHETIC,
                ),
            )

        for past in HISTORY:
            actions.validate_entry(supervisor, log(*past), "confirm")
        for days, procedure, diagnosis, urgency, age, sex, code, decision in ENTRIES:
            entry = log(days, procedure, diagnosis, urgency, age, sex, code)
            if decision:
                comment = "Was the trainer scrubbed for the closure?" if decision == "query" else ""
                actions.validate_entry(supervisor, entry, decision, comment)
        case = _operated_case(trainee, supervisor, moi)
    return (
        f"{len(HISTORY) + len(ENTRIES)} synthetic logbook entries created for the demo trainee; "
        f"case {case.code} waits to be logged."
    )


def _operated_case(trainee: User, supervisor: User, moi: Institution) -> Case:
    """A fictional patient the trainee (a resident, who refers too) sent for advice from MOI and
    who was then operated there: its page offers the trainee "Log this operation"."""
    accounts.add_role(_person("admin"), trainee, moi, Role.REFERRER)
    trainee.forget_memberships()
    case = consultations.create_draft(
        trainee,
        institution=moi,
        category=DiagnosisCategory.objects.get(code="hydrocephalus", specialty__code="neurosurgery"),
        clinical={
            "urgency": "urgent",
            "age_value": 3,
            "age_unit": "months",
            "sex": "male",
            "intracranial_bleed": "no",
            "shunt_history": "none",
            "presenting_complaint": "Enlarging head circumference and sunset eyes",
            "question": "Shunt here, or ETV with choroid plexus cauterisation?",
        },
        identity={"full_name": "Demo Patient D", "hospital_number": "DEMO-D"},
    )
    access = case_access(trainee, case)
    consultations.record_consent(
        access,
        trainee,
        given_by="relative",
        relationship="mother",
        method="verbal",
        countries=list(Country.objects.all()),
    )
    consultations.submit(case_access(trainee, case), trainee)
    case.refresh_from_db()
    consultations.record_outcome(
        case_access(supervisor, case),
        supervisor,
        {
            "management": "operated_locally",
            "operated_by": "local_surgeon",
            "operation": "Ventriculoperitoneal shunt",
            "operation_date": actions.local_today(trainee),
            "discharge_status": "still_admitted",
        },
    )
    return case
