"""The shared pages are built from what each app declares (core.plugins): the menu, the home
page, the case page and the demonstration data."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core import plugins
from core.plugins import HomeSection, demo_loader, demo_loaders, home_sections, nav_entry


def menu_of(client) -> list[str]:
    page = client.get("/").content.decode()
    menu = page[page.index('<nav aria-label="Main menu">') : page.index("</nav>")]
    return [part.split('"', 1)[0] for part in menu.split('<a href="')[1:]]


def test_the_menu_is_every_apps_entries_in_their_order(cast, as_user):
    assert menu_of(as_user(cast.referrer)) == [
        "/",
        "/consultations/",
        "/conferences/",
        "/scores/",
        "/training/sessions/",
        "/notifications/",
        "/library/",
        "/institutions/",
        "/accounts/profile/",
    ]


def test_the_menu_shows_managers_and_administrators_their_own_entries(cast, as_user):
    coordinator = menu_of(as_user(cast.coordinator))
    assert {"/consultations/board/", "/people/", "/audit/"} <= set(coordinator)
    assert "/admin/" not in coordinator
    admin = menu_of(as_user(cast.admin))
    assert {"/people/", "/audit/", "/admin/"} <= set(admin)
    assert "/consultations/board/" not in admin  # the board is the coordinators'


def test_the_menu_counts_unread_notifications(cast, as_user):
    from core.models import Notification

    Notification.objects.create(
        recipient=cast.referrer, kind="consultations.message", params={"case": "ND-X"}
    )
    page = as_user(cast.referrer).get("/").content.decode()
    assert '/notifications/">Notifications <span class="badge">1</span>' in page


def test_a_role_without_its_app_is_told_what_will_appear_until_an_app_serves_it(cast, as_user, monkeypatch):
    waiting = "Your projects and approved data requests will appear here."
    assert waiting in as_user(cast.researcher).get("/").content.decode()
    # A registry app declares cards for researchers: the placeholder goes, the app's card shows.
    monkeypatch.setattr(plugins, "_HOME", dict(plugins._HOME))

    @home_sections("registry.researcher", order=60, roles=["researcher"])
    def requests(user) -> list[HomeSection]:
        return (
            [HomeSection("Data requests: 1 approved", "From the registry app.")]
            if "researcher" in user.roles
            else []
        )

    page = as_user(cast.researcher).get("/").content.decode()
    assert "Data requests: 1 approved" in page
    assert waiting not in page


def test_the_trainee_is_served_by_the_training_app_not_told_what_will_appear(cast, as_user):
    page = as_user(cast.trainee).get("/").content.decode()
    assert "Your logbook, workshops and rotations will appear here." not in page
    assert "/training/" in page


def test_the_same_name_declared_twice_with_different_content_is_refused(monkeypatch):
    monkeypatch.setattr(plugins, "_NAV", dict(plugins._NAV))
    with pytest.raises(ValueError, match="declared twice"):
        nav_entry("consultations:inbox", "Another inbox", order=11)


def test_demo_loaders_run_after_what_they_build_on(monkeypatch):
    names = [loader.name for loader in demo_loaders()]
    assert names.index("accounts") < names.index("consultations") < names.index("imaging")
    monkeypatch.setattr(plugins, "_DEMO", dict(plugins._DEMO))
    demo_loader("registry", after=["consultations", "nowhere"])(lambda: "")
    with pytest.raises(ValueError, match="needs nowhere"):
        demo_loaders()


def test_demo_loaders_in_a_circle_are_refused(monkeypatch):
    monkeypatch.setattr(plugins, "_DEMO", {})
    demo_loader("a", after=["b"])(lambda: "a")
    demo_loader("b", after=["a"])(lambda: "b")
    with pytest.raises(ValueError, match="circle"):
        demo_loaders()


def test_loaddemo_runs_every_apps_loader_once_in_order(db, settings, capsys, monkeypatch):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = "/nonexistent"  # imaging says it skips its part
    call_command("loaddemo")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Demo data ready:")
    assert lines[1] == "3 demo consultations created."
    call_command("loaddemo")
    again = capsys.readouterr().out.splitlines()
    assert again[0].startswith("Demo data ready: 0 institutions, 0 people and 0 roles")
    assert again[1] == "0 demo consultations created."


def test_the_case_page_shows_each_apps_section_in_order(cast, as_user, make_case):
    case = make_case(send=True)
    page = as_user(cast.referrer).get(f"/consultations/{case.code}/").content.decode()
    assert (
        page.index('id="scores-title"')
        < page.index('id="imaging-title"')
        < page.index('id="attachments-title"')
    )


def test_a_case_section_returning_plain_text_is_escaped(cast, as_user, make_case, monkeypatch):
    case = make_case(send=True)
    monkeypatch.setattr(plugins, "_CASE", dict(plugins._CASE))
    plugins.case_section("probe", order=99)(lambda request, access: "<script>alert(1)</script>")
    page = as_user(cast.referrer).get(f"/consultations/{case.code}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
