"""The audit trail's details read in the auditor's language: each key of an entry's detail by its
label, coded values by theirs, yes/no for true/false (issue 11), and the object by its kind."""

from __future__ import annotations

from django.utils import translation

from accounts import actions
from accounts import audit_actions as acts
from core.audit import declare_detail, detail_rows, object_label, record

NEW = "Bugando-night-shift-7"


def test_a_declared_key_and_its_coded_values_read_in_the_language():
    declare_detail("test_ward", "ward", values={"icu": "intensive care"})
    with translation.override("en"):
        assert detail_rows({"test_ward": "icu", "test_other": 3, "flag": True}) == [
            ("ward", "intensive care"),
            ("test_other", "3"),  # an undeclared key is shown as it is stored
            ("flag", "Yes"),
        ]


def test_lists_are_joined_and_an_empty_one_is_a_dash():
    with translation.override("en"):
        assert detail_rows({"roles": ["referrer", "consultant"], "fields": []}) == [
            ("Roles", "Referring clinician, Consultant"),
            ("Fields", "—"),
        ]


def test_the_auditor_reads_a_password_change_in_kiswahili(cast, as_user):
    actions.create_api_token(cast.referrer, name="phone", valid_days=30)
    actions.password_changed(cast.referrer, via="change")
    record(acts.ROLE_ADDED, actor=cast.admin, target=cast.trainee, detail={"role": "trainee"})
    actions.update_profile(cast.admin, {"preferred_language": "sw"})
    page = as_user(cast.admin).get("/audit/").content.decode()
    with translation.override("sw"):
        why = translation.gettext("Password changed")
        via = translation.gettext("the security page")
        trainee = translation.gettext("Trainee")
    for raw in ("why: password_changed", "via: change", "role: trainee"):
        assert raw not in page
    assert why in page and via in page and trainee in page
    assert "tokeni ya API #" in page  # the object by its kind (the stored type stays in its title)


def test_the_object_is_named_by_its_kind():
    with translation.override("sw"):
        assert object_label("accounts.user") == "mtu"
        assert object_label("no.such_model") == "no.such_model"
