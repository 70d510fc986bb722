"""Objects whose pixels may carry names wait for review, whatever their header flag says."""

from __future__ import annotations

import pydicom
import pytest

from imaging.tests.data import GE_HEAD_CT, PHILIPS_HEAD, needs_data
from lib.deid.burned_in import Suspicion, suspicions

pytestmark = needs_data()


def ct():
    return pydicom.dcmread(GE_HEAD_CT / "01.dcm")


def test_original_axial_ct_from_both_scanners_is_trusted():
    assert suspicions(ct()) == []
    philips = pydicom.dcmread(PHILIPS_HEAD / "I10")
    assert "iDose" in philips.SeriesDescription  # a reconstruction name, not a dose report
    assert suspicions(philips) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"BurnedInAnnotation": "YES"}, Suspicion.BURNED_IN_ANNOTATION),
        ({"BurnedInAnnotation": "UNKNOWN"}, Suspicion.BURNED_IN_ANNOTATION),
        ({"SOPClassUID": "1.2.840.10008.5.1.4.1.1.7"}, Suspicion.SECONDARY_CAPTURE),
        ({"ConversionType": "WSD"}, Suspicion.SECONDARY_CAPTURE),
        ({"SeriesDescription": "Dose Report"}, Suspicion.SCREEN_OR_DOSE_REPORT),
        ({"ImageType": ["ORIGINAL", "PRIMARY", "SCREEN SAVE"]}, Suspicion.SCREEN_OR_DOSE_REPORT),
        ({"ImageType": ["DERIVED", "SECONDARY", "REFORMATTED"]}, Suspicion.DERIVED_IMAGE),
        ({"SOPClassUID": "1.2.840.10008.5.1.4.1.1.88.67"}, Suspicion.DOCUMENT_OR_REPORT),
        ({"Modality": "OT"}, Suspicion.DOCUMENT_OR_REPORT),
        ({"SOPClassUID": "1.2.840.10008.5.1.4.1.1.77.1.4"}, Suspicion.PHOTOGRAPH),
    ],
)
def test_what_is_quarantined_for_review(change, expected):
    ds = ct()
    for keyword, value in change.items():
        setattr(ds, keyword, value)
    assert expected in suspicions(ds)


def test_a_no_flag_does_not_clear_a_secondary_capture():
    ds = ct()
    ds.BurnedInAnnotation = "NO"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    assert suspicions(ds) == [Suspicion.SECONDARY_CAPTURE]
