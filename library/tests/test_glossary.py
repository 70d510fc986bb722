"""The glossary: seeded with common terms in three languages, searched in any of them (accents,
case; Chinese as a substring), exact matches first; coordinators add and edit, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.errors import ActionError
from core.models import AuditEntry
from library import actions
from library.models import GlossaryTerm
from library.queries import glossary_matching
from neurodaraja.testing.personas import Personas, sign_in

SEEDED = [
    "extradural haematoma",
    "acute subdural haematoma",
    "hydrocephalus",
    "ventriculoperitoneal shunt",
    "endoscopic third ventriculostomy",
    "burr hole",
    "craniotomy",
    "Glasgow Coma Scale",
    "pupil",
    "brain herniation",
    "midline shift",
    "myelomeningocele",
    "laminectomy",
]


def first(q: str) -> str:
    return glossary_matching(q)[0].term_en


@pytest.mark.django_db
def test_the_seed_holds_the_common_terms_in_three_languages():
    assert GlossaryTerm.objects.count() >= 40
    for name in SEEDED:
        term = GlossaryTerm.objects.get(term_en=name)
        assert term.term_sw and term.term_zh_hans and term.definition_sw and term.definition_zh_hans
    assert GlossaryTerm.objects.get(term_en="extradural haematoma").term_zh_hans == "硬膜外血肿"
    assert GlossaryTerm.objects.get(term_en="hydrocephalus").term_zh_hans == "脑积水"
    assert GlossaryTerm.objects.get(term_en="ventriculoperitoneal shunt").term_zh_hans == "脑室腹腔分流术"


@pytest.mark.django_db
def test_kiswahili_records_the_english_loan_clinicians_use():
    shunt = GlossaryTerm.objects.get(term_en="ventriculoperitoneal shunt")
    assert "shunt (Kiingereza)" in shunt.also_sw
    assert first("shunt") == "ventriculoperitoneal shunt"  # said so in Kiswahili as in English


@pytest.mark.django_db
def test_a_term_is_found_from_any_language_accents_and_case_ignored():
    assert first("Maji Kichwani") == "hydrocephalus"
    assert first("脑积水") == "hydrocephalus"
    assert first("HÆMATOMA".replace("Æ", "AE")) != ""
    assert first("gcs") == "Glasgow Coma Scale"
    assert first("utosi") == "anterior fontanelle"
    assert first("Extradural  Haematóma") == "extradural haematoma"


@pytest.mark.django_db
def test_chinese_is_found_inside_a_longer_term():
    found = [t.term_en for t in glossary_matching("分流")]
    assert "ventriculoperitoneal shunt" in found and "shunt malfunction" in found


@pytest.mark.django_db
def test_exact_matches_come_first_then_terms_that_start_with_the_words():
    found = [t.term_en for t in glossary_matching("subdural")]
    # "subdural" is said on its own for an acute subdural (also said), ahead of the chronic one.
    assert found[:2] == ["acute subdural haematoma", "chronic subdural haematoma"]
    shunt = [t.term_en for t in glossary_matching("shunt")]
    assert shunt.index("ventriculoperitoneal shunt") < shunt.index("shunt malfunction")


@pytest.mark.django_db
def test_nothing_found_says_so(client: Client, cast: Personas):
    sign_in(client, cast.trainee)
    page = client.get("/library/glossary/?q=zzzz")
    assert page.status_code == 200 and not page.context["terms"]
    assert "No term matches this search." in page.content.decode()


def test_the_glossary_page_shows_the_three_languages(client: Client, cast: Personas):
    sign_in(client, cast.referrer)
    page = client.get("/library/glossary/?q=ETV").content.decode()
    assert "内镜下第三脑室造瘘术" in page and "kutoboa ventrikali ya tatu kwa endoskopu" in page


def test_a_coordinator_adds_and_edits_a_term_audited(cast: Personas, client: Client):
    sign_in(client, cast.outsider_coordinator)
    data = {
        "topic": "spine",
        "term_en": "discectomy",
        "term_sw": "kuondoa diski",
        "also_sw": "discectomy (Kiingereza)",
        "term_zh_hans": "椎间盘切除术",
        "definition_en": "Removing a herniated disc.",
        "definition_sw": "Kuondoa diski iliyotokeza.",
        "definition_zh_hans": "切除突出的椎间盘。",
    }
    assert client.post("/library/glossary/new/", data).status_code == 302
    term = GlossaryTerm.objects.get(term_en="discectomy")
    assert first("椎间盘切除") == "discectomy"
    assert (
        client.post(
            f"/library/glossary/{term.pk}/edit/", {**data, "term_sw": "upasuaji wa diski"}
        ).status_code
        == 302
    )
    term.refresh_from_db()
    assert term.term_sw == "upasuaji wa diski" and first("upasuaji wa diski") == "discectomy"
    assert [
        e.action for e in AuditEntry.objects.filter(action__startswith="library.term").order_by("id")
    ] == [
        "library.term_added",
        "library.term_changed",
    ]


def test_a_duplicate_or_incomplete_term_is_refused_and_nothing_changes(cast: Personas, client: Client):
    before = GlossaryTerm.objects.count()
    sign_in(client, cast.coordinator)
    duplicate = client.post(
        "/library/glossary/new/",
        {
            "topic": "hydrocephalus",
            "term_en": "Hydrocephalus",
            "term_sw": "x",
            "term_zh_hans": "x",
            "definition_en": "x",
            "definition_sw": "x",
            "definition_zh_hans": "x",
        },
    )
    assert duplicate.status_code == 400
    assert "This English term is already in the glossary." in duplicate.content.decode()
    missing = client.post("/library/glossary/new/", {"topic": "spine", "term_en": "discectomy"})
    assert missing.status_code == 400 and "This field is required." in missing.content.decode()
    assert GlossaryTerm.objects.count() == before


def test_only_coordinators_edit_the_glossary(cast: Personas):
    term = GlossaryTerm.objects.get(term_en="pupil")
    with pytest.raises(PermissionDenied):
        actions.change_term(cast.consultant_china, term, {"term_en": "pupil", "term_zh_hans": "x"})
    with pytest.raises(ActionError):
        actions.change_term(cast.coordinator, term, {**_fields(term), "term_en": "craniotomy"})
    term.refresh_from_db()
    assert term.term_zh_hans == "瞳孔"


def _fields(term: GlossaryTerm) -> dict[str, str]:
    return {name: getattr(term, name) for name in actions.TERM_FIELDS}


def test_the_glossary_page_takes_the_same_queries_however_many_terms_match(cast: Personas, client: Client):
    sign_in(client, cast.trainee)
    client.get("/library/glossary/")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as counted:
            assert client.get(url).status_code == 200
        return len(counted.captured_queries)

    assert (
        queries("/library/glossary/?q=pupil")
        == queries("/library/glossary/?q=a")
        == queries("/library/glossary/")
    )
