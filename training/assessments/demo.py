"""Demonstration assessments for the demo trainee: one completed case-based discussion, one DOPS
waiting for the assessor, one EPA observation overdue. Synthetic, and each says so. Loaded once;
running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import User
from training.actions import local_today
from training.assessments import actions
from training.assessments.models import Assessment, due_from
from training.models import Competency, Enrolment, Procedure

SYNTHETIC = "Synthetic demonstration assessment – not a real patient."


def _person(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def load_demo() -> str:
    trainee, assessor = _person("trainee"), _person("neurosurgeon")
    enrolment = Enrolment.objects.filter(trainee=trainee, is_active=True).first()
    if enrolment is None:
        return "No demo enrolment: assessments not loaded."
    if Assessment.objects.filter(trainee=trainee).exists():
        return "Demo assessments already loaded."
    today = local_today(trainee)

    def ask(kind: str, days_ago: int, **extra: object) -> Assessment:
        data = actions.RequestData(
            enrolment=enrolment,
            kind=kind,
            assessor=assessor,
            observed_on=today - timedelta(days=days_ago),
            institution=enrolment.institution,
            summary=SYNTHETIC,
            **extra,  # type: ignore[arg-type]
        )
        return actions.request_assessment(trainee, data)

    with transaction.atomic():
        cbd = ask("cbd", 6, procedure=Procedure.objects.get(code="burr-hole-csdh"))
        actions.complete_assessment(
            assessor,
            cbd,
            3,
            f"{SYNTHETIC} Clear account of the indication and of the risk of recurrence.",
            "Explained the choice of burr holes over a craniotomy.",
            "Plan the drain's removal and the follow-up scan.",
        )
        ask("dops", 2, procedure=Procedure.objects.get(code="vp-shunt"))
        competency = Competency.objects.filter(programme=enrolment.programme, code="epa-raised-icp").first()
        overdue = ask("epa", 20, competency=competency)
        asked = timezone.now() - timedelta(days=19)
        # Back-dated so that the demo shows an overdue request and its reminder.
        Assessment.objects.filter(pk=overdue.pk).update(requested_at=asked, due_at=due_from(asked))
    return "3 synthetic workplace-based assessments created for the demo trainee."
