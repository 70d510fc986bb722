"""JSON API of the library: resources (list, filter, search, one resource, its file) and the
glossary (search in any of the three languages, exact matches first)."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import datetime
from typing import Literal

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.api_auth import api_user
from core.errors import ActionError
from library.access import get_resource
from library.models import GlossaryTerm, Resource
from library.queries import glossary_matching, resources_matching

router = Router(tags=["library"])

TopicCode = Literal[
    "trauma",
    "hydrocephalus",
    "spine",
    "tumour",
    "vascular",
    "paediatric",
    "examination",
    "perioperative",
    "imaging",
]
LanguageCode = Literal["en", "sw", "zh-hans"]
KindCode = Literal["protocol", "guideline", "video", "slides"]
PAGE = 50


class ResourceFilterIn(Schema):
    q: str = Field(
        "", max_length=100, description="Words of the title or description (accents and case ignored)."
    )
    topic: TopicCode | None = None
    language: LanguageCode | None = None
    kind: KindCode | None = None
    offset: int = Field(0, ge=0)


class ResourceOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    language: str
    topic: str
    topic_label: str
    link: str = Field(description="The https link, or empty for a file.")
    file_url: str = Field(description="Where the file is downloaded through the API, or empty for a link.")
    content_type: str
    size: int
    institution: str
    is_demo: bool = Field(description="Synthetic demonstration content, not clinical guidance.")
    added_at: datetime


class ResourcePageOut(Schema):
    count: int
    offset: int
    items: list[ResourceOut]


class GlossarySearchIn(Schema):
    q: str = Field(
        "", max_length=100, description="A term in English, Kiswahili or Chinese (any part of it)."
    )
    topic: TopicCode | None = None


class TermOut(Schema):
    id: int
    topic: str
    topic_label: str
    term_en: str
    term_sw: str
    term_zh_hans: str
    also_en: str
    also_sw: str
    also_zh_hans: str
    definition_en: str
    definition_sw: str
    definition_zh_hans: str

    @staticmethod
    def resolve_topic_label(term: GlossaryTerm) -> str:
        return str(term.get_topic_display())


def _resource_out(resource: Resource) -> ResourceOut:
    return ResourceOut(
        id=resource.pk,
        kind=resource.kind,
        kind_label=resource.get_kind_display(),
        title=resource.title,
        description=resource.description,
        language=resource.language,
        topic=resource.topic,
        topic_label=resource.get_topic_display(),
        link=resource.link,
        file_url=reverse("api:library_resource_file", args=[resource.pk]) if resource.is_file else "",
        content_type=resource.content_type,
        size=resource.size,
        institution=resource.institution.short_code,
        is_demo=resource.is_demo,
        added_at=resource.added_at,
    )


@router.get("/library/resources", response=ResourcePageOut, summary="List and search the library")
def list_resources(request: HttpRequest, filters: Query[ResourceFilterIn]) -> ResourcePageOut:
    api_user(request)
    found = resources_matching(filters.q, filters.topic or "", filters.language or "", filters.kind or "")
    items = list(found[filters.offset : filters.offset + PAGE])
    return ResourcePageOut(
        count=found.count(), offset=filters.offset, items=[_resource_out(r) for r in items]
    )


@router.get("/library/resources/{resource_id}", response=ResourceOut, summary="One library resource")
def read_resource(request: HttpRequest, resource_id: int) -> ResourceOut:
    return _resource_out(get_resource(api_user(request), resource_id))


@router.get(
    "/library/resources/{resource_id}/file",
    url_name="library_resource_file",
    summary="Download a library resource's file",
)
def download_resource(request: HttpRequest, resource_id: int) -> FileResponse:
    resource = get_resource(api_user(request), resource_id)
    if not resource.is_file:
        raise ActionError(_("This resource is a link; it has no file."), code="no_file", status=404)
    name = f"{slugify(resource.title, allow_unicode=True) or 'resource'}{resource.extension}"
    return FileResponse(
        resource.file.open("rb"), content_type=resource.content_type, as_attachment=True, filename=name
    )


@router.get("/library/glossary", response=list[TermOut], summary="Search the glossary")
def search_glossary(request: HttpRequest, search: Query[GlossarySearchIn]) -> list[GlossaryTerm]:
    api_user(request)
    return glossary_matching(search.q, search.topic or "")
