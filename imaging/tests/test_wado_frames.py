"""A WADO-RS frame list is bounded: thousands of numbers, repeats, zero, negatives, numbers no
object can hold and anything but digits are a clear 400, before any pixel is read; a frame past
this image's own frames is not there (404)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.actions import create_api_token
from imaging.dicomweb.stow import sending_institution
from imaging.models import Instance, Study
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct

FRAMES = 3
BOUND = 256  # imaging.dicomweb.wado.MAX_FRAMES_PER_REQUEST


@pytest.fixture
def frames_url(cast) -> str:
    ds = small_ct(study=11, series=1)
    ds.NumberOfFrames = FRAMES
    ds.PixelData = ds.PixelData * FRAMES
    batch = Batch(
        institution=sending_institution(cast.referrer, ""), source=Study.Source.STOW, user=cast.referrer
    )
    instance = receive(batch, encoded(ds))
    assert isinstance(instance, Instance) and instance.frames == FRAMES
    series = instance.series
    return (
        f"/dicomweb/studies/{series.study.study_uid}/series/{series.series_uid}"
        f"/instances/{instance.sop_uid}/frames/"
    )


@pytest.fixture
def client(cast) -> Client:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(cast.referrer, name='t', valid_days=3)[1]}")
    client.raise_request_exception = False
    return client


def test_a_short_list_of_distinct_frames_is_served_in_the_order_asked(client, frames_url):
    answer = client.get(frames_url + "3,1", HTTP_ACCEPT="*/*")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).count(b"Content-Type: application/octet-stream") == 2


@pytest.mark.parametrize(
    ("frame_list", "says"),
    [
        (",".join(str(n % FRAMES + 1) for n in range(5000)), "at most 256"),
        (",".join(str(n) for n in range(1, BOUND + 2)), "at most 256"),
        ("1" * 100_000, "at most 256"),
        ("1,2,1", "more than once"),
        ("2,2", "more than once"),
        ("0", "numbered from 1"),
        ("-1", "numbered from 1"),
        ("1,-2", "numbered from 1"),
        ("99999999999999999999999999", "numbered from 1"),
        ("999999999", "numbered from 1"),
        ("one", "numbered from 1"),
        ("1,,2", "numbered from 1"),
        (" 1", "numbered from 1"),
        ("+1", "numbered from 1"),
        ("1_0", "numbered from 1"),
        ("\u0661", "numbered from 1"),  # an Arabic-Indic one: int() would take it
        ("1.5", "numbered from 1"),
    ],
)
def test_a_frame_list_out_of_bounds_is_a_clear_400(client, frames_url, frame_list, says):
    answer = client.get(frames_url + frame_list, HTTP_ACCEPT="*/*")
    assert answer.status_code == 400, frame_list[:40]
    assert answer["Content-Type"].startswith("text/plain")
    assert says in answer.content.decode() and len(answer.content) < 300


def test_a_frame_past_this_images_frames_is_not_there(client, frames_url):
    answer = client.get(frames_url + "1,4", HTTP_ACCEPT="*/*")
    assert answer.status_code == 404 and "3 frames" in answer.content.decode()
