"""On a 360 × 740 phone, in a real browser (headless Chromium at a phone's device metrics), in
the three languages: the header is one slim bar whose menu button opens the menu, the language
and sign-out; a list of cases is a column of cards with everything in view, its filters folded
away; a refused form lands the reader on a summary whose links take them to each field.
The platform runs in its own processes on the demo data (neurodaraja/testing/platform.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in, wait_for

pytestmark = needs_chromium

PHONE = (360, 740)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    with platform.serving() as url:
        yield url, platform.database


@pytest.fixture
def phone() -> Iterator[object]:
    with chromium("360,740", phone=True) as driver:
        yield driver


@pytest.mark.parametrize("language", CODES)
def test_the_header_is_a_slim_bar_whose_button_opens_the_menu(platform, phone, language):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, database = platform
    sign_in(phone, url, database, language)
    phone.get(f"{url}/")
    # The demo notice and the header together: at most 15 % of the screen's height.
    bottom = phone.execute_script(
        "return document.querySelector('header.top').getBoundingClientRect().bottom"
    )
    assert bottom <= 0.15 * PHONE[1], f"The header ends {bottom:.0f} px down a {PHONE[1]} px screen"
    button = phone.find_element(By.CSS_SELECTOR, "header .menu-button")
    panel = phone.find_element(By.ID, "menu-panel")
    assert button.tag_name == "button" and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "menu-panel" and not panel.is_displayed()
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and panel.is_displayed()
    for part in (
        "nav a[href='/consultations/']",
        "#language-switch",
        "form[action='/accounts/logout/'] button",
    ):
        assert panel.find_element(By.CSS_SELECTOR, part).is_displayed(), part
    # The menu comes next in the keyboard's order, and Escape folds it back onto its button.
    button.send_keys(Keys.TAB)
    assert phone.execute_script(
        "return document.getElementById('menu-panel').contains(document.activeElement)"
    )
    phone.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert button.get_attribute("aria-expanded") == "false" and not panel.is_displayed()
    assert phone.switch_to.active_element == button


@pytest.mark.parametrize("language", CODES)
def test_a_list_of_cases_is_a_column_of_cards_with_its_filters_folded_away(platform, phone, language):
    from selenium.webdriver.common.by import By

    url, database = platform
    sign_in(phone, url, database, language)
    phone.get(f"{url}/consultations/?box=ours")
    folded = phone.find_element(By.CSS_SELECTOR, "details.filters-fold")
    assert folded.get_attribute("open") is None
    assert not phone.find_element(By.NAME, "status").is_displayed()
    rows = phone.find_elements(By.CSS_SELECTOR, "table.case-rows tbody tr")
    assert rows, "the demo referrer's hospital has cases"
    # The column heads are left to screen readers (each cell names itself).
    assert phone.find_element(By.CSS_SELECTOR, "table.case-rows thead").rect["height"] <= 1
    for row in rows:
        cells = row.find_elements(By.TAG_NAME, "td")
        assert len(cells) == 7  # code, urgency, category, patient, status, deadline, consultant
        for cell in cells:
            box = cell.rect
            assert cell.is_displayed() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], cell.text
    # A filter in use: the fold is open and says how many filters are on.
    status = phone.find_element(By.CSS_SELECTOR, "select[name=status] option:nth-child(2)").get_attribute(
        "value"
    )
    phone.get(f"{url}/consultations/?box=ours&status={status}")
    folded = phone.find_element(By.CSS_SELECTOR, "details.filters-fold")
    assert folded.get_attribute("open") is not None
    assert "1" in folded.find_element(By.TAG_NAME, "summary").text


def test_a_wide_screen_keeps_the_table_of_cases(platform):
    from selenium.webdriver.common.by import By

    url, database = platform
    with chromium("1280,900") as desktop:
        sign_in(desktop, url, database, "en")
        desktop.get(f"{url}/consultations/?box=ours")
        head = desktop.find_element(By.CSS_SELECTOR, "table.case-rows thead")
        assert head.is_displayed() and head.value_of_css_property("display") == "table-header-group"
        assert desktop.find_element(By.CSS_SELECTOR, "header nav").is_displayed()
        assert not desktop.find_element(By.CSS_SELECTOR, "header .menu-button").is_displayed()


@pytest.mark.parametrize("language", CODES)
def test_a_refused_form_lands_on_a_summary_whose_links_reach_each_field(platform, phone, language):
    from selenium.webdriver.common.by import By

    url, database = platform
    sign_in(phone, url, database, language)
    phone.get(f"{url}/accounts/profile/")
    name = phone.find_element(By.NAME, "full_name")
    name.clear()
    phone.execute_script("arguments[0].form.noValidate = true; arguments[0].form.requestSubmit()", name)
    wait_for(lambda: phone.find_elements(By.CSS_SELECTOR, ".error-summary"), "the summary", phone)
    summary = phone.find_element(By.CSS_SELECTOR, ".error-summary")
    top, bottom = phone.execute_script(
        "const box = arguments[0].getBoundingClientRect(); return [box.top, box.bottom];", summary
    )
    assert top >= 0 and bottom <= PHONE[1], f"The summary is at {top:.0f}-{bottom:.0f} px"
    assert phone.switch_to.active_element == summary
    link = summary.find_element(By.CSS_SELECTOR, "a[href='#id_full_name']")
    link.click()
    assert phone.switch_to.active_element == phone.find_element(By.ID, "id_full_name")
    top = phone.execute_script("return document.getElementById('id_full_name').getBoundingClientRect().top")
    assert 0 <= top <= PHONE[1]
