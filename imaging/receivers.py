"""What imaging does when a consultation changes state (signals of consultations, which does not
import imaging)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.models import User
from consultations.access import case_access
from consultations.actions.common import params, referring_team
from consultations.models import Case, Consent
from core.notifications import notify
from imaging import actions
from imaging.access import ImagingAccess
from imaging.models import Study
from imaging.notices import REVIEW_BEFORE_SHARING


def consent_covers_imaging(case: Case) -> bool:
    """The consent recorded before sending names the countries where the case may be seen; the
    case's imaging is part of the case, so it covers sharing the de-identified studies there."""
    consent = Consent.objects.filter(case=case).first()
    return consent is not None and consent.countries.exists()


def share_with_the_case(
    sender: Any, case: Case, user: User, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Sending the case shares its processed studies: what may be shared is (series held back or
    waiting for the referrer's look at their pixels stay at home), and the referring team is
    asked to look at the rest."""
    if not consent_covers_imaging(case):
        return
    access = ImagingAccess(user=user, case_access=case_access(user, case))
    waiting_for_review = False
    for study in Study.objects.filter(case=case, shared_at__isnull=True).prefetch_related("series"):
        series = list(study.series.all())
        waiting_for_review = waiting_for_review or any(s.awaits_review for s in series)
        if any(s.shareable for s in series):
            actions.share_study(access, study.pk, request)
    if waiting_for_review:
        notify(
            referring_team(case),
            REVIEW_BEFORE_SHARING,
            params=params(case),
            url=reverse("imaging:case", args=[case.code]),
        )
