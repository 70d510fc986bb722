"""Slips a reader met in the Kiswahili and Chinese pages (issue 11), kept fixed."""

from __future__ import annotations

from django.utils import translation

from accounts import actions
from core.forms import AuditFilterForm


def test_kiswahili_names_the_cisterns_in_kiswahili():
    with translation.override("sw"):
        assert translation.gettext("basal cisterns").startswith("nafasi za maji ya ubongo")
        assert translation.gettext("suprasellar cisterns").startswith("nafasi za maji ya ubongo")


def test_chinese_names_a_person_with_their_full_name_not_a_things_name():
    with translation.override("zh-hans"):
        assert translation.gettext("Full name") == "姓名"
        assert translation.gettext("full name") == "姓名"


def test_the_shift_form_says_start_and_end_time_alike_and_the_audit_filter_says_dates():
    with translation.override("zh-hans"):
        # The shift's From/Until are a date and an hour each.
        assert (translation.gettext("From"), translation.gettext("Until")) == ("开始时间", "结束时间")
        form = AuditFilterForm()
        assert (str(form.fields["date_from"].label), str(form.fields["date_to"].label)) == (
            "开始日期",
            "结束日期",
        )


def test_the_password_rules_read_in_kiswahili(cast, as_user):
    # Django's own Kiswahili lacks them (its msgids have a straight apostrophe, the code a curly one).
    actions.update_profile(cast.trainee, {"preferred_language": "sw"})
    page = as_user(cast.trainee).get("/accounts/security/password/").content.decode()
    assert "Your password" not in page
    assert "angalau herufi 10" in page and "la namba tu" in page


def test_clinical_terms_read_the_way_clinicians_say_them():
    with translation.override("sw"):
        assert translation.gettext("GCS") == "Kiwango cha fahamu (GCS)"
        assert translation.gettext("A pupil does not react") == "Mboni ya jicho haijibu mwanga"
    with translation.override("zh-hans"):
        assert translation.gettext("GCS") == "格拉斯哥昏迷评分（GCS）"
        assert translation.gettext("Pupils") == "瞳孔"
