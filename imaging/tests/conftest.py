from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Case, OnCallShift


@pytest.fixture
def case_for_china(cast, make_case) -> Case:
    """A sent consultation assigned to the consultant in China (on call when it was sent)."""
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.consultant_china, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
    )
    case = make_case(send=True)
    assert case.assignments.filter(consultant=cast.consultant_china, ended_at__isnull=True).exists()
    return case
