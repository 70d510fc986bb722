"""Who sees which imaging on a case.

The referring team (at the Tanzanian hospital) sees every study of its case, reviews series whose
pixels may show identifiers, excludes what must not leave, and shares. Everyone else who may open
the case (assigned or answering consultants, coordinators) sees only shared studies, and in them
only the series that are shareable: not excluded, and reviewed where a review is needed. What a
person outside Tanzania opens is audited with its case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from consultations.access import CaseAccess, get_case_for_user
from consultations.models import Consent
from imaging.models import Instance, Series, Study


@dataclass(frozen=True)
class ImagingAccess:
    user: User
    case_access: CaseAccess

    @property
    def manages(self) -> bool:
        """Uploads, attaches, reviews, excludes and shares: the referring team."""
        return self.case_access.in_referring_team

    @property
    def abroad(self) -> bool:
        return not self.user.works_where_identifiable_data_is_kept

    @property
    def may_download_originals(self) -> bool:
        if self.manages and not self.abroad:
            return True
        # Abroad: only where the deployment allows it (a legal basis for the transfer) and the
        # patient's consent names a country this person works in.
        return (
            settings.IMAGING_ORIGINALS_ABROAD
            and not self.manages
            and self.abroad
            and Consent.objects.filter(
                case=self.case_access.case,
                countries__in=[m.institution.country_id for m in self.user.active_memberships],
            ).exists()
        )

    def studies(self) -> QuerySet[Study]:
        studies = Study.objects.filter(case=self.case_access.case)
        return studies if self.manages else studies.filter(shared_at__isnull=False)

    def series(self) -> QuerySet[Series]:
        series = Series.objects.filter(study__in=self.studies()).select_related("study")
        if self.manages:
            return series
        return series.filter(excluded=False).filter(Q(suspicions=[]) | Q(reviewed_at__isnull=False))

    def instances(self) -> QuerySet[Instance]:
        return Instance.objects.filter(series__in=self.series())


def imaging_access(user: User, code: str) -> ImagingAccess:
    return ImagingAccess(user=user, case_access=get_case_for_user(user, code))


def series_for(access: ImagingAccess, series_id: int) -> Series:
    series = access.series().filter(pk=series_id).first()
    if series is None:
        raise Http404
    return series


def instance_for(access: ImagingAccess, instance_id: int) -> Instance:
    instance = access.instances().select_related("series__study").filter(pk=instance_id).first()
    if instance is None:
        raise Http404
    return instance
