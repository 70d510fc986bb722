"""The library in the project's access matrix (neurodaraja/tests/test_access_matrix.py): everyone
signed in reads the library and the glossary; coordinators add; a resource is changed only by the
coordinators of the institution that added it (another institution's coordinator: 403); glossary
terms by any coordinator."""

from __future__ import annotations

from library.models import GlossaryTerm, Resource
from library.tests.files import add_file, add_link
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.personas import Personas

COORDINATORS = {"coordinator", "outsider_coordinator"}
OF_MOI = {"coordinator"}  # coordinates MOI, which added the resources


def objects(cast: Personas) -> Ids:
    moi = cast.institutions["MOI"]
    return {
        "resource": add_file(cast.coordinator, moi).pk,
        "link": add_link(cast.coordinator, moi).pk,
        "term": GlossaryTerm.objects.get(term_en="hydrocephalus").pk,
    }


def resources(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Resource.objects.order_by("pk").values_list("pk", "title", "link", "file", "topic"))


def terms(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(GlossaryTerm.objects.order_by("pk").values_list("pk", "term_en", "term_sw", "definition_en"))


NEW_LINK = {
    "kind": "guideline",
    "title": "Refused",
    "language": "en",
    "topic": "spine",
    "link": "https://example.org/refused",
    "institution": "",
}
NEW_TERM = {
    "topic": "spine",
    "term_en": "refused term",
    "term_sw": "neno",
    "term_zh_hans": "术语",
    "definition_en": "x",
    "definition_sw": "x",
    "definition_zh_hans": "x",
}

PAGES = [
    Page("/library/", everyone()),
    Page("/library/?q=head&topic=trauma&language=en", everyone()),
    Page("/library/new/", expect(COORDINATORS)),
    Page("/library/{resource}/", everyone()),
    Page("/library/{link}/", everyone()),
    Page("/library/{resource}/file/", everyone()),
    Page("/library/{link}/file/", everyone(404)),
    Page("/library/999999/", everyone(404)),
    Page("/library/{resource}/edit/", expect(OF_MOI)),
    Page("/library/{resource}/remove/", expect(OF_MOI)),
    Page("/library/glossary/", everyone()),
    Page("/library/glossary/?q=maji", everyone()),
    Page("/library/glossary/new/", expect(COORDINATORS)),
    Page("/library/glossary/{term}/edit/", expect(COORDINATORS)),
    Page("/library/glossary/999999/edit/", everyone(404)),
]

CHANGES = [
    Change("/library/new/", expect(COORDINATORS), resources, NEW_LINK),
    Change("/library/{resource}/edit/", expect(OF_MOI), resources, {**NEW_LINK, "title": "Changed"}),
    Change("/library/{resource}/remove/", expect(OF_MOI), resources, {"confirm": "yes"}),
    Change("/library/glossary/new/", expect(COORDINATORS), terms, NEW_TERM),
    Change(
        "/library/glossary/{term}/edit/",
        expect(COORDINATORS),
        terms,
        {**NEW_TERM, "term_en": "hydrocephalus"},
    ),
]

ENDPOINTS = [
    Endpoint("get", "/library/resources", everyone()),
    Endpoint("get", "/library/resources/{resource}", everyone()),
    Endpoint("get", "/library/resources/999999", everyone(404)),
    Endpoint("get", "/library/resources/{resource}/file", everyone()),
    Endpoint("get", "/library/resources/{link}/file", everyone(404)),
    Endpoint("get", "/library/glossary", everyone()),
]
