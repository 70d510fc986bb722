"""The demo's synthetic head CT: anatomy in Hounsfield units where a head CT has it, with an
extradural haematoma and midline shift, written as valid CT Image Storage that says it is
synthetic, a new study each time (the same bytes for the same UID seed)."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess

import numpy as np
import pydicom
import pytest
from pydicom.uid import UID, CTImageStorage

from lib import phantom
from lib.deid.pixel_text import contrast_floor, find_text
from lib.phantom import Geometry, files, hounsfield, series

PLAIN = Geometry(noise=False, blur=False)  # exact tissue values, for the anatomy


@pytest.fixture(scope="module")
def volume() -> np.ndarray:
    return hounsfield(PLAIN)


@pytest.fixture(scope="module")
def written() -> list[tuple[str, bytes]]:
    return files()


@pytest.fixture(scope="module")
def slices(written) -> list[pydicom.Dataset]:
    return [pydicom.dcmread(io.BytesIO(data)) for _name, data in written]


def voxel(volume: np.ndarray, x_mm: float, y_mm: float, z_mm: float, geometry: Geometry = PLAIN) -> int:
    """The value at a point of the patient (LPS, mm from the centre of the head)."""
    half = (geometry.size - 1) / 2
    column = round(half + x_mm / geometry.pixel_mm)
    row = round(half + y_mm / geometry.pixel_mm)
    index = round((z_mm - geometry.first_z_mm) / geometry.slice_mm)
    return int(volume[index, row, column])


def test_the_head_has_scalp_skull_with_a_diploe_csf_and_brain_from_outside_in(volume):
    # Along the patient's right (x < 0) at the level of the ventricles, from the air inwards.
    z = 15.0
    profile = [voxel(volume, -x, 0, z) for x in np.arange(80, 40, -0.9)]
    assert profile[0] == phantom.AIR
    assert phantom.SCALP in profile and phantom.FAT in profile
    assert phantom.CORTICAL_BONE in profile and phantom.DIPLOE in profile
    first_bone = profile.index(phantom.CORTICAL_BONE)
    diploe = profile.index(phantom.DIPLOE)
    # Two tables of cortical bone around the diploe.
    assert first_bone < diploe and phantom.CORTICAL_BONE in profile[diploe:]
    assert profile.index(phantom.CSF) > diploe
    assert profile[-1] in (phantom.GREY_MATTER, phantom.WHITE_MATTER)


def test_grey_matter_lies_over_white_matter_with_deep_grey_nuclei(volume):
    values, counts = np.unique(volume, return_counts=True)
    count = dict(zip(values.tolist(), counts.tolist(), strict=True))
    assert count[phantom.GREY_MATTER] > 20_000 and count[phantom.WHITE_MATTER] > 100_000
    assert count[phantom.DEEP_GREY] > 1_000
    assert voxel(volume, 0, -60, 15) in (phantom.CSF, phantom.FALX)  # the fissure in front
    assert voxel(volume, -30, 20, 30) == phantom.WHITE_MATTER  # deep in the right hemisphere


def test_both_lateral_ventricles_hold_csf_and_the_left_one_is_squeezed(volume):
    z = 16.0
    right = sum(voxel(volume, -x, -4, z) == phantom.CSF for x in np.arange(0, 20, 0.9))
    left = sum(voxel(volume, x, -4, z) == phantom.CSF for x in np.arange(0, 20, 0.9))
    assert right >= 8 and 3 <= left < right


def test_a_biconvex_extradural_haematoma_lies_against_the_left_inner_table(volume):
    geometry = PLAIN
    blood = volume == phantom.ACUTE_BLOOD
    assert blood.any()
    index, rows, columns = np.nonzero(blood)
    half = (geometry.size - 1) / 2
    x_mm = (columns - half) * geometry.pixel_mm
    assert (x_mm > 40).all()  # on the patient's left: the image's right
    # Thickest at its middle, about 10 mm as the referral says, thinning to both ends.
    level = int(np.bincount(index).argmax())
    thickness_by_row = blood[level].sum(axis=1) * geometry.pixel_mm
    thickest = float(thickness_by_row.max())
    assert 8.0 <= thickest <= 12.0
    held = np.nonzero(thickness_by_row)[0]
    top, middle, bottom = thickness_by_row[held[0]], thickest, thickness_by_row[held[-1]]
    assert top < middle / 2 and bottom < middle / 2
    # Outside the brain, inside the skull: bone just beyond its outer edge on every row.
    for row in held:
        outer = int(np.nonzero(blood[level, row])[0].max())
        assert phantom.CORTICAL_BONE in volume[level, row, outer + 1 : outer + 4].tolist()
    # On the middle slice, where the viewer opens.
    assert blood[len(volume) // 2].sum() * geometry.pixel_mm**2 > 100  # mm²
    # Nothing like it on the right.
    assert (volume[:, :, : geometry.size // 2] != phantom.ACUTE_BLOOD).all()


def test_the_midline_is_pushed_to_the_right_by_the_haematoma(volume):
    geometry = PLAIN
    half = (geometry.size - 1) / 2
    level = round((0 - geometry.first_z_mm) / geometry.slice_mm)
    row = round(half + 2 / geometry.pixel_mm)  # through the third ventricle
    near_midline = slice(int(half - 12), int(half + 13))
    columns = np.nonzero(volume[level, row, near_midline] == phantom.CSF)[0] + near_midline.start
    centre_mm = float((columns.mean() - half) * geometry.pixel_mm)
    assert -3.9 <= centre_mm <= -2.1  # 3 mm to the patient's right
    straight = hounsfield(Geometry(noise=False, blur=False, shift_mm=0.0))
    columns = np.nonzero(straight[level, row, near_midline] == phantom.CSF)[0] + near_midline.start
    assert abs(float((columns.mean() - half) * geometry.pixel_mm)) < 0.5


def test_no_slice_looks_like_printed_text_to_the_burned_in_text_detector(slices):
    # Otherwise ingest would hold the series for review, and releasing it would black out bone.
    floor = contrast_floor(is_ct=True, bits_stored=12, slope=1.0)
    assert [ds.InstanceNumber for ds in slices if find_text(ds.pixel_array, floor)] == []


def test_the_series_is_20_to_30_axial_slices_5_mm_apart(slices):
    assert 20 <= len(slices) <= 30
    positions = [float(ds.ImagePositionPatient[2]) for ds in slices]
    assert np.allclose(np.diff(positions), 5.0)
    for ds in slices:
        assert [float(v) for v in ds.ImageOrientationPatient] == [1, 0, 0, 0, 1, 0]
        assert float(ds.SliceThickness) == 5.0 and float(ds.SliceLocation) == float(
            ds.ImagePositionPatient[2]
        )
        assert [float(v) for v in ds.PixelSpacing] == [0.9, 0.9]
        assert (ds.Rows, ds.Columns) in ((256, 256), (512, 512))
    assert [ds.InstanceNumber for ds in slices] == list(range(1, len(slices) + 1))


def test_stored_values_give_back_the_hounsfield_units_through_the_rescale(slices):
    expected = hounsfield()
    for ds, plane in zip(slices, expected, strict=True):
        hu = ds.pixel_array.astype(np.int32) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        assert np.array_equal(hu, plane)
    assert slices[0].RescaleType == "HU"
    assert [float(v) for v in slices[0].WindowCenter] == [40, 500]
    assert [float(v) for v in slices[0].WindowWidth] == [80, 2000]
    assert list(slices[0].WindowCenterWidthExplanation) == ["BRAIN", "BONE"]


def test_every_object_is_ct_image_storage_with_valid_linked_uids(slices):
    for ds in slices:
        assert ds.SOPClassUID == CTImageStorage == ds.file_meta.MediaStorageSOPClassUID
        assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
        for uid in (ds.SOPInstanceUID, ds.SeriesInstanceUID, ds.StudyInstanceUID, ds.FrameOfReferenceUID):
            assert UID(uid).is_valid
    assert len({ds.SOPInstanceUID for ds in slices}) == len(slices)
    assert len({(ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID) for ds in slices}) == 1


def test_the_header_says_it_is_synthetic_everywhere_a_reader_looks(slices):
    for ds in slices:
        assert ds.SeriesDescription.startswith("SYNTHETIC") and ds.StudyDescription.startswith("SYNTHETIC")
        assert ds.Manufacturer == "NeuroDaraja synthetic phantom"
        assert str(ds.PatientName) == "SYNTHETIC^PHANTOM"
        assert "SYNTHETIC" in ds.ImageComments and "phantom" in ds.ImageComments
        assert ds.BurnedInAnnotation == "NO"
        assert phantom.is_phantom(ds)


def test_a_real_series_is_not_taken_for_the_phantom(slices):
    real = copy.deepcopy(slices[0])
    real.Manufacturer = "GE MEDICAL SYSTEMS"
    assert not phantom.is_phantom(real)
    described = copy.deepcopy(slices[0])
    described.SeriesDescription = "HEAD ROUTINE"
    assert not phantom.is_phantom(described)


def uids(datasets: list[pydicom.Dataset]) -> set[str]:
    return {
        str(uid)
        for ds in datasets
        for uid in (ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID, ds.SOPInstanceUID)
    }


def test_each_call_is_a_new_study_whose_uids_no_other_call_shares(slices):
    # Fixed UIDs made the demo loaded twice, or the phantom on two cases, the same images.
    again = [pydicom.dcmread(io.BytesIO(data)) for _name, data in files()]
    assert uids(slices).isdisjoint(uids(again))
    assert len(uids(slices)) == len(slices) + 3  # one study, series and frame of reference
    # The pixels are the same phantom's.
    assert all(a.PixelData == b.PixelData for a, b in zip(slices, again, strict=True))


def test_the_same_uid_seed_gives_the_same_bytes_every_time():
    small = Geometry(slices=2, first_z_mm=0.0)
    first, second = files(small, uid_seed="demo"), files(small, uid_seed="demo")
    assert [name for name, _ in first] == [name for name, _ in second]
    assert all(a == b for (_, a), (_, b) in zip(first, second, strict=True))
    other = [pydicom.dcmread(io.BytesIO(data)) for _name, data in files(small, uid_seed="another")]
    assert uids(series(small, uid_seed="demo")).isdisjoint(uids(other))


def test_pydicom_reads_back_what_it_wrote_and_writes_the_same_bytes_again(written, slices):
    for (_name, data), ds in zip(written, slices, strict=True):
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=True)
        assert buffer.getvalue() == data
    assert series()[3].PixelData == slices[3].PixelData  # the datasets are what the files hold


def test_dciodvfy_finds_no_error_in_any_slice(tmp_path, written):
    if shutil.which("dciodvfy") is None:
        pytest.skip("dciodvfy (Debian dicom3tools) is not installed; .ci/run installs it")
    for name, data in written[::4]:
        path = tmp_path / name
        path.write_bytes(data)
        report = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, check=False)  # noqa: S603,S607
        output = report.stdout + report.stderr
        errors = [line for line in output.splitlines() if line.startswith("Error")]
        assert errors == [], output
