"""Windowed renderings of stored slices, cached in storage next to the images.

The worker renders the brain window of every slice and a thumbnail of each series as soon as a
series arrives, so the first image a consultant asks for is already waiting; other presets are
rendered on first request and kept. Free windows (any centre and width) are rendered on request
and not kept: rounded to whole steps, they are cheap to make again (about 15 ms a slice).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pydicom import dcmread
from pydicom.dataset import Dataset

from imaging.models import Instance, Series
from imaging.render import PRESETS, Window, render

THUMBNAIL_SIZE = 160
WINDOW_STEP = 5  # HU: free windows are rounded to this step
MAX_WIDTH = 8000


def _name(instance: Instance, key: str) -> str:
    # The stored copy's hash is in the name: a flagged image is masked once, at review, and a
    # rendering of the copy before it (a worker still rendering then) must never be served.
    return (
        f"imaging-renderings/{instance.series.study_id}/{instance.series_id}/"
        f"{instance.pk}-{instance.sha256[:12]}-{key}.webp"
    )


def _read(instance: Instance) -> Dataset:
    with instance.file.open("rb") as stored:
        return dcmread(stored)


def preset_window(instance: Instance, preset: str) -> Window:
    if preset == "default":
        if instance.window_center is not None and instance.window_width:
            return Window(instance.window_center, instance.window_width)
        return PRESETS["brain"]
    return PRESETS[preset]


def rendering(instance: Instance, preset: str) -> bytes:
    """The slice in a named window (a preset, or the scanner's own "default"), cached."""
    name = _name(instance, preset)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            return cached.read()
    data = render(_read(instance), preset_window(instance, preset))
    default_storage.save(name, ContentFile(data))
    return data


def free_window(center: float, width: float) -> Window:
    center = round(center / WINDOW_STEP) * WINDOW_STEP
    width = min(max(round(width / WINDOW_STEP) * WINDOW_STEP, 1), MAX_WIDTH)
    return Window(center, width)


def windowed(instance: Instance, window: Window, *, lossless: bool = False) -> bytes:
    """Any window, not cached; PNG (lossless in the window) for full-quality viewing."""
    return render(_read(instance), window, image_format="PNG" if lossless else "WEBP")


def thumbnail_source(series: Series) -> Instance | None:
    """The slice a series' thumbnail shows: the middle one."""
    instances = list(series.instances.all())
    return instances[len(instances) // 2] if instances else None


def thumbnail(series: Series) -> bytes | None:
    """The middle slice in the brain window (or the scanner's window), small."""
    middle = thumbnail_source(series)
    if middle is None:
        return None
    name = f"imaging-renderings/{series.study_id}/{series.pk}/thumbnail-{middle.sha256[:12]}.webp"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            return cached.read()
    window = PRESETS["brain"] if series.modality == "CT" else preset_window(middle, "default")
    data = render(_read(middle), window, size=THUMBNAIL_SIZE)
    default_storage.save(name, ContentFile(data))
    return data


def prepare_series(series: Series) -> int:
    """What the worker does when a series arrives: thumbnail and every slice's first window."""
    thumbnail(series)
    preset = "brain" if series.modality == "CT" else "default"
    done = 0
    for instance in series.instances.select_related("series"):
        rendering(instance, preset)
        done += 1
    return done
