"""Coordinators set their programme's requirements on a page; the procedure list is seeded with
honest standard codes; curriculum items carry their names in three languages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.errors import FieldErrors
from core.models import AuditEntry
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import Procedure, ProcedureGroup, Requirement
from training.tests.world import training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_a_coordinator_sets_changes_and_removes_a_requirement_on_the_page(cast, world, client):
    spine = ProcedureGroup.objects.get(code="spine")
    coordinator = sign_in(client, cast.coordinator)
    url = f"/training/programmes/{world.programme.pk}/"
    assert coordinator.post(url, {"group": spine.pk, "level": "S-TS", "minimum": 12}).status_code == 302
    assert coordinator.post(url, {"group": spine.pk, "level": "S-TS", "minimum": 15}).status_code == 302
    assert Requirement.objects.get(group=spine).minimum == 15
    assert AuditEntry.objects.filter(action="training.requirement_set").count() == 2
    coordinator.post(url, {"group": spine.pk, "level": "S-TS", "minimum": 0})
    assert not Requirement.objects.filter(group=spine).exists()


def test_a_negative_or_huge_minimum_is_refused_with_its_message_and_nothing_changes(cast, world, client):
    spine = ProcedureGroup.objects.get(code="spine")
    page = sign_in(client, cast.coordinator).post(
        f"/training/programmes/{world.programme.pk}/", {"group": spine.pk, "level": "P", "minimum": -3}
    )
    assert page.status_code == 200 and page.context["form"].errors["minimum"]
    with pytest.raises(FieldErrors):
        actions.set_requirement(cast.coordinator, world.programme, spine, "P", 99999)
    assert not Requirement.objects.filter(group=spine).exists()


def test_another_institutions_coordinator_cannot_set_a_requirement(cast, world):
    with pytest.raises(PermissionDenied):
        actions.set_requirement(
            cast.outsider_coordinator, world.programme, ProcedureGroup.objects.get(code="spine"), "P", 5
        )


def test_curriculum_items_are_shown_in_the_readers_language(world):
    vp = Procedure.objects.get(code="vp-shunt")
    with translation.override("zh-hans"):
        assert vp.name == "脑室-腹腔分流术" and world.second_year.name == "第二年"
    with translation.override("sw"):
        assert "VP shunt" in vp.name


def test_every_seeded_procedure_has_three_names_and_only_well_known_standard_codes(db):
    procedures = list(Procedure.objects.all())
    assert len(procedures) >= 15
    assert all(p.name_en and p.name_sw and p.name_zh_hans for p in procedures)
    assert {p.code: p.icd9cm3 for p in procedures if p.icd9cm3} == {
        "vp-shunt": "02.34",
        "lumbar-laminectomy": "03.09",
        "lumbar-discectomy": "80.51",
        "craniotomy-tumour": "01.59",
        "mmc-repair": "03.52",
    }
    assert not any(p.icd10pcs for p in procedures)
    assert {p.code for p in procedures if p.paediatric_bellwether} == {
        "vp-shunt",
        "etv",
        "mmc-repair",
        "encephalocele-repair",
    }
