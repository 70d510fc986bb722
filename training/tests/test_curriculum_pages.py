"""Coordinators edit the curriculum in three languages without the admin site: programmes of
their institution, its stages (with the codes each allows) and competencies (EPA, expected level),
and the procedure groups every programme shares. Each change is in the audit; a coordinator of
another institution does not find the programme (404), other roles are refused (403); bad input is
refused at its field with nothing saved."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in
from training.models import Competency, ProcedureGroup, Programme, Stage
from training.tests.world import training_world

pytestmark = pytest.mark.django_db

NAMES = {"name_en": "Year 3", "name_sw": "Mwaka wa 3", "name_zh_hans": "第三年"}


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_a_coordinator_adds_a_stage_with_its_codes_in_three_languages(cast, world, client):
    url = f"/training/programmes/{world.programme.pk}/stages/new/"
    answer = sign_in(client, cast.coordinator).post(url, NAMES | {"position": 2, "allowed_codes": ["P", "T"]})
    assert answer.status_code == 302
    stage = Stage.objects.get(name_en="Year 3")
    assert stage.programme == world.programme and stage.allowed_codes == ["P", "T"]
    assert stage.name_zh_hans == "第三年"
    entry = AuditEntry.objects.get(action="training.curriculum_changed")
    assert entry.detail == {"part": "stage", "added": True, "programme": "mmed"}


def test_a_stage_with_no_code_or_a_missing_name_is_refused_at_its_field(cast, world, client):
    url = f"/training/programmes/{world.programme.pk}/stages/{world.first_year.pk}/"
    page = sign_in(client, cast.coordinator).post(url, NAMES | {"name_sw": "", "position": 0})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"name_sw", "allowed_codes"}
    world.first_year.refresh_from_db()
    assert (
        world.first_year.name_en == "Year 1"
        and not AuditEntry.objects.filter(action="training.curriculum_changed").exists()
    )


def test_a_coordinator_edits_the_programme_and_adds_a_competency(cast, world, client):
    signed_in = sign_in(client, cast.coordinator)
    answer = signed_in.post(
        f"/training/programmes/{world.programme.pk}/edit/",
        {
            "code": "mmed",
            "name_en": "MMed Neurosurgery (UDSM)",
            "name_sw": "MMed",
            "name_zh_hans": "硕士",
            "institution": cast.institutions["MOI"].pk,
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    assert Programme.objects.get(pk=world.programme.pk).name_en == "MMed Neurosurgery (UDSM)"
    answer = signed_in.post(
        f"/training/programmes/{world.programme.pk}/competencies/new/",
        {
            "code": "epa-evd",
            "name_en": "Insert an EVD",
            "name_sw": "Kuweka EVD",
            "name_zh_hans": "脑室外引流",
            "stage": world.second_year.pk,
            "level_expected": 4,
        },
    )
    assert answer.status_code == 302
    assert Competency.objects.get(code="epa-evd").level_expected == 4


def test_an_expected_level_outside_1_to_5_is_refused(cast, world, client):
    page = sign_in(client, cast.coordinator).post(
        f"/training/programmes/{world.programme.pk}/competencies/new/",
        {"code": "epa-x", **NAMES, "level_expected": 7},
    )
    assert page.status_code == 200 and "level_expected" in page.context["form"].errors
    assert not Competency.objects.filter(code="epa-x").exists()


def test_a_programme_may_be_created_only_at_an_institution_one_coordinates(cast, world, client):
    signed_in = sign_in(client, cast.coordinator)
    data = {
        "code": "cosecsa",
        "name_en": "COSECSA",
        "name_sw": "COSECSA",
        "name_zh_hans": "COSECSA",
        "institution": cast.institutions["KCMC"].pk,
        "is_active": "on",
    }
    page = signed_in.post("/training/programmes/new/", data)
    assert page.status_code == 200 and "institution" in page.context["form"].errors
    assert (
        signed_in.post(
            "/training/programmes/new/", data | {"institution": cast.institutions["MOI"].pk}
        ).status_code
        == 302
    )
    assert Programme.objects.get(code="cosecsa").institution == cast.institutions["MOI"]


def test_any_coordinator_edits_a_shared_procedure_group(cast, world, client):
    group = ProcedureGroup.objects.get(code="csf")
    answer = sign_in(client, cast.outsider_coordinator).post(
        f"/training/groups/{group.pk}/",
        {
            "code": "csf",
            "name_en": "CSF diversion",
            "name_sw": "Kugeuza njia ya CSF",
            "name_zh_hans": "脑脊液分流",
            "position": group.position,
        },
    )
    assert answer.status_code == 302
    group.refresh_from_db()
    assert group.name_sw == "Kugeuza njia ya CSF"


def test_who_may_not_edit(cast, world, client):
    stage_url = f"/training/programmes/{world.programme.pk}/stages/new/"
    assert sign_in(client, cast.outsider_coordinator).get(stage_url).status_code == 404
    client.logout()
    assert sign_in(client, cast.trainee).get(stage_url).status_code == 403
    assert client.get("/training/groups/new/").status_code == 403


def test_the_api_reads_and_changes_the_curriculum_with_the_same_refusals(cast, world):
    api = bearer_client(cast.coordinator)
    base = f"/api/v1/training/programmes/{world.programme.pk}"
    body = {**NAMES, "position": 2, "allowed_codes": ["S-TU", "P", "T"]}
    added = api.post(f"{base}/stages", body, content_type="application/json")
    assert added.status_code == 201 and added.json()["allowed_codes"] == ["S-TU", "P", "T"]
    changed = api.put(
        f"{base}/stages/{added.json()['id']}",
        body | {"name_sw": "Mwaka wa tatu"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and Stage.objects.get(pk=added.json()["id"]).name_sw == "Mwaka wa tatu"
    bad = api.post(f"{base}/stages", body | {"allowed_codes": ["X"]}, content_type="application/json")
    assert bad.status_code == 422
    competency = {"code": "epa-evd", **NAMES, "stage": world.second_year.pk, "level_expected": 3}
    assert api.post(f"{base}/competencies", competency, content_type="application/json").status_code == 201
    again = api.post(f"{base}/competencies", competency, content_type="application/json")
    assert again.status_code == 422 and "code" in str(again.json())  # one code per programme
    other = api.post(
        f"{base}/competencies",
        competency | {"code": "epa-y", "stage": 999999},
        content_type="application/json",
    )
    assert other.status_code == 422
    set_it = api.put(
        f"{base}/requirements",
        {"group": "spine", "level": "P", "minimum": 4},
        content_type="application/json",
    )
    assert set_it.status_code == 200
    read = api.get(f"{base}/curriculum").json()
    assert {"group": "spine", "level": "P", "minimum": 4} in read["requirements"]
    assert [c["code"] for c in read["competencies"]] == ["epa-evd"]


@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_a_duplicate_code_is_refused_in_a_sentence_of_ours(cast, world, client, language):
    cast.coordinator.preferred_language = language
    cast.coordinator.save(update_fields=["preferred_language"])
    coordinator = sign_in(client, cast.coordinator)
    group = coordinator.post(
        "/training/groups/new/", {"code": "csf", **NAMES, "position": 9}, HTTP_ACCEPT_LANGUAGE=language
    )
    competency = Competency.objects.create(programme=world.programme, code="epa-x", **NAMES)
    again = coordinator.post(
        f"/training/programmes/{world.programme.pk}/competencies/new/",
        {"code": competency.code, **NAMES, "level_expected": 4},
    )
    with translation.override(language):
        ours = gettext("This code is already used: choose another one.")
    assert language == "en" or ours != "This code is already used: choose another one."
    for answer in (group, again):
        assert answer.status_code in (200, 422)
        assert answer.context["form"].errors["code"] == [ours]
    assert ProcedureGroup.objects.filter(code="csf").count() == 1
    assert Competency.objects.filter(code="epa-x").count() == 1
