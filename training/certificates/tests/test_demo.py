"""The demo's certificates: issued through the actions to the demo's synthetic people, once."""

from __future__ import annotations

from core.plugins import demo_loaders
from training.certificates.models import Certificate, Kind


def test_the_demo_loader_issues_the_trainees_first_year_and_the_workshop_once(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training", "training_sessions"):
        loaders[name].load()
    assert "synthetic" in loaders["training_certificates"].load()
    kinds = sorted(
        Certificate.objects.filter(holder__email__startswith="trainee@").values_list("kind", flat=True)
    )
    assert kinds == [Kind.MILESTONE, Kind.SESSION]
    count = Certificate.objects.count()
    assert "already" in loaders["training_certificates"].load()
    assert Certificate.objects.count() == count
