import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.demo import DEMO_DOMAIN, PEOPLE
from accounts.models import Institution, Membership, User
from consultations.models import Case


def test_demo_data_loads_twice_without_duplicates(db, settings):
    settings.DEMO_MODE = True
    call_command("loaddemo")
    counts = (
        Institution.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Case.objects.count(),
    )
    call_command("loaddemo")
    assert (
        Institution.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Case.objects.count(),
    ) == counts
    # Three consultations, and the case the demo trainee referred and saw operated (training).
    assert counts[3] == 4 and Case.objects.filter(status="answered").count() == 1
    assert counts[1] == len(PEOPLE)
    assert all(user.email.endswith(DEMO_DOMAIN) for user in User.objects.all())
    assert {"MOI", "BMC", "KCMC", "BMH", "SRRH", "QILU", "XUANWU"} <= set(
        Institution.objects.values_list("short_code", flat=True)
    )


def test_demo_data_is_refused_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("loaddemo")
    assert not User.objects.exists()
