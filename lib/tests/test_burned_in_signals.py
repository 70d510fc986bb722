"""What the header says besides its own flag: a screen described in Chinese, a "CT" in colour or
without a pixel size. Datasets built in memory."""

from __future__ import annotations

import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from lib.deid.burned_in import Suspicion, suspicions


def ct(**changes: object) -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SeriesDescription = "Head 5mm"
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.PixelSpacing = [0.45, 0.45]
    for keyword, value in changes.items():
        setattr(ds, keyword, value)
    return ds


def test_an_ordinary_ct_slice_gives_no_reason():
    assert suspicions(ct()) == []
    assert suspicions(ct(SeriesDescription="颅脑平扫 5mm")) == []  # a plain head CT, in Chinese
    assert suspicions(ct(SeriesDescription="STD BRAIN 1MM, iDose")) == []


@pytest.mark.parametrize(
    "described",
    ["屏幕截图", "截屏", "剂量报告", "检查报告", "患者信息", "病人资料", "摘要"],
)
def test_a_screen_or_report_described_in_chinese_waits_for_review(described):
    assert Suspicion.SCREEN_OR_DOSE_REPORT in suspicions(ct(SeriesDescription=described))
    assert Suspicion.SCREEN_OR_DOSE_REPORT in suspicions(ct(ImageComments=described))
    assert Suspicion.SCREEN_OR_DOSE_REPORT in suspicions(ct(DerivationDescription=described))


@pytest.mark.parametrize("photometric", ["RGB", "YBR_FULL_422", "YBR_FULL", "PALETTE COLOR"])
def test_a_ct_in_colour_waits_for_review(photometric):
    found = suspicions(
        ct(PhotometricInterpretation=photometric, SamplesPerPixel=1 if "PALETTE" in photometric else 3)
    )
    assert Suspicion.COLOUR_CT in found


@pytest.mark.parametrize("spacing", [None, "", ["0", "0"], ["0.5"]])
def test_a_ct_without_a_pixel_size_waits_for_review(spacing):
    ds = ct()
    if spacing is None:
        del ds.PixelSpacing
    else:
        ds.PixelSpacing = spacing
    assert suspicions(ds) == [Suspicion.CT_WITHOUT_SPACING]


def test_an_enhanced_ct_keeps_its_pixel_size_in_the_functional_groups():
    ds = ct(SOPClassUID="1.2.840.10008.5.1.4.1.1.2.1")
    del ds.PixelSpacing
    measures = Dataset()
    measures.PixelSpacing = [0.5, 0.5]
    group = Dataset()
    group.PixelMeasuresSequence = Sequence([measures])
    ds.SharedFunctionalGroupsSequence = Sequence([group])
    assert suspicions(ds) == []


def test_colour_and_spacing_concern_ct_only():
    ds = ct(Modality="XC", SOPClassUID="1.2.840.10008.5.1.4.1.1.77.1.4", PhotometricInterpretation="RGB")
    del ds.PixelSpacing
    assert suspicions(ds) == [Suspicion.PHOTOGRAPH]
