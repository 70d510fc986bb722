"""Where an image's pixels look like printed text, whatever its header says.

A screen of patient details relabelled as an ordinary CT slice carries no header flag at all, so
every image is looked at here at ingest. The test is cheap (numpy only, a few milliseconds for a
512 x 512 slice) and errs towards flagging: a flagged image only waits for the referrer's review.

Text is strokes: lines one to three pixels wide, much brighter (or darker) than the pixels two
pixels away on both sides, crossing each other both ways, packed side by side along a line.
Anatomy is not: a bone edge is a step (one side is as bright as the pixel), the skull is thicker
than a stroke, and soft-tissue contrast is a small fraction of the image's range. So a window of
16 x 16 pixels counts as text when it holds enough thin ridges in both directions, and a region
is a horizontal run of such windows (a word or more). On the real CT series in
shared/data/dicom no window holds more than half the ridges needed (`lib/tests/test_pixel_text.py`).
Large or bold letters (strokes 4 to 10 pixels wide) are found the same way on the image averaged
down by 2 and by 3 (`SCALES`), where their strokes are thin; their boxes are in the image's own
coordinates, as masking needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STEP = 8  # cells of 8 x 8 pixels; a window is 2 x 2 cells
RIDGE_DISTANCE = 2  # a stroke up to 3 pixels wide is brighter than both pixels 2 away
CONTRAST = 0.25  # of the image's range: soft tissue never gets there, printed text always does
MIN_RIDGES = 8  # thin ridges in each direction for a 16 x 16 window to look like text
MIN_WINDOWS = 3  # a run of windows (32 pixels or more): a word, not a speck
WEAK = 2  # a window with a few ridges continues a run (real CT reaches 4, but never in a run)
MAX_GAP = 1  # windows missing between two parts of one run (the space between words)
MIN_TOTAL = 24  # fewer ridge pixels than this in the whole image: no text, stop early
MAX_SIDE = 1024  # larger images (screen captures) are averaged down to this first
MARGIN = 3  # pixels added around each region, so that masking covers the glyphs' edges
# Large or bold letters have strokes too wide to be ridges (a 28 px bold stroke is 4-5 pixels):
# the same test runs again on the image averaged down by 2 and 3, where they are thin. There a
# stroke must stand out by more of the range: solid ink stays solid when averaged, the thin bone
# septa of the skull base average down to grey (at a quarter of the range they would reach 10
# ridges at half size and 15 at a third, near the 19 of bold 48 px text). A line at a third of the
# size must also be longer (5 windows, 150 pixels: a word of 48 px letters).
# (factor, contrast as a fraction of the range, ridges a window needs, windows a run needs)
SCALES = ((1, CONTRAST, MIN_RIDGES, MIN_WINDOWS), (2, 0.45, 6, 3), (3, 0.5, 6, 5))


@dataclass(frozen=True)
class Box:
    """A region in the image's own pixel coordinates: columns x..x+width, rows y..y+height."""

    x: int
    y: int
    width: int
    height: int

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.width, self.height]


def luminance(pixels: np.ndarray) -> np.ndarray:
    """One grey plane from a single frame (grey, RGB or RGBA), as float32."""
    if pixels.ndim == 3:
        pixels = pixels[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return pixels.astype(np.float32, copy=False)


def _shrink(grey: np.ndarray) -> tuple[np.ndarray, int]:
    factor = -(-max(grey.shape) // MAX_SIDE)
    return _averaged(grey, factor), factor


def _averaged(grey: np.ndarray, factor: int) -> np.ndarray:
    """The mean of each factor x factor block (a sum of strided views: a reshape's mean costs
    more than the whole stroke test)."""
    if factor <= 1:
        return grey
    rows, columns = grey.shape[0] // factor, grey.shape[1] // factor
    total = np.zeros((rows, columns), np.float32)
    for i in range(factor):
        for j in range(factor):
            total += grey[i : rows * factor : factor, j : columns * factor : factor]
    return total / np.float32(factor * factor)


def _threshold(grey: np.ndarray, min_contrast: float, contrast: float = CONTRAST) -> float:
    sample = grey[::8, ::8]
    low, high = np.percentile(sample, [0.1, 99.9])
    # A dark screen with a little white text has its 99.9th percentile in the background.
    spread = max(float(high - low), 0.25 * float(grey.max() - grey.min()))
    # The floor keeps the noise of a flat image (a phantom, a narrow range) from counting.
    return max(contrast * spread, min_contrast)


def _ridges(grey: np.ndarray, threshold: float, axis: int) -> np.ndarray:
    """Pixels brighter or darker than both neighbours RIDGE_DISTANCE away along `axis`."""
    d = RIDGE_DISTANCE
    found = np.zeros(grey.shape, dtype=bool)
    if axis == 1:
        centre, before, after = grey[:, d:-d], grey[:, : -2 * d], grey[:, 2 * d :]
        target = found[:, d:-d]
    else:
        centre, before, after = grey[d:-d, :], grey[: -2 * d, :], grey[2 * d :, :]
        target = found[d:-d, :]
    np.logical_or(
        centre - np.maximum(before, after) > threshold,
        np.minimum(before, after) - centre > threshold,
        out=target,
    )
    return found


def _windows(ridges: np.ndarray) -> np.ndarray:
    rows, columns = ridges.shape[0] // STEP * STEP, ridges.shape[1] // STEP * STEP
    cells = (
        ridges[:rows, :columns]
        .reshape(rows // STEP, STEP, columns // STEP, STEP)
        .sum(axis=(1, 3), dtype=np.int32)
    )
    return cells[:-1, :-1] + cells[1:, :-1] + cells[:-1, 1:] + cells[1:, 1:]


def _scores(grey: np.ndarray, threshold: float) -> np.ndarray:
    return np.minimum(_windows(_ridges(grey, threshold, 1)), _windows(_ridges(grey, threshold, 0)))


def window_scores(grey: np.ndarray, min_contrast: float = 0.0) -> np.ndarray:
    """Per 16 x 16 window (step 8): the smaller of its ridge counts across and along. For tests
    and tuning; `find_text` is what ingest uses."""
    threshold = _threshold(grey, min_contrast)
    return np.minimum(_windows(_ridges(grey, threshold, 1)), _windows(_ridges(grey, threshold, 0)))


def find_text(pixels: np.ndarray, min_contrast: float = 0.0) -> list[Box]:
    """Regions of one frame that look like printed text; empty for an ordinary slice.
    `min_contrast` is the least difference, in the pixels' own units, a stroke must have with
    its surroundings (see `contrast_floor`)."""
    full, factor = _shrink(luminance(pixels))
    found: list[Box] = []
    for scale, contrast, min_ridges, min_windows in SCALES:
        grey = _averaged(full, scale)
        if min(grey.shape) < 4 * STEP:
            break
        threshold = _threshold(grey, min_contrast, contrast)
        # The common case, an ordinary slice, is settled on every other row, in one direction.
        if int(np.count_nonzero(_ridges(grey[::2], threshold, 1))) < MIN_TOTAL // 2:
            continue
        scores = _scores(grey, threshold)
        boxes = _runs(scores, min_ridges, min_windows)
        if boxes and contrast > CONTRAST:
            # A line found there goes on through the letters that are less bright than the
            # range asks (over the brain rather than air): those continue it at the usual
            # contrast, as thin letters continue a line at full size.
            usual = _scores(grey, _threshold(grey, min_contrast))
            lines = [
                line
                for line in _runs(scores, min_ridges, min_windows, usual >= WEAK)
                if _contains(line, boxes)
            ]
            # The next line of text, just above or below, may be over the brain all along.
            boxes = lines + [
                line
                for line in _runs(usual, min_ridges, min_windows)
                if any(_next_line(line, found) for found in lines)
            ]
        # Averaged down, a window is coarse and the first or last stroke of a line may fall in
        # one that is not counted: a cell more on each side.
        margin = (MARGIN + STEP) * scale * factor if scale > 1 else MARGIN
        found += [_scaled(box, factor * scale, pixels.shape[:2], margin) for box in boxes]
    return _lines(_merge(found))


CT_MIN_CONTRAST_HU = 300  # printed text is far from soft tissue; noise and texture are not


def contrast_floor(*, is_ct: bool, bits_stored: int, slope: float = 1.0) -> float:
    """The floor for `find_text`: for CT 300 HU in stored units, but never more than a fifth of
    what the bits can hold (an 8-bit screen capture relabelled as CT still has its text found);
    for other images a fifth of the stored range when it is 8 bits, else none."""
    fifth = 0.2 * (2 ** max(min(bits_stored, 16), 1) - 1)
    if is_ct:
        return min(CT_MIN_CONTRAST_HU / (abs(slope) or 1.0), fifth)
    return fifth if bits_stored <= 8 else 0.0


def _runs(
    scores: np.ndarray,
    min_ridges: int = MIN_RIDGES,
    min_windows: int = MIN_WINDOWS,
    weak: np.ndarray | None = None,
) -> list[Box]:
    """Runs along each row of windows with some strokes (WEAK, or `weak`), kept when
    `min_windows` of them look like text: thin letters (l, i, 1) and the space between words do
    not cut a line."""
    strong = scores >= min_ridges
    weak = (scores >= min(WEAK, min_ridges)) | strong if weak is None else weak | strong
    found = []
    for row in np.flatnonzero(strong.any(axis=1)):
        columns = np.flatnonzero(weak[row]).tolist()
        start = previous = columns[0]
        for column in [*columns[1:], None]:
            if column is not None and column - previous <= MAX_GAP + 1:
                previous = column
                continue
            if int(np.count_nonzero(strong[row, start : previous + 1])) >= min_windows:
                found.append(Box(start * STEP, int(row) * STEP, (previous - start + 2) * STEP, 2 * STEP))
            if column is not None:
                start = previous = column
    return found


def _scaled(box: Box, factor: int, shape: tuple[int, ...], margin: int = MARGIN) -> Box:
    x, y = max(box.x * factor - margin, 0), max(box.y * factor - margin, 0)
    right = min((box.x + box.width) * factor + margin, shape[1])
    bottom = min((box.y + box.height) * factor + margin, shape[0])
    return Box(x, y, right - x, bottom - y)


def _contains(line: Box, boxes: list[Box]) -> bool:
    return any(
        line.x <= b.x
        and line.y <= b.y
        and b.x + b.width <= line.x + line.width
        and b.y + b.height <= line.y + line.height
        for b in boxes
    )


def _overlap(a: Box, b: Box) -> bool:
    return a.x <= b.x + b.width and b.x <= a.x + a.width and a.y <= b.y + b.height and b.y <= a.y + a.height


def _merge(boxes: list[Box]) -> list[Box]:
    """Overlapping or touching regions become one (the windows of a line overlap by half)."""
    merged: list[Box] = []
    for box in boxes:
        for index, other in enumerate(merged):
            if _overlap(box, other):
                x, y = min(box.x, other.x), min(box.y, other.y)
                right = max(box.x + box.width, other.x + other.width)
                bottom = max(box.y + box.height, other.y + other.height)
                merged[index] = Box(x, y, right - x, bottom - y)
                break
        else:
            merged.append(box)
    return _merge(merged) if len(merged) < len(boxes) else merged


def _same_line(a: Box, b: Box) -> bool:
    """Side by side, overlapping in height by half the lower one, and closer than it is tall:
    words of one line, which scales found piecemeal (large letters, a wide space)."""
    height = min(a.height, b.height)
    overlap = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    gap = max(a.x, b.x) - min(a.x + a.width, b.x + b.width)
    return overlap >= height / 2 and gap <= height


def _next_line(a: Box, b: Box) -> bool:
    """Overlapping side to side, less than a line's height apart up or down."""
    gap = max(a.y, b.y) - min(a.y + a.height, b.y + b.height)
    return a.x < b.x + b.width and b.x < a.x + a.width and gap <= min(a.height, b.height)


def _lines(boxes: list[Box]) -> list[Box]:
    """Regions on one line of text become one, so that masking leaves no word between them."""
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if _same_line(a, b):
                x, y = min(a.x, b.x), min(a.y, b.y)
                right, bottom = max(a.x + a.width, b.x + b.width), max(a.y + a.height, b.y + b.height)
                rest = [box for k, box in enumerate(boxes) if k not in (i, j)]
                return _lines(_merge([*rest, Box(x, y, right - x, bottom - y)]))
    return boxes


MIN_SUPPORT = 6  # ridges in a window inside a box another reader found; real CT never passes 4


def with_strokes(pixels: np.ndarray, boxes: list[Box], min_contrast: float = 0.0) -> list[Box]:
    """Of the lines of text another reader (OCR) found, those that are line-shaped and hold
    strokes as this module sees them. OCR's detection model also "finds" text in brain and bone
    texture (on about one real CT slice in ten, in boxes of 15 to 300 pixels); none of those
    holds a window with more than 4 ridges each way, while printed text holds 10 to 40."""
    if not boxes:
        return []
    scores = window_scores(luminance(pixels), min_contrast)
    tallest = max(40, pixels.shape[0] // 12)
    kept = []
    for box in boxes:
        if box.height > tallest or box.width < 0.8 * box.height:
            continue  # not a line of text: a block of texture
        top, left = box.y // STEP, box.x // STEP
        bottom = max((box.y + box.height) // STEP - 1, top + 1)
        right = max((box.x + box.width) // STEP - 1, left + 1)
        inside = scores[top:bottom, left:right]
        if inside.size and int(inside.max()) >= MIN_SUPPORT:
            kept.append(box)
    return kept


def has_strokes(pixels: np.ndarray, min_contrast: float = 0.0) -> bool:
    """Whether any window holds enough strokes for `with_strokes` to keep a box there: when
    none does, reading the image with OCR cannot add anything."""
    return int(window_scores(luminance(pixels), min_contrast).max(initial=0)) >= MIN_SUPPORT


def merged(boxes: list[Box]) -> list[Box]:
    """The union of overlapping regions."""
    return _merge(list(boxes))


def mask(pixels: np.ndarray, boxes: list[Box], value: int | float | None = None) -> int:
    """Fill `boxes` of one frame in place with `value` (the frame's minimum: black on a
    MONOCHROME2 or colour image). Returns how many pixels changed."""
    fill = pixels.min() if value is None else value
    changed = 0
    for box in boxes:
        region = pixels[box.y : box.y + box.height, box.x : box.x + box.width]
        changed += int(np.count_nonzero(region != fill))
        region[...] = fill
    return changed


__all__ = [
    "Box",
    "contrast_floor",
    "find_text",
    "has_strokes",
    "luminance",
    "mask",
    "merged",
    "window_scores",
    "with_strokes",
]
