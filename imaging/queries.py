"""What the case page and the imaging page both say about a case's imaging."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from imaging.access import ImagingAccess
from imaging.models import Study, Upload


class Sharing(TextChoices):
    """Where the case's imaging stands, as those outside the referring team may read it."""

    NONE = "none", _("No imaging on this case yet.")
    PREPARING = (
        "preparing",
        _("Imaging is being prepared at the referring hospital: it shows here once it is ready."),
    )
    NOT_SHARED = (
        "not_shared",
        _("Imaging not shared yet: the referring team has been asked to check it and share it."),
    )
    SHARED = "shared", _("Shared by the referring team.")


def sharing_state(access: ImagingAccess) -> Sharing:
    """Shared when anything is; otherwise whether something is on its way or waits at home. Says
    only that imaging exists, never what it is."""
    case = access.case_access.case
    if access.studies().filter(shared_at__isnull=False).exists():
        return Sharing.SHARED
    if Upload.objects.filter(
        batch__case=case, state__in=[Upload.State.WAITING, Upload.State.PROCESSING]
    ).exists():
        return Sharing.PREPARING
    if Study.objects.filter(case=case).exists():
        return Sharing.NOT_SHARED
    return Sharing.NONE


def more_to_come(access: ImagingAccess) -> Sharing | None:
    """Besides what is shared: more being prepared, or more waiting at home."""
    case = access.case_access.case
    if Upload.objects.filter(
        batch__case=case, state__in=[Upload.State.WAITING, Upload.State.PROCESSING]
    ).exists():
        return Sharing.PREPARING
    if Study.objects.filter(case=case, shared_at__isnull=True).exists():
        return Sharing.NOT_SHARED
    return None
