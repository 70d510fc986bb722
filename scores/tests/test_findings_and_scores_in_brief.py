"""What the browser review found (issue 11): the structured CT findings entered with the referral
show on the referring team's case page, and the opinion form's case in brief gives a score's
figures, not only its name."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from consultations.models import OnCallShift
from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in
from scores.models import CaseScore


def test_the_referrers_case_page_shows_the_structured_findings_and_offers_to_change_them(cast, make_case):
    case = make_case(send=True)
    english(cast.referrer)
    client = sign_in(Client(), cast.referrer)
    page = client.get(f"/consultations/{case.code}/").content.decode()
    assert "Enter CT and laboratory findings" in page and "CT findings (structured)" not in page
    saved = client.post(
        f"/consultations/{case.code}/findings/",
        {
            "visible_pathology": "on",
            "epidural": "on",
            "midline_shift_mm": "6",
            "basal_cisterns": "compressed",
        },
    )
    assert saved.status_code == 302
    page = client.get(f"/consultations/{case.code}/").content.decode()
    assert "CT findings (structured)" in page and "epidural haematoma" in page.lower()
    assert "Change the CT and laboratory findings" in page and "Enter CT and laboratory findings" not in page


def test_the_case_in_brief_gives_impacts_figures(cast, make_case):
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.consultant_china, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=9)
    )
    case = make_case(send=True, clinical={"gcs_eye": "2", "gcs_verbal": "2", "gcs_motor": "4"})
    assert CaseScore.objects.filter(case=case, calculator="impact_core").exists()
    english(cast.consultant_china)
    page = (
        sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/opinion/").content.decode()
    )
    start = page.index('id="case-summary"')
    summary = page[start : page.index("</section>", start)]
    assert "IMPACT" in summary
    impact = summary.split("IMPACT", 1)[1]
    assert "Death at 6 months:" in impact and "Unfavourable outcome at 6 months" in impact
