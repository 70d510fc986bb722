"""Each role's home page says what will appear there and what to do next."""

from accounts.models import Role


def test_a_person_without_a_role_is_told_to_ask_for_an_invitation(db, client):
    from accounts import actions
    from neurodaraja.testing.personas import sign_in

    loner = actions.create_person(email="loner@example.test", full_name="Loner", password=None)
    page = sign_in(client, loner).get("/").content.decode()
    assert "not part of an institution yet" in page


def test_the_referrer_is_asked_for_a_phone_number(cast, as_user):
    page = as_user(cast.referrer).get("/").content.decode()
    assert "Your consultations" in page and "Add my mobile number" in page


def test_the_consultant_is_asked_for_subspecialties(cast, as_user):
    page = as_user(cast.neurosurgeon).get("/").content.decode()
    assert "Cases awaiting your opinion" in page and "Set my subspecialties and languages" in page


def test_the_coordinator_sees_people_and_invitations(cast, as_user):
    page = as_user(cast.coordinator).get("/").content.decode()
    assert "Invite a person" in page and "Open invitations" in page and "Audit trail" in page


def test_every_role_has_its_section(cast, as_user):
    expectations = {
        "trainee": "Your training",
        "researcher": "Research",
        "admin": "Open the administration site",
    }
    for persona, text in expectations.items():
        assert text in as_user(getattr(cast, persona)).get("/").content.decode(), persona


def test_a_supervisor_sees_the_sign_off_queue(cast, as_user):
    from accounts import actions

    actions.add_role(cast.admin, cast.trainee, cast.institutions["MOI"], Role.SUPERVISOR)
    assert "Waiting for your sign-off" in as_user(cast.trainee).get("/").content.decode()


def test_optional_two_factor_is_suggested_to_others(cast, as_user):
    assert "Set up two-factor sign-in" in as_user(cast.trainee).get("/").content.decode()
