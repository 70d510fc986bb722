"""Which imaging a person may see across all cases at once, for searches (DICOMweb QIDO-RS) and
retrievals by UID, where there is no case code to start from.

The same rules as `imaging.access.ImagingAccess`, case by case, written as one query:

- the referring team (of a Tanzanian hospital or any other) sees every study of its cases, and
  the studies waiting at its institution to be attached (`Study.case` is null);
- anyone else who may open a case sees its shared studies, and in them only the shareable
  series: not excluded, and reviewed where the pixels may show identifiers.

A test holds these queries to `ImagingAccess` for every persona and case.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from consultations.access import cases_visible_to, referring_team_institutions
from imaging.models import Instance, Series, Study


def _managed(user: User, prefix: str = "") -> Q:
    """Studies the person's referring team manages: its cases' and those waiting at its hospital."""
    team = referring_team_institutions(user)
    return Q(**{f"{prefix}case__referring_institution__in": team}) | Q(
        **{f"{prefix}case__isnull": True, f"{prefix}institution__in": team}
    )


def _shared(user: User, prefix: str = "") -> Q:
    return Q(**{f"{prefix}case__in": cases_visible_to(user), f"{prefix}shared_at__isnull": False})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def visible_studies(user: User) -> QuerySet[Study]:
    """Every study the person may know exists (a shared study may hold no series they may see)."""
    if not _active(user):
        return Study.objects.none()
    return Study.objects.filter(_managed(user) | _shared(user))


def visible_series(user: User) -> QuerySet[Series]:
    if not _active(user):
        return Series.objects.none()
    shareable = Q(excluded=False) & (Q(suspicions=[]) | Q(reviewed_at__isnull=False))
    return Series.objects.filter(_managed(user, "study__") | (_shared(user, "study__") & shareable))


def visible_instances(user: User) -> QuerySet[Instance]:
    return Instance.objects.filter(series__in=visible_series(user))


__all__ = ["visible_instances", "visible_series", "visible_studies"]
