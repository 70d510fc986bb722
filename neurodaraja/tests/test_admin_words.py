"""The administration site speaks the reader's language down to the names of its sections, and
someone it refuses is told something that makes sense for their role (issue 11)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from accounts import actions as account_actions
from accounts.audit_actions import SIGNED_IN, SIGNED_OUT
from core.audit import record
from core.views import permission_denied
from neurodaraja.testing.personas import sign_in

# Names that are the same in every language.
SAME_EVERYWHERE = {"NeuroDaraja"}


def index_names(user, language: str) -> dict[str, str]:
    """Each section's and table's name on the admin index, by app label and model."""
    request = RequestFactory().get("/admin/")
    request.user = user
    names = {}
    with translation.override(language):
        for app in admin.site.get_app_list(request):
            names[app["app_label"]] = str(app["name"])
            for model in app["models"]:
                names[f"{app['app_label']}.{model['object_name']}"] = str(model["name"])
    return names


@pytest.mark.parametrize("language", ["sw", "zh-hans"])
def test_every_section_and_table_of_the_admin_index_is_named_in_the_language(cast, language):
    english = index_names(cast.admin, "en")
    translated = index_names(cast.admin, language)
    assert english.keys() == translated.keys() and len(english) > 10
    untranslated = {key: name for key, name in english.items() if translated[key] == name}
    assert {key: name for key, name in untranslated.items() if name not in SAME_EVERYWHERE} == {}


def test_the_admin_index_page_shows_the_translated_names(cast):
    account_actions.update_profile(cast.admin, {"preferred_language": "sw"})
    page = sign_in(Client(), cast.admin).get("/admin/").content.decode()
    for english in ("Otp_Totp", "Tasks Database Backend", "TOTP devices", "Access attempts"):
        assert english not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "As a coordinator you manage the people"),
        ("sw", "Kama mratibu unasimamia watu"),
        ("zh-hans", "作为协调员，您可以在"),
    ],
)
def test_a_coordinator_refused_the_admin_is_told_where_their_own_tools_are(cast, language, expected):
    account_actions.update_profile(cast.coordinator, {"preferred_language": language})
    response = sign_in(Client(), cast.coordinator).get("/admin/")
    page = response.content.decode()
    assert response.status_code == 403
    assert expected in page
    with translation.override(language):
        assert (
            translation.gettext("Your role does not allow this. If you need it, ask your coordinator.")
            not in page
        )


def test_a_clinician_refused_the_admin_is_told_it_is_for_the_it_administrators(cast):
    response = sign_in(Client(), cast.referrer).get("/admin/accounts/user/")
    assert response.status_code == 403
    assert "for the platform&#x27;s IT administrators" in response.content.decode()


def test_a_coordinator_refused_another_page_is_not_told_to_ask_their_coordinator(cast):
    request = RequestFactory().get("/somewhere/")
    request.user = cast.coordinator
    request.session = {}
    page = permission_denied(request, PermissionDenied()).content.decode()
    assert "ask your coordinator" not in page and "ask an administrator" in page
    request.user = cast.referrer
    assert "ask your coordinator" in permission_denied(request, PermissionDenied()).content.decode()


def test_the_audit_trail_in_the_admin_names_actions_and_objects_in_the_language(cast):
    record(SIGNED_IN, actor=cast.referrer, target=cast.referrer)
    account_actions.update_profile(cast.admin, {"preferred_language": "sw"})
    page = sign_in(Client(), cast.admin).get("/admin/core/auditentry/").content.decode()
    with translation.override("sw"):
        signed_in, person = translation.gettext("Signed in"), translation.gettext("person")
    assert f'<td class="field-action_name">{signed_in}</td>' in page
    assert f'<td class="field-object_kind">{person}</td>' in page


def test_the_admin_filters_the_audit_trail_by_translated_actions(cast):
    record(SIGNED_IN, actor=cast.referrer, target=cast.referrer)
    record(SIGNED_OUT, actor=cast.referrer, target=cast.referrer)
    account_actions.update_profile(cast.admin, {"preferred_language": "sw"})
    client = sign_in(Client(), cast.admin)
    page = client.get("/admin/core/auditentry/").content.decode()
    with translation.override("sw"):
        signed_out = translation.gettext("Signed out")
    assert f'href="?action=accounts.signed_out">{signed_out}</a>' in page
    filtered = client.get("/admin/core/auditentry/?action=accounts.signed_out")
    assert [entry.action for entry in filtered.context["cl"].result_list] == ["accounts.signed_out"]
