"""De-identification of headers built in memory: the allow-list for text, dummies for "D", and
CJK names in the header check (no shared data needed)."""

from __future__ import annotations

import io

import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

from lib.deid.dicom import Action, Options, Reason, deidentify
from lib.deid.uids import keyed_uid_mapper
from lib.identifiers import Identity

MAPPER = keyed_uid_mapper(b"a key that stays in tanzania!!!!")
OPTIONS = Options(shift_days=-10, pseudonym="ND-7K3Q")


def header(**values: object) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, generate_uid()
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = (
        ds.SOPClassUID,
        ds.SOPInstanceUID,
    )
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.Modality, ds.PatientName, ds.PatientID = "CT", "Mollel^Amina", "SRRH-1"
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds


def from_disk(ds: Dataset) -> Dataset:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return pydicom.dcmread(io.BytesIO(buffer.getvalue()))


def run(ds: Dataset, options: Options = OPTIONS):
    return deidentify(ds, options, MAPPER)


@pytest.mark.parametrize("source", ["in memory", "from disk"])
def test_text_that_no_table_or_list_names_is_removed_and_said_so(source):
    ds = header(
        SecondaryCaptureDeviceManufacturer="Dr John Mwakyusa",
        SecondaryCaptureDeviceManufacturerModelName="Neema",
        SecondaryCaptureDeviceSoftwareVersions="Mushi 1.0",
        Manufacturer="GE MEDICAL SYSTEMS",
        ConvolutionKernel="H30s",
        BodyPartExamined="HEAD",
    )
    ds = from_disk(ds) if source == "from disk" else ds
    result = run(ds)
    for keyword in ("SecondaryCaptureDeviceManufacturer", "SecondaryCaptureDeviceManufacturerModelName"):
        assert keyword not in result.dataset
        assert any(e.path == keyword and e.reason is Reason.NOT_ON_SAFE_LIST for e in result.entries)
    assert "SecondaryCaptureDeviceSoftwareVersions" not in result.dataset
    kept = result.dataset
    assert (kept.Manufacturer, kept.ConvolutionKernel, kept.BodyPartExamined, kept.Modality) == (
        "GE MEDICAL SYSTEMS",
        "H30s",
        "HEAD",
        "CT",
    )


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        ("Manufacturer", "GE for Dr John Mwakyusa"),
        ("ConvolutionKernel", "Mwakyusa"),
        ("FilterType", "Neema Mushi"),
    ],
)
def test_safe_text_holding_a_name_is_replaced(keyword, value):
    result = run(header(**{keyword: value})).dataset
    assert result.get(keyword) == "REMOVED"


def test_a_code_value_is_kept_under_a_public_scheme_and_replaced_under_a_local_one_if_not_a_code():
    ds = header(
        AnatomicRegionSequence=Sequence([_code("12738006", "SCT", "Brain")]),
        ProcedureCodeSequence=Sequence([_code("12345678", "99TZ", "CT HEAD")]),
    )
    result = run(ds).dataset
    assert result.AnatomicRegionSequence[0].CodeValue == "12738006"
    assert result.AnatomicRegionSequence[0].CodeMeaning == "Brain"
    assert result.ProcedureCodeSequence[0].CodeValue == "REMOVED"  # a long number, locally
    assert result.ProcedureCodeSequence[0].CodeMeaning == "CT HEAD"


def test_a_code_meaning_is_kept_whole_or_not_at_all():
    result = run(header(AnatomicRegionSequence=Sequence([_code("T-D1100", "SRT", "Head Neema")])))
    entry = next(e for e in result.entries if e.path == "AnatomicRegionSequence[0].CodeMeaning")
    assert result.dataset.AnatomicRegionSequence[0].CodeMeaning == "REMOVED"
    assert (entry.action, entry.reason, entry.words_removed) == (Action.REPLACED, Reason.UNSAFE_DESCRIPTOR, 1)


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


@pytest.mark.parametrize("source", ["in memory", "from disk"])
def test_inside_a_sequence_the_profile_replaces_every_text_becomes_a_dummy(source):
    item = Dataset()
    item.RelationshipType, item.ValueType = "CONTAINS", "TEXT"
    item.TextValue = "Bi. Neema Mushi, 0754 123 456"
    item.ConceptNameCodeSequence = Sequence([_code("121071", "DCM", "Finding")])
    ds = header(
        ContentSequence=Sequence([item]),
        PersonIdentificationCodeSequence=Sequence([_code("EMP-4471", "99TZ", "Neema Mushi")]),
    )
    ds = from_disk(ds) if source == "from disk" else ds
    result = run(ds).dataset
    text = result.ContentSequence[0]
    assert text.TextValue == "ANONYMIZED" and text.ValueType == "TEXT"  # CS kept: the structure stays
    person = result.PersonIdentificationCodeSequence[0]
    assert (person.CodeValue, person.CodingSchemeDesignator, person.CodeMeaning) == ("ANONYMIZED",) * 3


def test_an_empty_code_sequence_the_profile_replaces_gets_one_dummy_item():
    result = run(header(PersonIdentificationCodeSequence=Sequence())).dataset
    assert len(result.PersonIdentificationCodeSequence) == 1
    assert result.PersonIdentificationCodeSequence[0].CodeMeaning == "ANONYMIZED"


@pytest.mark.parametrize(
    ("keyword", "value", "dummy"),
    [
        ("PersonName", "Mwakyusa^John", "ANONYMOUS"),
        ("VerifyingOrganization", "Sekou Toure", "ANONYMIZED"),
        ("ContainerIdentifier", "", "ANONYMIZED"),
        ("AssertionDateTime", "not a date", "19000101000000"),
        ("AssertionDateTime", "", "19000101000000"),
        ("SafePositionExitTime", "", "000000"),
    ],
)
def test_the_d_action_gives_a_dummy_valid_for_its_vr_never_an_empty_value(keyword, value, dummy):
    assert run(header(**{keyword: value})).dataset.get(keyword) == dummy


def test_a_d_date_that_can_be_moved_is_moved():
    assert run(header(AssertionDateTime="20260314083000")).dataset.AssertionDateTime == "20260304083000"


def test_a_d_uid_is_replaced_consistently_not_emptied():
    uid = generate_uid()
    result = run(header(AnnotationGroupUID=uid)).dataset
    assert result.AnnotationGroupUID == MAPPER(uid)


@pytest.mark.parametrize("name", ["Wang^Fang=王^芳", "王芳"])
def test_a_chinese_name_in_the_header_is_found_in_what_is_kept(name):
    """A safe private element is kept only when clean: 王芳 in it is her name, in any PN form."""
    ds = header(PatientName=name)
    ds.private_block(0x0009, "ACME 1.0", create=True).add_new(0x01, "LO", "复查 王 芳")
    ds.private_block(0x0009, "ACME 1.0").add_new(0x02, "LO", "芳香")  # one character alone: not her
    safe = frozenset({("ACME 1.0", 0x0009, 0x01), ("ACME 1.0", 0x0009, 0x02)})
    result = run(ds, Options(shift_days=-10, pseudonym="ND-7K3Q", safe_private=safe)).dataset
    block = result.private_block(0x0009, "ACME 1.0")
    assert block[0x01].value == "REMOVED" and block[0x02].value == "芳香"


def test_a_chinese_name_from_the_case_is_looked_for_too():
    ds = header()
    ds.private_block(0x0009, "ACME 1.0", create=True).add_new(0x01, "LO", "张伟明复查")
    safe = frozenset({("ACME 1.0", 0x0009, 0x01)})
    options = Options(
        shift_days=-10, pseudonym="ND-7K3Q", safe_private=safe, identity=Identity(full_name="张 伟明")
    )
    assert run(ds, options).dataset.private_block(0x0009, "ACME 1.0")[0x01].value == "REMOVED"
