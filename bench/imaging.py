"""Imaging benchmark on the real CT in ../shared/data/dicom/ (both series, 168 images, 88 MB).

    .venv/bin/python bench/imaging.py
    .venv/bin/python bench/imaging.py --rounds 3 --link-mbit 2 --rtt-ms 300

Measured in one run, each against its baseline from the same run:
- ingest throughput in MB/s of original DICOM: the floor (plain pydicom read and write), the
  anchor (the `deid` package's default recipe, read and write included), our de-identification
  alone, and our full ingest (read, de-identify, compress, hash, store, verify the stored bytes);
- the compression ratio of the stored series against JPEG-LS lossless of the same slices, with
  RLE and deflate for context;
- on a simulated link (2 Mbit/s, 300 ms round trip by default): bytes and seconds before the
  first slice is visible, and before the whole series is viewable in full quality, against
  sending the raw series;
- the peak Python memory while ingesting the 140-image series, against the series' size.

With the platform itself (Django on a fresh SQLite database in a temporary folder, the demo
people and cases): the full ingest through `imaging.services.receive` (both files stored through
the storage API, read back and hashed, and the index rows written), and the first slice through
the real viewer: its page, static files and manifest, gzip-compressed as the proxy sends them,
and the first rendering, each over the simulated link.

Targets (issue 5): full ingest >= the deid anchor; our de-identification >= half the floor;
ratio within 5 % of JPEG-LS; first slice < 3 s; whole series >= 4x faster than raw; and
ingest must not hold the series in memory.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pydicom  # noqa: E402
from pydicom.uid import JPEGLSLossless, RLELossless  # noqa: E402

from imaging.ingest import prepare  # noqa: E402
from imaging.render import PRESETS, render  # noqa: E402
from imaging.tests.data import DICOM_DATA, GE_HEAD_CT, PHILIPS_HEAD  # noqa: E402
from lib.deid.dicom import Options, deidentify  # noqa: E402
from lib.deid.uids import keyed_uid_mapper  # noqa: E402

if TYPE_CHECKING:
    from consultations.models import Case

KEY = b"benchmark-key-stays-in-tanzania!"
OPTIONS = Options(shift_days=-90, pseudonym="ND-BENCH")


def series_files() -> dict[str, list[Path]]:
    return {
        "GE head CT (28)": sorted(GE_HEAD_CT.glob("*.dcm")),
        "Philips head (140)": sorted(p for p in PHILIPS_HEAD.iterdir() if p.name != "DIRFILE"),
    }


def throughput(files: list[Path], work: Callable[[Path], None], rounds: int) -> float:
    """Best of `rounds` in MB/s of original file bytes (best: the least disturbed by the machine)."""
    size = sum(p.stat().st_size for p in files)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for path in files:
            work(path)
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6


def floor(path: Path) -> None:
    ds = pydicom.dcmread(path)
    ds.save_as(io.BytesIO(), enforce_file_format=True)


def deid_anchor(path: Path) -> None:
    from deid.dicom import replace_identifiers

    for ds in replace_identifiers([str(path)], save=False):
        ds.save_as(io.BytesIO())


def ours_deid(path: Path) -> None:
    ds = pydicom.dcmread(path)
    deidentify(ds, OPTIONS, keyed_uid_mapper(KEY))
    ds.save_as(io.BytesIO(), enforce_file_format=True)


def full_ingest(store: Path) -> Callable[[Path], None]:
    mapper = keyed_uid_mapper(KEY)

    def work(path: Path) -> None:
        with path.open("rb") as source:
            prepared = prepare(source, OPTIONS, mapper, KEY, original_size=path.stat().st_size)
        target = store / f"{prepared.sop_uid}.dcm"
        target.write_bytes(prepared.data)
        if hashlib.sha256(target.read_bytes()).hexdigest() != prepared.sha256:
            raise RuntimeError("stored bytes do not match their hash")

    return work


def compression_ratios(files: list[Path]) -> dict[str, float]:
    raw = stored = jpegls = rle = deflate = 0
    mapper = keyed_uid_mapper(KEY)
    for path in files:
        original = pydicom.dcmread(path)
        pixels = original.PixelData
        raw += len(pixels)
        with path.open("rb") as source:
            ours = pydicom.dcmread(io.BytesIO(prepare(source, OPTIONS, mapper, KEY).data))
        stored += len(ours.PixelData)
        reference = pydicom.dcmread(path)
        reference.compress(JPEGLSLossless, encoding_plugin="pyjpegls")
        jpegls += len(reference.PixelData)
        other = pydicom.dcmread(path)
        other.compress(RLELossless)
        rle += len(other.PixelData)
        deflate += len(zlib.compress(pixels, 6))
    return {"stored": raw / stored, "jpegls": raw / jpegls, "rle": raw / rle, "deflate": raw / deflate}


def link_seconds(size: int, mbit: float, rtt_ms: float, requests: int = 1) -> float:
    return requests * rtt_ms / 1000 + size * 8 / (mbit * 1e6)


def viewer_shell_bytes() -> int:
    """The compressed size of the static files every page loads (the viewer adds its own later)."""
    total = 0
    for path in (ROOT / "static").rglob("*"):
        if path.is_file() and path.suffix in (".css", ".js"):
            total += len(zlib.compress(path.read_bytes(), 9))
    return total


def slow_link(files: list[Path], mbit: float, rtt_ms: float) -> dict[str, float]:
    raw = sum(p.stat().st_size for p in files)
    middle = pydicom.dcmread(files[len(files) // 2])
    first = render(middle, PRESETS["brain"])
    shell = viewer_shell_bytes() + 6_000  # the case page's HTML, compressed, at most
    mapper = keyed_uid_mapper(KEY)
    stored = 0
    for path in files:
        with path.open("rb") as source:
            stored += len(prepare(source, OPTIONS, mapper, KEY).data)
    return {
        "first_bytes": shell + len(first),
        # page, static files, first rendering: three round trips on a connection already open
        "first_s": link_seconds(shell + len(first), mbit, rtt_ms, requests=3),
        "series_raw_s": link_seconds(raw, mbit, rtt_ms),
        "series_stored_bytes": stored,
        "series_stored_s": link_seconds(stored, mbit, rtt_ms),
        "raw_bytes": raw,
    }


def peak_memory(files: list[Path]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = full_ingest(Path(folder))
        tracemalloc.start()
        for path in files:
            work(path)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1e6, sum(p.stat().st_size for p in files) / 1e6


def _throwaway_site(folder: Path) -> None:
    """Django on a fresh SQLite database in `folder`, with the demo people and cases."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["DEMO_MODE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neurodaraja.settings")
    import django

    django.setup()
    logging.getLogger("deid").setLevel(logging.ERROR)  # Django's logging set-up reset it
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)
    from accounts.demo import load_demo as load_people
    from consultations.demo import load_demo as load_cases

    load_people()
    load_cases()


def _best_ingest_seconds(case: Case, files: list[Path], rounds: int) -> float:
    """Best of `rounds` for the full ingest through `services.receive`, as the worker does it
    (imaging.tasks.ingest_upload: the index committed in groups)."""
    from imaging.models import Study
    from imaging.services import Batch, CommitGroups, receive

    def ingest() -> None:
        with CommitGroups() as group:
            batch = Batch(
                institution=case.referring_institution,
                source="upload",
                case=case,
                user=case.created_by,
                group=group,
            )
            for path in files:
                receive(batch, path.read_bytes(), path.name)

    best = float("inf")
    for _ in range(rounds):
        Study.objects.all().delete()  # a resend would be deduplicated, not stored again
        start = time.perf_counter()
        ingest()
        best = min(best, time.perf_counter() - start)
    return best


def _through_the_viewer(case: Case) -> tuple[int, int]:
    """Compressed bytes before the first slice shows (page, static files, manifest, the middle
    rendering), and the bytes of every slice's rendering."""
    from django.test import Client

    from imaging.models import Instance, Series

    series = Series.objects.get(study__case=case)
    client = Client()
    client.force_login(case.created_by)
    base = f"/consultations/{case.code}/imaging"

    def gzipped(url: str) -> int:
        answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}")
        return len(gzip.compress(answer.content, 6))

    page = gzipped(f"{base}/series/{series.pk}/")
    statics = sum(
        len(gzip.compress((ROOT / "static" / name).read_bytes(), 6))
        for name in ("css/site.css", "js/site.js", "css/viewer.css", "js/viewer.js")
        if (ROOT / "static" / name).exists()
    )
    manifest = gzipped(f"{base}/series/{series.pk}/manifest.json")
    instances = list(Instance.objects.filter(series=series))
    middle = instances[len(instances) // 2]
    first = len(client.get(f"{base}/instances/{middle.pk}/brain.webp").content)
    renderings = sum(len(client.get(f"{base}/instances/{i.pk}/brain.webp").content) for i in instances)
    return page + statics + manifest + first, renderings


def platform_figures(files: list[Path], rounds: int, mbit: float, rtt_ms: float) -> dict[str, float]:
    """Ingest with the index, and the first slice through the real viewer, on a throwaway site."""
    folder = Path(tempfile.mkdtemp(prefix="nd-bench-"))
    try:
        _throwaway_site(folder)
        from consultations.models import Case

        case = Case.objects.get(identity__full_name="Demo Patient A")
        size = sum(p.stat().st_size for p in files)
        best = _best_ingest_seconds(case, files, rounds)
        first_bytes, renderings = _through_the_viewer(case)
        return {
            "ingest_rate": size / best / 1e6,
            "first_bytes": first_bytes,
            # page; static files in parallel; manifest; first rendering: four round trips
            "first_s": link_seconds(first_bytes, mbit, rtt_ms, requests=4),
            "renderings_bytes": renderings,
            "renderings_s": link_seconds(renderings, mbit, rtt_ms),
            "raw_s": link_seconds(size, mbit, rtt_ms),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def series_targets(name: str, files: list[Path], args: argparse.Namespace) -> int:
    """Throughput, compression and the slow link for one series; the number of targets missed."""
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"\n== {name}: {len(files)} files, {size:.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        rates = {
            "pydicom read + write (floor)": throughput(files, floor, args.rounds),
            "deid default recipe (anchor)": throughput(files, deid_anchor, args.rounds),
            "NeuroDaraja de-identification": throughput(files, ours_deid, args.rounds),
            "NeuroDaraja full ingest": throughput(files, full_ingest(Path(folder)), args.rounds),
        }
    for label, rate in rates.items():
        print(f"  {label:34s} {rate:7.1f} MB/s")
    ingest_ok = rates["NeuroDaraja full ingest"] >= rates["deid default recipe (anchor)"]
    deid_ok = rates["NeuroDaraja de-identification"] >= rates["pydicom read + write (floor)"] / 2
    print(
        f"  full ingest >= deid anchor: {verdict(ingest_ok)}; de-identification >= floor / 2: {verdict(deid_ok)}"
    )
    ratios = compression_ratios(files)
    within = ratios["stored"] >= ratios["jpegls"] * 0.95
    print(
        f"  compression: stored {ratios['stored']:.2f}x, JPEG-LS lossless {ratios['jpegls']:.2f}x "
        f"(RLE {ratios['rle']:.2f}x, deflate {ratios['deflate']:.2f}x): within 5 %: {verdict(within)}"
    )
    link = slow_link(files, args.link_mbit, args.rtt_ms)
    first_ok = link["first_s"] < 3.0
    speedup = link["series_raw_s"] / link["series_stored_s"]
    print(
        f"  {args.link_mbit:g} Mbit/s, {args.rtt_ms:g} ms RTT: first slice {link['first_bytes'] / 1e3:.0f} KB "
        f"in {link['first_s']:.2f} s ({verdict(first_ok)}); whole series {link['series_stored_bytes'] / 1e6:.1f} MB "
        f"in {link['series_stored_s']:.0f} s against {link['raw_bytes'] / 1e6:.1f} MB raw in "
        f"{link['series_raw_s']:.0f} s: {speedup:.1f}x ({verdict(speedup >= 4)})"
    )
    return sum(not ok for ok in (ingest_ok, deid_ok, within, first_ok, speedup >= 4))


def memory_and_rendering(files: list[Path]) -> int:
    """Peak memory while ingesting the series (a target) and the time to render one slice."""
    peak, series = peak_memory(files)
    memory_ok = peak < series / 4
    print(
        f"\nPeak Python memory ingesting the 140-image series: {peak:.1f} MB for a {series:.0f} MB series ({verdict(memory_ok)})"
    )
    slices = [pydicom.dcmread(p) for p in files[60:70]]
    timings = []
    for ds in slices:
        start = time.perf_counter()
        render(ds, PRESETS["brain"])
        timings.append((time.perf_counter() - start) * 1000)
    print(f"Rendering one windowed slice (worker): median {statistics.median(timings):.1f} ms")
    return int(not memory_ok)


def platform_targets(files: list[Path], args: argparse.Namespace) -> int:
    """The platform's own ingest and viewer against the baselines; the number of targets missed."""
    platform = platform_figures(files, args.rounds, args.link_mbit, args.rtt_ms)
    size = sum(p.stat().st_size for p in files) / 1e6
    floor_rate = throughput(files, floor, args.rounds)
    anchor = throughput(files, deid_anchor, args.rounds)
    indexed_ok = platform["ingest_rate"] >= anchor
    print(
        f"\n== The platform (GE head CT, {size:.1f} MB, SQLite, local storage)\n"
        f"  full ingest with the index (services.receive): {platform['ingest_rate']:.1f} MB/s "
        f"(floor {floor_rate:.1f}, deid anchor {anchor:.1f}): >= anchor: {verdict(indexed_ok)}"
    )
    viewer_ok = platform["first_s"] < 3.0
    print(
        f"  first slice through the real viewer (page, static files, manifest, rendering): "
        f"{platform['first_bytes'] / 1e3:.0f} KB in {platform['first_s']:.2f} s ({verdict(viewer_ok)}); "
        f"every slice rendered {platform['renderings_bytes'] / 1e6:.2f} MB in {platform['renderings_s']:.1f} s "
        f"against {platform['raw_s']:.0f} s raw"
    )
    return int(not indexed_ok) + int(not viewer_ok)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--link-mbit", type=float, default=2.0)
    parser.add_argument("--rtt-ms", type=float, default=300.0)
    args = parser.parse_args()
    if not GE_HEAD_CT.is_dir() or not PHILIPS_HEAD.is_dir():
        print(f"The shared CT data is not at {DICOM_DATA}; set NEURODARAJA_DICOM_DATA.")
        return 2
    logging.getLogger("deid").setLevel(logging.ERROR)
    series = series_files()
    failures = sum(series_targets(name, files, args) for name, files in series.items())
    failures += memory_and_rendering(series["Philips head (140)"])
    failures += platform_targets(series["GE head CT (28)"], args)
    print("\nAll targets met." if not failures else f"\n{failures} target(s) missed.")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
