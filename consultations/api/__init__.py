"""JSON API for consultations: the same actions and permissions as the pages. One module per
resource, gathered in the one router `neurodaraja.api` mounts."""

from ninja import Router

from consultations.api import cases, conferences, discussion, files, outcomes, rosters

router = Router(tags=["consultations"])
for part in (cases, discussion, files, outcomes, conferences, rosters):
    router.add_router("/", part.router)

__all__ = ["router"]
