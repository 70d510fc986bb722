"""Who may open and who may change the library's records.

Everyone signed in reads the whole library and glossary (they are shared across the
partnership). A resource is changed by the coordinators of the institution that added it; a
coordinator elsewhere sees it but may not change it (403). Glossary terms are reference data of
the partnership: any coordinator edits them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role, User
from library.models import GlossaryTerm, Resource


def may_add(user: User) -> bool:
    return Role.COORDINATOR in user.roles


def may_change(user: User, resource: Resource) -> bool:
    return any(place.pk == resource.institution_id for place in user.institutions_with_role(Role.COORDINATOR))


def may_edit_glossary(user: User) -> bool:
    return Role.COORDINATOR in user.roles


def get_resource(user: User, resource_id: int) -> Resource:
    """A resource anyone signed in may open (404 if there is none)."""
    resource = Resource.objects.select_related("institution").filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    return resource


def get_resource_to_change(user: User, resource_id: int) -> Resource:
    resource = get_resource(user, resource_id)
    if not may_change(user, resource):
        raise PermissionDenied
    return resource


def get_term_to_change(user: User, term_id: int) -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(pk=term_id).first()
    if term is None:
        raise Http404
    if not may_edit_glossary(user):
        raise PermissionDenied
    return term
