"""The demo lets a visitor try the logbook: the trainee's autonomy grows over six quarters, and a
case the trainee referred and saw operated offers "Log this operation"."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_DOMAIN
from accounts.models import User
from consultations.models import Case
from neurodaraja.testing.personas import sign_in
from training.models import Enrolment, EntryStatus, LogbookEntry
from training.progress import autonomy_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = "/nonexistent"  # the images are not needed here
    call_command("loaddemo")
    return User.objects.get(email=f"trainee@{DEMO_DOMAIN}")


def test_the_demo_trainees_autonomy_grows_quarter_by_quarter(demo):
    enrolment = Enrolment.objects.get(trainee=demo)
    quarters, curves = autonomy_of(enrolment)
    overall = curves[None]  # all groups, each entry once
    shares = [
        q.independent.validated / q.total.validated
        for start in quarters
        if (q := overall.get(start)) is not None and q.total.validated
    ]
    assert len(quarters) >= 6 and shares[0] == 0 and max(shares) > 0.5
    assert shares[-1] >= 0.5  # the latest quarter too: the story ends where it should
    every = LogbookEntry.objects.filter(trainee=demo)
    assert every.filter(status=EntryStatus.CONFIRMED).count() > every.count() / 2
    assert all("Synthetic" in entry.reflection for entry in every)


def test_the_demo_trainee_finds_a_case_to_log(demo, client):
    case = Case.objects.get(created_by=demo)
    page = sign_in(client, demo).get(f"/consultations/{case.code}/").content.decode()
    assert f"/training/entries/new/?case={case.code}" in page
