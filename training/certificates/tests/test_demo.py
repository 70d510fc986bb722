"""The demo's certificates: issued through the actions to the demo's synthetic people, once."""

from __future__ import annotations

from core.plugins import demo_loaders
from training.certificates.models import Certificate, Kind
from training.models import Enrolment


def test_the_demo_loader_issues_the_trainees_completed_stages_and_the_workshop_once(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training", "training_sessions"):
        loaders[name].load()
    assert "synthetic" in loaders["training_certificates"].load()
    kinds = sorted(
        Certificate.objects.filter(holder__email__startswith="trainee@").values_list("kind", flat=True)
    )
    # One milestone per stage the demo trainee has completed (those before their own), one workshop.
    enrolment = (
        Enrolment.objects.filter(trainee__email__startswith="trainee@").select_related("stage").first()
    )
    assert enrolment is not None
    completed = enrolment.programme.stages.filter(position__lt=enrolment.stage.position).count()
    assert completed >= 1
    assert kinds == [Kind.MILESTONE] * completed + [Kind.SESSION]
    count = Certificate.objects.count()
    assert "already" in loaders["training_certificates"].load()
    assert Certificate.objects.count() == count
