"""The footer names the reader's time zone as the pages do: "Africa/Dar es Salaam, UTC+03:00", in
the reader's language, not the raw key "Africa/Dar_es_Salaam"."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import actions as account_actions
from neurodaraja.testing.personas import sign_in


@pytest.mark.parametrize(
    ("persona", "language", "named"),
    [
        ("referrer", "en", "Times are shown in Africa/Dar es Salaam, UTC+03:00."),
        ("referrer", "sw", "Africa/Dar es Salaam, UTC+03:00"),
        ("consultant_china", "zh-hans", "Asia/Shanghai，UTC+08:00"),
    ],
)
def test_the_footer_names_the_zone_as_the_pages_do(cast, persona, language, named):
    user = getattr(cast, persona)
    account_actions.update_profile(user, {"preferred_language": language})
    page = sign_in(Client(), user).get("/").content.decode()
    footer = page[page.index("<footer") :]
    assert named in footer
    assert "_" not in footer.split("UTC")[0].rsplit(">", 1)[-1]  # no raw zone key


def test_the_conference_form_names_the_zone_the_same_way(cast):
    account_actions.update_profile(cast.coordinator, {"preferred_language": "en"})
    page = sign_in(Client(), cast.coordinator).get("/conferences/new/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "Give the time in your time zone (Africa/Dar es Salaam, UTC+03:00)" in main
    assert "Dar_es_Salaam" not in page
