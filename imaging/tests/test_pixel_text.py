"""A screen of patient details relabelled as an ordinary CT slice: found by its pixels, held for
review, and masked in the shared copy when the referrer lets it go; the original stays as it
came. Pixel data that cannot be decoded is refused at ingest, with nothing stored."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pydicom
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont
from pydicom.uid import JPEGBaseline8Bit, JPEGLSLossless, RLELossless

from conftest import sign_in
from core.models import AuditEntry
from imaging import renderings, services
from imaging.access import imaging_access
from imaging.actions import deid_summary, review_series, share_study
from imaging.ingest import IngestError, Refusal
from imaging.messages import explain
from imaging.models import Instance, Series, Study
from imaging.services import Batch, receive
from imaging.tasks import prepare_renderings
from imaging.tests.data import GE_HEAD_CT, IDENTITY, encoded, ge_slices, needs_data
from lib.deid import ocr
from lib.deid.burned_in import Suspicion, suspicions

pytestmark = needs_data()
LATIN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CJK = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
# What a viewer's screen prints in its corners: the name, the hospital number, the real date.
PRINTED = [
    ("Amina Juma Mollel", (12, 12), LATIN),
    ("SRRH-2025-00123", (12, 470), LATIN),
    ("2025-03-11", (400, 470), LATIN),
    ("王芳 患者", (400, 12), CJK),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def screen(**changes: object) -> tuple[bytes, list[tuple[int, int, int, int]]]:
    """A real GE slice, labelled as the ordinary axial CT it was, with the patient's details
    drawn into its pixels at the slice's brightest value; and where each text is."""
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    for keyword, value in {**IDENTITY, **changes}.items():
        setattr(ds, keyword, value)
    pixels = ds.pixel_array.copy()
    ink = Image.new("L", (pixels.shape[1], pixels.shape[0]), 0)
    draw = ImageDraw.Draw(ink)
    where = []
    for text, corner, typeface in PRINTED:
        if not typeface.exists():
            pytest.skip(f"{typeface} is not installed")
        font = ImageFont.truetype(str(typeface), 13)
        draw.text(corner, text, fill=255, font=font)
        x0, y0, x1, y1 = draw.textbbox(corner, text, font=font)
        where.append((int(x0), int(y0), int(x1), int(y1)))
    pixels[np.asarray(ink) > 127] = pixels.max()
    ds.PixelData = pixels.tobytes()
    assert suspicions(ds) == []  # the header says: an ordinary CT slice
    return encoded(ds), where


def large_screen(lines: list[tuple[str, tuple[int, int]]], typeface: Path, size: int, light: bool):
    """A real GE slice with lines of large or bold text drawn into its pixels: light (the
    slice's brightest value) on the slice, or dark (its darkest) on a bright label, as the
    browser review planted them; and which pixels show the text (the glyphs, or the whole label:
    dark glyphs are already black, the label around them is what reads)."""
    if not typeface.exists():
        pytest.skip(f"{typeface} is not installed")
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    for keyword, value in IDENTITY.items():
        setattr(ds, keyword, value)
    pixels = ds.pixel_array.copy()
    ink = Image.new("L", (pixels.shape[1], pixels.shape[0]), 0)
    draw = ImageDraw.Draw(ink)
    for text, corner in lines:
        draw.text(corner, text, fill=255, font=ImageFont.truetype(str(typeface), size))
    glyphs = np.asarray(ink) > 127
    rows, columns = np.nonzero(glyphs)
    assert columns.max() < pixels.shape[1] - 1, "the text must fit on the slice"
    if not light:
        pixels[max(rows.min() - 6, 0) : rows.max() + 7, max(columns.min() - 6, 0) : columns.max() + 7] = (
            pixels.max()
        )
    pixels[glyphs] = ds.pixel_array.max() if light else ds.pixel_array.min()
    ds.PixelData = pixels.tobytes()
    assert suspicions(ds) == []
    return encoded(ds), glyphs if light else pixels != ds.pixel_array


def receive_screen(cast, case, data: bytes | None = None, **changes: object):
    data, where = (data, []) if data is not None else screen(**changes)
    batch = Batch(
        institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case, user=cast.referrer
    )
    receive(batch, data, "screen.dcm")
    for ordinary in ge_slices(3)[1:]:  # two ordinary slices of the same series and patient
        receive(batch, encoded(ordinary))
    series = Series.objects.get(study__case=case)
    screen_instance = series.instances.get(number=pydicom.dcmread(GE_HEAD_CT / "01.dcm").InstanceNumber)
    return series, screen_instance, where


def stored_pixels(instance: Instance) -> np.ndarray:
    with default_storage.open(Instance.objects.get(pk=instance.pk).file.name, "rb") as stored:
        return pydicom.dcmread(stored).pixel_array


def original_pixels(instance: Instance) -> np.ndarray:
    with default_storage.open(instance.original.name, "rb") as original:
        return pydicom.dcmread(original).pixel_array


def test_a_screen_relabelled_as_an_ordinary_ct_waits_for_review(cast, case_for_china):
    series, _screen, _where = receive_screen(cast, case_for_china)
    assert series.suspicions == [Suspicion.TEXT_IN_PIXELS.value]
    assert series.awaits_review and not series.shareable
    study = series.study
    with pytest.raises(Exception, match="review"):
        share_study(imaging_access(cast.referrer, case_for_china.code), study.pk)


def test_letting_it_go_masks_the_text_in_the_shared_copy_and_keeps_the_original(cast, case_for_china):
    series, instance, where = receive_screen(cast, case_for_china)
    before = stored_pixels(instance)
    original_sha = instance.original_sha256
    others = {i.pk: i.sha256 for i in series.instances.exclude(pk=instance.pk)}
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    after = stored_pixels(instance)
    black = before.min()
    for x0, y0, x1, y1 in where:
        assert (after[y0:y1, x0:x1] == black).all(), (x0, y0, x1, y1)
    assert np.array_equal(after[100:400, 100:400], before[100:400, 100:400])  # the brain untouched
    # The shared copy is still valid DICOM, stored as every shared copy is; the original not touched.
    stored = Instance.objects.get(pk=instance.pk)
    assert stored.transfer_syntax == JPEGLSLossless and stored.sha256 != instance.sha256
    with default_storage.open(stored.file.name, "rb") as data:
        assert hashlib.sha256(data.read()).hexdigest() == stored.sha256
    assert stored.original_sha256 == original_sha
    assert np.array_equal(original_pixels(stored), before)
    assert {i.pk: i.sha256 for i in series.instances.exclude(pk=instance.pk)} == others  # nothing else
    # The report says what was masked, on which image; the audit entry how much.
    series.refresh_from_db()
    assert not series.awaits_review
    summary = deid_summary(series)
    assert summary.masked_images == 1 and summary.masked_regions >= 3
    [line] = [line for line in summary.lines if line.attribute == services.mask_key(stored)]
    assert "filled with black" in line.reason
    entry = AuditEntry.objects.filter(action="imaging.reviewed").latest("pk")
    assert entry.detail["masked_images"] == 1 and entry.detail["masked_regions"] == summary.masked_regions
    assert "Amina" not in str(entry.detail) and "Amina" not in str(series.report)


@pytest.mark.parametrize(
    ("typeface", "size", "light"),
    [
        (BOLD, 28, True),
        (BOLD, 36, True),
        (BOLD, 48, True),
        (BOLD, 36, False),
        (LATIN, 48, False),
        (CJK, 36, True),
    ],
    ids=["bold-28", "bold-36", "bold-48", "bold-36-on-a-label", "regular-48-on-a-label", "chinese-36"],
)
def test_large_or_bold_text_is_held_back_and_masked_to_the_last_glyph(
    cast, case_for_china, typeface, size, light
):
    """The browser review's finding: bold 28 and 36 px text on a real slice went to China."""
    if typeface == CJK:
        lines = [("患者 王芳", (12, 12)), ("1985年3月14日", (12, 500 - int(size * 1.3)))]
    else:
        lines = [("WANG FANG", (12, 12)), ("SRRH-2026-0457", (12, 500 - int(size * 1.3)))]
    data, text = large_screen(lines, typeface, size, light)
    series, instance, _where = receive_screen(cast, case_for_china, data)
    assert series.suspicions == [Suspicion.TEXT_IN_PIXELS.value] and series.awaits_review
    before = stored_pixels(instance)
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    after = stored_pixels(instance)
    assert (after[text] == before.min()).all(), int(np.count_nonzero(after[text] != before.min()))
    assert np.array_equal(after[150:350, 150:350], before[150:350, 150:350])  # the brain untouched


def test_the_referrers_page_says_what_was_masked_in_three_languages(cast, case_for_china):
    series, instance, _where = receive_screen(cast, case_for_china)
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    referrer = sign_in(Client(), cast.referrer)
    page = referrer.get(f"/consultations/{case_for_china.code}/imaging/").content.decode()
    assert "Text in the pixels was masked in the shared copy of 1 image" in page
    for language in ("sw", "zh-hans"):
        with translation.override(language):
            summary = deid_summary(Series.objects.get(pk=series.pk))
            [why] = summary.suspicions
            assert (
                why
                == gettext("the image itself looks like it shows text")
                != "the image itself looks like it shows text"
            )
            [masked] = [line for line in summary.lines if line.attribute == services.mask_key(instance)]
            assert "filled with black" not in masked.reason and str(summary.masked_regions) in masked.reason
            assert masked.action == gettext("Text masked") != "Text masked"


@pytest.mark.skipif(not ocr.available(), reason="OCR (rapidocr-onnxruntime) is not installed")
def test_ocr_reads_the_printed_text_before_and_finds_none_there_after(cast, case_for_china):
    series, instance, where = receive_screen(cast, case_for_china)

    def lines_over_the_text(pixels: np.ndarray) -> int:
        found = ocr.text_boxes(pixels, recognise=True) or []
        return sum(
            1
            for b in found
            for x0, y0, x1, y1 in where
            if b.x < x1 and x0 < b.x + b.width and b.y < y1 and y0 < b.y + b.height
        )

    assert lines_over_the_text(stored_pixels(instance)) >= 3
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    assert lines_over_the_text(stored_pixels(instance)) == 0


def test_without_ocr_the_detector_alone_holds_back_and_masks(cast, case_for_china, monkeypatch):
    monkeypatch.setattr(ocr, "_load", lambda: None)  # a machine where OCR cannot be loaded
    assert not ocr.available()
    series, instance, where = receive_screen(cast, case_for_china)
    assert series.awaits_review
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    after = stored_pixels(instance)
    for x0, y0, x1, y1 in where:
        assert (after[y0:y1, x0:x1] == after.min()).all()
    masked, why, regions = Series.objects.get(pk=series.pk).report[services.mask_key(instance)]
    assert (masked, why) == (services.MASKED, services.MASK_REASON_DETECTOR) and regions >= 3


def test_renderings_made_before_the_review_show_the_masked_pixels_after(cast, case_for_china):
    series, instance, where = receive_screen(cast, case_for_china)
    prepare_renderings.call(series.pk)  # what the worker does on arrival, before anyone looks
    base = f"/consultations/{case_for_china.code}/imaging/"
    referrer = sign_in(Client(), cast.referrer)
    x0, y0, x1, y1 = where[0]

    def name_region(url: str) -> np.ndarray:
        answer = referrer.get(url)
        assert answer.status_code == 200
        return np.asarray(Image.open(io.BytesIO(answer.content)).convert("L"))[y0:y1, x0:x1]

    render = f"{base}instances/{instance.pk}/default.webp"
    assert name_region(render).max() > 200  # the name, white, in the cached rendering
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    referrer = sign_in(Client(), cast.referrer)  # a fresh browser: the old one had it cached
    assert name_region(render).max() < 40
    assert name_region(f"{base}instances/{instance.pk}/window.png?center=40&width=80").max() == 0
    share_study(imaging_access(cast.referrer, case_for_china.code), series.study_id)
    consultant = sign_in(Client(), cast.consultant_china)
    answer = consultant.get(render)
    region = np.asarray(Image.open(io.BytesIO(answer.content)).convert("L"))[y0:y1, x0:x1]
    assert answer.status_code == 200 and region.max() < 40


def test_the_referrers_own_browser_does_not_keep_showing_the_unmasked_screen(cast, case_for_china):
    series, instance, where = receive_screen(cast, case_for_china)
    render = f"/consultations/{case_for_china.code}/imaging/instances/{instance.pk}/default.webp"
    referrer = sign_in(Client(), cast.referrer)
    before = referrer.get(render)
    # A flagged slice may change once: the browser asks again each time instead of keeping it.
    assert before["Cache-Control"] == "private, no-cache" and before["ETag"]
    assert referrer.get(render, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    after = referrer.get(render, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    x0, y0, x1, y1 = where[0]
    assert np.asarray(Image.open(io.BytesIO(after.content)).convert("L"))[y0:y1, x0:x1].max() < 40


def test_a_rendering_saved_from_the_copy_before_masking_is_never_served(cast, case_for_china):
    series, instance, where = receive_screen(cast, case_for_china)
    unmasked = renderings.rendering(instance, "default")  # a worker read the copy before review...
    default_storage.delete(renderings._name(instance, "default"))
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    # ...and saved its rendering after the review had dropped the cached ones
    default_storage.save(renderings._name(instance, "default"), io.BytesIO(unmasked))
    share_study(imaging_access(cast.referrer, case_for_china.code), series.study_id)
    answer = sign_in(Client(), cast.consultant_china).get(
        f"/consultations/{case_for_china.code}/imaging/instances/{instance.pk}/default.webp"
    )
    x0, y0, x1, y1 = where[0]
    assert np.asarray(Image.open(io.BytesIO(answer.content)).convert("L"))[y0:y1, x0:x1].max() < 40


def test_only_the_referring_team_lets_a_screen_go(cast, case_for_china):
    series, instance, _where = receive_screen(cast, case_for_china)
    url = f"/consultations/{case_for_china.code}/imaging/series/{series.pk}/review/"
    for persona in ("consultant_china", "outsider", "outsider_coordinator"):
        sign_in(Client(), getattr(cast, persona)).post(url, {"decision": "share"})
    held = Series.objects.get(pk=series.pk)
    assert held.awaits_review and services.mask_key(instance) not in held.report
    assert Instance.objects.get(pk=instance.pk).sha256 == instance.sha256


def test_holding_a_screen_back_masks_nothing(cast, case_for_china):
    series, instance, _where = receive_screen(cast, case_for_china)
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=False)
    assert Instance.objects.get(pk=instance.pk).sha256 == instance.sha256


def test_a_screen_that_arrives_after_the_review_is_masked_at_the_next(cast, case_for_china):
    series, first, _where = receive_screen(cast, case_for_china)
    access = imaging_access(cast.referrer, case_for_china.code)
    review_series(access, series.pk, share=True)
    masked_once = Instance.objects.get(pk=first.pk).sha256
    data, where = screen(InstanceNumber=99, SOPInstanceUID=pydicom.uid.generate_uid())
    batch = Batch(
        institution=cast.institutions["SRRH"],
        source=Study.Source.UPLOAD,
        case=case_for_china,
        user=cast.referrer,
    )
    second = receive(batch, data)
    assert second is not None and Series.objects.get(pk=series.pk).awaits_review
    review_series(access, series.pk, share=True)
    after = stored_pixels(second)
    assert all((after[y0:y1, x0:x1] == after.min()).all() for x0, y0, x1, y1 in where)
    assert Instance.objects.get(pk=first.pk).sha256 == masked_once  # not masked twice


# Pixel data that cannot be decoded is refused, whatever the encoding, and nothing is stored.


def _encapsulated(ds: pydicom.Dataset, syntax: pydicom.uid.UID, frame: bytes) -> bytes:
    ds.file_meta.TransferSyntaxUID = syntax
    ds.PixelData = pydicom.encaps.encapsulate([frame])
    ds["PixelData"].VR = "OB"
    return encoded(ds)


def _cut_jpeg_ls() -> bytes:
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.compress(JPEGLSLossless, encoding_plugin="pyjpegls")
    frame = next(pydicom.encaps.generate_frames(ds.PixelData, number_of_frames=1))
    return _encapsulated(ds, JPEGLSLossless, frame[: len(frame) // 2])


def _cut_jpeg_baseline() -> bytes:
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    grey = ((ds.pixel_array - ds.pixel_array.min()) / np.ptp(ds.pixel_array) * 255).astype(np.uint8)
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.PixelRepresentation = 7, 0
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, format="JPEG")
    return _encapsulated(ds, JPEGBaseline8Bit, buffer.getvalue()[: len(buffer.getvalue()) // 3])


def _damaged_rle() -> bytes:
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.compress(RLELossless)
    frame = next(pydicom.encaps.generate_frames(ds.PixelData, number_of_frames=1))
    return _encapsulated(ds, RLELossless, frame[: len(frame) // 2])


def _short_native() -> bytes:
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.PixelData = ds.PixelData[: len(ds.PixelData) // 2]
    return encoded(ds)


@pytest.mark.parametrize(
    ("damaged", "refusal"),
    [
        (_cut_jpeg_ls, Refusal.UNREADABLE_PIXELS),
        (_cut_jpeg_baseline, Refusal.UNREADABLE_PIXELS),
        (_damaged_rle, Refusal.UNREADABLE_PIXELS),
        (_short_native, Refusal.TRUNCATED),
    ],
)
def test_pixels_that_cannot_be_decoded_are_refused_and_nothing_is_stored(
    cast, case_for_china, damaged, refusal
):
    batch = Batch(
        institution=cast.institutions["SRRH"],
        source=Study.Source.UPLOAD,
        case=case_for_china,
        user=cast.referrer,
    )
    with pytest.raises(IngestError) as refused:
        receive(batch, damaged(), "damaged.dcm")
    assert refused.value.refusal is refusal
    assert not Study.objects.exists() and not Instance.objects.exists()
    assert not default_storage.exists("imaging") or default_storage.listdir("imaging") == ([], [])
    with translation.override("sw"):
        said = explain(refused.value)
    assert said and said != explain(refused.value)  # said in the referrer's language


def test_a_series_flagged_by_its_header_alone_has_no_real_slice_masked_nor_read(
    cast, case_for_china, monkeypatch
):
    batch = Batch(
        institution=cast.institutions["SRRH"],
        source=Study.Source.UPLOAD,
        case=case_for_china,
        user=cast.referrer,
    )
    for ds in ge_slices(4):
        ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"  # secondary capture: every image needs a look
        receive(batch, encoded(ds))
    series = Series.objects.get(study__case=case_for_china)
    assert series.suspicions == [Suspicion.SECONDARY_CAPTURE.value]
    before = {i.pk: i.sha256 for i in series.instances.all()}

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR read an image where it could add nothing")

    monkeypatch.setattr(ocr, "text_boxes", never)
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    assert {i.pk: i.sha256 for i in series.instances.all()} == before
    assert deid_summary(Series.objects.get(pk=series.pk)).masked_images == 0


def test_a_review_that_fails_halfway_leaves_no_cached_rendering_of_what_it_masked(
    cast, case_for_china, monkeypatch
):
    series, _first, _where = receive_screen(cast, case_for_china)
    data, _ = screen(InstanceNumber=99, SOPInstanceUID=pydicom.uid.generate_uid())
    batch = Batch(
        institution=cast.institutions["SRRH"],
        source=Study.Source.UPLOAD,
        case=case_for_china,
        user=cast.referrer,
    )
    receive(batch, data)
    prepare_renderings.call(series.pk)
    folder = f"imaging-renderings/{series.study_id}/{series.pk}"
    assert default_storage.listdir(folder)[1]
    replace, calls = services._replace_stored_copy, []

    def fails_the_second_time(instance: Instance, ds: pydicom.Dataset) -> None:
        calls.append(instance.pk)
        if len(calls) == 2:
            raise services.StorageMismatch("the disk")
        replace(instance, ds)

    monkeypatch.setattr(services, "_replace_stored_copy", fails_the_second_time)
    with pytest.raises(services.StorageMismatch):
        review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    assert Series.objects.get(pk=series.pk).awaits_review  # not reviewed: still held back
    assert default_storage.listdir(folder)[1] == []  # the first one's old renderings are gone


def colour_screen(jpeg: bool) -> bytes:
    """A viewer's screen capture in colour, relabelled as CT: yellow text on black, no pixel
    size; as JPEG baseline (YBR, lossy) as a PACS sends it, or as plain RGB."""
    ds = ge_slices(1)[0]
    picture = Image.new("RGB", (640, 480), (0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.text(
        (20, 20),
        "Amina Juma Mollel  SRRH-2025-00123",
        fill=(255, 230, 0),
        font=ImageFont.truetype(str(LATIN), 16),
    )
    draw.ellipse((200, 120, 440, 400), fill=(120, 120, 120))  # the "image" part of the screen
    del ds.PixelSpacing
    ds.Rows, ds.Columns = 480, 640
    ds.SamplesPerPixel, ds.PlanarConfiguration = 3, 0
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.PixelRepresentation = 7, 0
    if jpeg:
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=95)
        ds.PhotometricInterpretation = "YBR_FULL_422"
        return _encapsulated(ds, JPEGBaseline8Bit, buffer.getvalue())
    ds.PhotometricInterpretation = "RGB"
    ds.PixelData = np.asarray(picture).tobytes()
    return encoded(ds)


@pytest.mark.parametrize("jpeg", [False, True])
def test_a_colour_screen_labelled_ct_is_held_and_masked_in_colour(cast, case_for_china, jpeg):
    batch = Batch(
        institution=cast.institutions["SRRH"],
        source=Study.Source.UPLOAD,
        case=case_for_china,
        user=cast.referrer,
    )
    instance = receive(batch, colour_screen(jpeg))
    assert instance is not None
    series = Series.objects.get(pk=instance.series_id)
    assert {Suspicion.COLOUR_CT, Suspicion.CT_WITHOUT_SPACING, Suspicion.TEXT_IN_PIXELS} <= set(
        series.suspicions
    )
    review_series(imaging_access(cast.referrer, case_for_china.code), series.pk, share=True)
    with default_storage.open(Instance.objects.get(pk=instance.pk).file.name, "rb") as stored:
        ds = pydicom.dcmread(stored)
    assert ds.file_meta.TransferSyntaxUID == JPEGLSLossless and ds.PhotometricInterpretation == "RGB"
    pixels = ds.pixel_array
    assert pixels.shape == (480, 640, 3)
    assert pixels[18:42, 20:330].max() == 0  # the text: black in every channel
    assert abs(int(pixels[260, 320, 0]) - 120) < 8  # the picture part kept
