"""One distance, before and after saving; the patient's directions at the image's edges.

A distance read 76.5 mm while measuring and 76.6 mm once saved: the viewer measured between the
points where the finger was, the server between the points rounded to a tenth of a pixel, and
each rounded in its own way. Both now round the points, compute sqrt(dx² + dy²) and round the
millimetres the same way; the viewer's own code is run here on the same example.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from conftest import sign_in
from imaging import actions
from imaging.access import imaging_access
from imaging.geometry import distance_mm, edge_letters, round_tenth
from imaging.models import Annotation, Instance, Series, Study
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct

VIEWER_JS = Path(__file__).resolve().parents[2] / "static/js/viewer.js"
SPACING = 0.4882812  # the real head CT's pixel size, in mm
# Measured on screen between these points (image pixels): 76.54 mm as the finger lay, and
# 76.56 mm between the points saved (to a tenth of a pixel).
EXAMPLE = [[100.0, 200.0], [256.7539, 200.0]]
EXAMPLES = [
    (EXAMPLE, SPACING, SPACING),
    ([[10.04, 20.05], [300.26, 400.35]], 0.5, 0.5),
    ([[0.0, 0.0], [153.6, 0.0]], SPACING, SPACING),  # 74.9999... mm
    ([[12.25, 7.75], [12.25, 300.15]], 0.9765625, 0.625),
    ([[511.95, 511.95], [0.05, 0.05]], 0.48828125, 0.48828125),
]


def test_the_example_reads_76_6_mm_as_saved():
    assert distance_mm(EXAMPLE, SPACING, SPACING) == 76.6


def test_halves_round_up_as_the_viewer_rounds_them():
    assert [round_tenth(v) for v in (0.05, 0.15, 0.25, 2.45, 76.55, 0.049999999999999996)] == [
        0.1,
        0.2,
        0.3,
        2.5,
        76.6,
        0.0,
    ]


def test_no_pixel_spacing_gives_no_millimetres():
    assert distance_mm(EXAMPLE, None, SPACING) is None


def _viewer_geometry() -> str:
    source = VIEWER_JS.read_text()
    block = re.search(r"// --- geometry:.*?// --- end of geometry ---", source, re.S)
    assert block, "viewer.js keeps its geometry between the two markers"
    return block.group(0)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_viewer_computes_the_same_distances_as_the_server():
    script = _viewer_geometry() + (
        "\nconst cases = " + json.dumps([[p, r, c] for p, r, c in EXAMPLES]) + ";\n"
        "console.log(JSON.stringify(cases.map(([p, r, c]) => distanceMm(p, r, c))));\n"
    )
    found = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)  # noqa: S603, S607
    assert json.loads(found.stdout) == [distance_mm(p, r, c) for p, r, c in EXAMPLES]
    assert json.loads(found.stdout)[0] == 76.6


def test_a_saved_distance_is_the_one_shown_before_saving(cast, case_for_china, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ds = small_ct(1, 1, size=512)
    ds.PixelSpacing = [SPACING, SPACING]
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case_for_china),
        encoded(ds),
    )
    access = imaging_access(cast.referrer, case_for_china.code)
    saved = actions.annotate(access, Instance.objects.get(), kind="distance", points=EXAMPLE)
    assert Annotation.objects.get(pk=saved.pk).millimetres == 76.6


# --- orientation ---------------------------------------------------------------------------------
def test_an_axial_slice_shows_the_patients_right_on_the_left_of_the_image():
    assert edge_letters([1, 0, 0, 0, 1, 0]) == {"left": "R", "right": "L", "top": "A", "bottom": "P"}


def test_a_tilted_gantry_still_reads_as_axial():
    assert edge_letters([1, 0, 0, 0, 0.9483237, -0.3173047]) == {
        "left": "R",
        "right": "L",
        "top": "A",
        "bottom": "P",
    }


def test_coronal_and_sagittal_slices_name_head_and_feet():
    assert edge_letters([1, 0, 0, 0, 0, -1]) == {"left": "R", "right": "L", "top": "H", "bottom": "F"}
    assert edge_letters([0, 1, 0, 0, 0, -1]) == {"left": "A", "right": "P", "top": "H", "bottom": "F"}


def test_an_oblique_slice_names_both_directions():
    assert edge_letters([0.7071, 0.7071, 0, 0, 0, -1])["right"] == "LP"


@pytest.mark.parametrize("orientation", [None, [], [1, 0, 0], [0, 0, 0, 0, 0, 0], ["x", 0, 0, 0, 1, 0]])
def test_a_missing_or_nonsense_orientation_shows_no_letters(orientation):
    assert edge_letters(orientation) is None


@pytest.mark.parametrize(
    ("language", "right"),
    [("en", "the patient's left"), ("sw", "upande wa kushoto wa mgonjwa (L)"), ("zh-hans", "患者左侧（L）")],
)
def test_the_manifest_gives_the_viewer_its_letters_and_words(
    cast, case_for_china, settings, tmp_path, language, right
):
    settings.MEDIA_ROOT = tmp_path
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case_for_china),
        encoded(small_ct(1, 1)),
    )
    cast.referrer.preferred_language = language
    cast.referrer.save(update_fields=["preferred_language"])
    series = Series.objects.get()
    manifest = (
        sign_in(Client(), cast.referrer)
        .get(f"/consultations/{case_for_china.code}/imaging/series/{series.pk}/manifest.json")
        .json()
    )
    assert (
        manifest["orientation"]["left"]["letters"] == "R"
        and manifest["orientation"]["right"]["letters"] == "L"
    )
    assert manifest["orientation"]["right"]["title"] == right


def test_a_series_stored_before_orientation_was_indexed_reads_it_from_its_first_image(
    cast, case_for_china, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case_for_china),
        encoded(small_ct(1, 1)),
    )
    Series.objects.update(orientation=[])
    series = Series.objects.get()
    url = f"/consultations/{case_for_china.code}/imaging/series/{series.pk}/manifest.json"
    assert sign_in(Client(), cast.referrer).get(url).json()["orientation"]["left"]["letters"] == "R"
    series.refresh_from_db()
    assert series.orientation == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
