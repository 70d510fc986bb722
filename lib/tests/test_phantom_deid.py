"""The synthetic phantom stays marked as synthetic after de-identification: its marker words are
on the vocabulary on purpose, and only the phantom's own name loses its status as a name."""

from __future__ import annotations

import copy
import io

import pydicom

from lib import phantom
from lib.deid.dicom import Options, deidentify
from lib.deid.uids import keyed_uid_mapper
from lib.deid.vocabulary import SYNTHETIC_MANUFACTURER, SYNTHETIC_MARKERS, TERMS, clean
from lib.identifiers import Identity

# As the demo attaches it: to the first demo case, whose patient is "Demo Patient A".
OPTIONS = Options(shift_days=-400, pseudonym="ND-DEMO123", identity=Identity(full_name="Demo Patient A"))


def a_slice() -> pydicom.Dataset:
    _name, data = phantom.files(phantom.Geometry(slices=1, first_z_mm=0.0))[0]
    return pydicom.dcmread(io.BytesIO(data))


def shared_copy(ds: pydicom.Dataset) -> pydicom.Dataset:
    return deidentify(ds, OPTIONS, keyed_uid_mapper(b"k" * 32)).dataset


def test_the_marker_words_are_on_the_vocabulary_on_purpose():
    assert SYNTHETIC_MARKERS <= TERMS
    assert phantom.MANUFACTURER == SYNTHETIC_MANUFACTURER
    for text in (
        phantom.SERIES_DESCRIPTION,
        phantom.STUDY_DESCRIPTION,
        phantom.IMAGE_COMMENTS,
        phantom.MANUFACTURER,
        phantom.MODEL,
    ):
        assert clean(text).removed == 0 and clean(text).text == text


def test_the_shared_copy_still_says_synthetic_in_every_field_the_viewer_reads():
    out = shared_copy(a_slice())
    assert out.SeriesDescription == phantom.SERIES_DESCRIPTION
    assert out.StudyDescription == phantom.STUDY_DESCRIPTION
    assert out.ImageComments == phantom.IMAGE_COMMENTS
    assert out.Manufacturer == phantom.MANUFACTURER
    assert out.ManufacturerModelName == phantom.MODEL
    assert phantom.is_phantom(out)


def test_the_phantoms_name_and_id_are_still_replaced_by_the_case_code():
    out = shared_copy(a_slice())
    assert str(out.PatientName) == "ND-DEMO123" and out.PatientID == "ND-DEMO123"
    assert out.PatientIdentityRemoved == "YES"


def test_a_real_patient_called_phantom_on_a_real_scanner_keeps_her_protection():
    ds = copy.deepcopy(a_slice())
    ds.Manufacturer = "GE MEDICAL SYSTEMS"
    ds.PatientName = "Phantom^Synthetic"
    ds.PatientID = "SRRH-2025-00123"
    out = shared_copy(ds)
    # Her name's words are safe words, yet found in the description they are her name: it goes.
    assert "SeriesDescription" not in out or "SYNTHETIC" not in str(out.SeriesDescription).upper()
    assert "ImageComments" not in out or "phantom" not in str(out.ImageComments).casefold()
