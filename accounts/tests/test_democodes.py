"""`manage.py democodes` works as the README says, run by hand beside `make run` (without its
DEBUG=true and DEMO_MODE=true), and refuses a production configuration."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import PEOPLE, current_demo_code, load_demo
from accounts.management.commands.democodes import Command
from accounts.models import User

NEEDS_A_CODE = "consultant.qilu@demo.neurodaraja.test"


@pytest.fixture
def demo_loaded(db, settings):
    load_demo()  # the demo people (`loaddemo` also makes cases and imaging, not needed here)
    # Then, as in a second terminal: none of make run's variables, no SECRET_KEY.
    settings.DEMO_MODE = False
    settings.DEBUG = False
    settings.SECRET_KEY_IS_SET = False
    return settings


def run_as_manage_py() -> None:
    """As `manage.py democodes` runs it: with the system checks (call_command skips them)."""
    Command().run_from_argv(["manage.py", "democodes"])


def test_run_by_hand_it_prints_the_code_of_every_demo_account_that_needs_one(
    demo_loaded, capsys, monkeypatch
):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's database stays open
    run_as_manage_py()
    out = capsys.readouterr().out
    needing = [p.email for p in PEOPLE if User.objects.get(email=p.email).requires_two_factor]
    assert NEEDS_A_CODE in needing
    assert [line.split()[0] for line in out.splitlines()] == needing
    assert f"{NEEDS_A_CODE:45} code {current_demo_code(NEEDS_A_CODE)}" in out


def test_in_demo_mode_it_prints_them_too(demo_loaded, capsys, monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)
    demo_loaded.DEMO_MODE = demo_loaded.DEBUG = True
    run_as_manage_py()
    assert current_demo_code(NEEDS_A_CODE) in capsys.readouterr().out


def test_a_production_configuration_is_refused_with_a_clear_message(demo_loaded, capsys):
    demo_loaded.SECRET_KEY_IS_SET = True
    with pytest.raises(CommandError, match="production configuration"):
        call_command("democodes")
    assert capsys.readouterr().out == ""


def test_an_account_whose_authenticator_is_not_the_demos_is_never_printed(demo_loaded, capsys):
    TOTPDevice.objects.filter(user__email=NEEDS_A_CODE).update(key="ab" * 20)
    call_command("democodes")
    out = capsys.readouterr().out
    assert NEEDS_A_CODE not in out and out  # the others are still there


def test_without_demo_accounts_it_says_how_to_load_them(db, settings):
    settings.DEBUG, settings.SECRET_KEY_IS_SET = False, False
    with pytest.raises(CommandError, match="make run"):
        call_command("democodes")
