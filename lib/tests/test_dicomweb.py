"""The DICOMweb protocol without a server: what the Accept header asks for, multipart bodies
written and read back (however the network cuts them), DICOM JSON and the Store Instances
Response."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import pydicom
import pytest
from pydicom.dataset import FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, JPEG2000Lossless, JPEGLSLossless

from lib.dicomweb import (
    COERCED,
    DICOM,
    DISCARDED,
    JLS,
    NATIVE,
    NOT_AUTHORIZED,
    OCTETS,
    STORED,
    MediaRange,
    MultipartError,
    PartResult,
    StowOutcome,
    accepts_json,
    dataset_json,
    element,
    frame_media,
    instance_syntax,
    multipart,
    new_boundary,
    parse_accept,
    parse_media,
    read_parts,
    sent_uids,
)

JLS_SYNTAX = str(JPEGLSLossless)


class Trickle(io.RawIOBase):
    """A request body that arrives a few bytes at a time, so boundaries straddle reads."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.data[self.at : self.at + min(self.step, size if size > 0 else self.step)]
        self.at += len(chunk)
        return chunk


def body_of(parts: list[tuple[str, bytes]], boundary: str) -> bytes:
    def content(data: bytes) -> Callable[[], list[bytes]]:
        return lambda: [data]

    return b"".join(multipart(boundary, [(kind, content(data)) for kind, data in parts]))


def a_dataset() -> pydicom.Dataset:
    ds = pydicom.Dataset()
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.8.498.1"
    ds.PatientName = "ND-UNATTACHED"
    ds.PatientID = "ND-UNATTACHED"
    ds.Modality = "CT"
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    return ds


def encoded(ds: pydicom.Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


# --- Accept and Content-Type --------------------------------------------------------------------


def test_quoted_parameters_keep_their_commas_and_semicolons():
    ranges = parse_accept(
        'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.80, '
        'multipart/related; type="application/dicom;x=1,y"; q=0.5'
    )
    assert [(r.media, r.type, r.transfer_syntax, r.q) for r in ranges] == [
        ("multipart/related", DICOM, JLS_SYNTAX, 1.0),
        ("multipart/related", "application/dicom;x=1,y", None, 0.5),
    ]


def test_ranges_come_most_wanted_first_and_refused_ones_are_dropped():
    ranges = parse_accept("application/json; q=0.2, application/dicom+json, image/png; q=0, */*; q=0.7")
    assert [r.media for r in ranges] == ["application/dicom+json", "*/*", "application/json"]


def test_an_empty_or_wholly_refused_accept_means_anything():
    assert parse_accept("") == [MediaRange("*/*")]
    assert parse_accept("application/dicom+json; q=0") == [MediaRange("*/*")]


def test_a_bad_quality_counts_as_one_and_names_are_case_insensitive():
    found = parse_media('Multipart/Related; TYPE="Application/DICOM"; Q=high; boundary=Abc')
    assert (found.media, found.type, found.q) == ("multipart/related", DICOM, 1.0)
    assert found.params["boundary"] == "Abc"  # the boundary keeps its case


def test_instances_are_sent_as_stored_when_the_client_does_not_mind():
    for header in (
        "",
        "*/*",
        "multipart/related",
        'multipart/related; type="application/dicom"; transfer-syntax=*',
    ):
        assert instance_syntax(parse_accept(header), {JLS_SYNTAX}) == STORED, header


def test_instances_are_sent_as_stored_only_if_every_file_has_the_asked_syntax():
    jls = parse_accept(f'multipart/related; type="application/dicom"; transfer-syntax={JLS_SYNTAX}')
    assert instance_syntax(jls, {JLS_SYNTAX}) == STORED
    assert instance_syntax(jls, {JLS_SYNTAX, NATIVE}) is None


def test_instances_are_decompressed_for_the_default_syntax_and_refused_otherwise():
    plain = parse_accept('multipart/related; type="application/dicom"')
    assert instance_syntax(plain, {JLS_SYNTAX}) == NATIVE
    j2k = parse_accept(f'multipart/related; type="application/dicom"; transfer-syntax={JPEG2000Lossless}')
    assert instance_syntax(j2k, {JLS_SYNTAX}) is None
    assert instance_syntax(parse_accept("application/dicom+json"), {JLS_SYNTAX}) is None
    # A later, less wanted range can still be served.
    assert instance_syntax(parse_accept(f"{j2k[0].media}; type=image/png, */*; q=0.1"), {NATIVE}) == STORED


def test_frames_are_decoded_or_sent_as_stored_jpeg_ls():
    assert frame_media(parse_accept(""), JLS_SYNTAX) == OCTETS
    assert frame_media(parse_accept('multipart/related; type="image/jls"'), JLS_SYNTAX) == JLS
    assert frame_media(parse_accept('multipart/related; type="image/jls"'), NATIVE) is None
    asked = f'multipart/related; type="application/octet-stream"; transfer-syntax={JLS_SYNTAX}'
    assert frame_media(parse_accept(asked), JLS_SYNTAX) is None  # octets are never compressed


def test_json_is_accepted_under_its_names_and_wildcards_only():
    for header in ("", "*/*", "application/*", "application/json", "application/dicom+json; q=0.9"):
        assert accepts_json(header), header
    assert not accepts_json('multipart/related; type="application/dicom"')
    assert not accepts_json("text/html, image/png")


# --- Multipart -----------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 7, 64, 1 << 20])
def test_a_multipart_body_reads_back_part_by_part_however_it_arrives(step):
    boundary = new_boundary()
    sent = [
        (DICOM, b"\x00\x01DICM" * 40),
        (f"{DICOM}; transfer-syntax={JLS_SYNTAX}", b""),
        (OCTETS, b"\r\n--x\r\n"),
    ]
    body = b"a preamble to ignore\r\n" + body_of(sent, boundary)
    parts = list(read_parts(Trickle(body, step), boundary, max_part=1 << 20))
    assert [(p.headers["content-type"], p.data) for p in parts] == sent
    assert all(p.complete and not p.too_large for p in parts)


def test_the_part_content_is_produced_only_when_its_turn_comes() -> None:
    produced: list[int] = []

    def content(n: int) -> list[bytes]:
        produced.append(n)
        return [b"x" * n]

    body = multipart("b", [(OCTETS, partial(content, n)) for n in (1, 2)])
    assert next(body) == b"--b\r\nContent-Type: application/octet-stream\r\n\r\n" and produced == []
    assert next(body) == b"x" and produced == [1]
    assert b"".join(body).endswith(b"\r\n--b--\r\n") and produced == [1, 2]


def test_a_body_cut_in_the_middle_gives_the_last_part_as_incomplete():
    body = body_of([(DICOM, b"first"), (DICOM, b"second part")], "cut")
    cut = body[: body.index(b"second") + 3]
    parts = list(read_parts(io.BytesIO(cut), "cut", max_part=1000))
    assert [(p.data, p.complete) for p in parts] == [(b"first", True), (b"sec", False)]


def test_a_part_too_large_is_read_through_without_its_data_and_the_next_is_kept():
    body = body_of([(DICOM, b"y" * 5000), (DICOM, b"small")], "big")
    parts = list(read_parts(Trickle(body, 100), "big", max_part=1000))
    assert [(p.too_large, p.data) for p in parts] == [(True, b""), (False, b"small")]


def test_a_body_without_its_boundary_or_with_endless_headers_is_unreadable():
    with pytest.raises(MultipartError):
        list(read_parts(io.BytesIO(b"no boundary here at all"), "nd", max_part=1000))
    with pytest.raises(MultipartError):
        list(read_parts(io.BytesIO(b"--nd\r\nContent-Type: application/dicom"), "nd", max_part=1000))


def test_an_empty_multipart_body_has_no_parts():
    assert list(read_parts(io.BytesIO(b"--nd--\r\n"), "nd", max_part=1000)) == []


# --- DICOM JSON and the Store Instances Response -----------------------------------------------


def test_elements_drop_empty_values_and_keep_the_vr():
    assert element("LO", "", None) == {"vr": "LO"}
    assert element("IS", 0, "", 3) == {"vr": "IS", "Value": [0, 3]}


def test_a_header_in_dicom_json_names_the_patient_by_the_pseudonym_in_tag_order():
    found = dataset_json(a_dataset(), JLS_SYNTAX, "ND-7KQ2MXA")
    assert list(found) == sorted(found)
    assert found["00100010"] == {"vr": "PN", "Value": [{"Alphabetic": "ND-7KQ2MXA"}]}
    assert found["00100020"] == {"vr": "LO", "Value": ["ND-7KQ2MXA"]}
    assert found["00083002"] == {"vr": "UI", "Value": [JLS_SYNTAX]}
    assert found["00080060"] == {"vr": "CS", "Value": ["CT"]}


def test_the_uids_as_sent_are_read_from_a_part_or_left_empty():
    ds = a_dataset()
    assert sent_uids(encoded(ds)) == (CTImageStorage, "1.2.826.0.1.3680043.8.498.1")
    assert sent_uids(b"not dicom at all") == ("", "")


def test_the_store_response_lists_stored_and_failed_parts_with_their_codes():
    stored = PartResult("1.2", "1.2.3", COERCED, retrieve_url="https://nd.example/i/1")
    again = PartResult("1.2", "1.2.4", DISCARDED, "already received")
    refused = PartResult("1.2", "1.2.5", NOT_AUTHORIZED, "another patient", stored=False)
    assert StowOutcome([stored, again]).status == 200
    assert StowOutcome([stored, refused]).status == 202
    assert StowOutcome([refused]).status == 409
    answer = StowOutcome([stored, refused]).as_json()
    assert list(answer) == ["00081198", "00081199"]
    (ok,) = answer["00081199"]["Value"]
    assert ok == {
        "00081150": {"vr": "UI", "Value": ["1.2"]},
        "00081155": {"vr": "UI", "Value": ["1.2.3"]},
        "00081190": {"vr": "UR", "Value": ["https://nd.example/i/1"]},
        "00081196": {"vr": "US", "Value": [COERCED]},
    }
    (failed,) = answer["00081198"]["Value"]
    assert failed["00081197"] == {"vr": "US", "Value": [NOT_AUTHORIZED]}
    assert failed["0040A160"] == {"vr": "UT", "Value": ["another patient"]}
    assert "00081196" not in failed
    assert "00081198" not in StowOutcome([stored]).as_json()
