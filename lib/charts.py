"""Small charts drawn on the server as SVG: a line chart (the autonomy curve) and a bar chart
(counts against a target). Pure Python, no Django: the caller passes every word already in the
reader's language, and the numbers.

Light for a slow link (a few hundred bytes of markup, no script, no library), readable by a screen
reader (role="img" named by its <title> and described by its <desc>, which the caller writes as a
sentence giving the figures), and drawn in a 360-unit-wide viewBox, so it fills a phone's width
and scales on a wider screen. Colours are attributes, not style (the strict Content-Security-
Policy allows no inline style); each series also differs by its dash, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 360
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 52  # room for the axes' numbers and labels
COLOURS = ("#1f5f8b", "#c05621", "#2f855a", "#6b46c1")
DASHES = ("", "6 4", "2 3", "8 3 2 3")
LIGHT = "#cbd5e0"
INK = "#1a202c"
FONT = 'font-family="sans-serif"'


@dataclass(frozen=True)
class Series:
    """One line: a value (or None where nothing was logged) for each label of the x axis."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Bar:
    """One bar: `value` drawn dark, up to `total` drawn light (e.g. validated of all logged);
    `target` a mark across it (the minimum required), or None."""

    label: str
    value: float
    total: float
    target: float | None = None


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(ident: str, title: str, desc: str, body: list[str], keys: Sequence[tuple[str, str]]) -> str:
    legend, rows = _legend(keys)
    height = HEIGHT + 18 * rows
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="chart">',
            f'<title id="{ident}-title">{_text(title)}</title>',
            f'<desc id="{ident}-desc">{_text(desc)}</desc>',
            *body,
            *legend,
            "</svg>",
        ]
    )


def _legend(keys: Sequence[tuple[str, str]]) -> tuple[list[str], int]:
    """Under the chart, left to right, on a new row when the next key would not fit: (the key's
    drawing, its name). Returns the markup and the number of rows."""
    parts, x, row = [], float(LEFT), 0
    for mark, name in keys:
        width = 18 + _width(name) * 1.1 + 10  # font size 11
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, row = float(LEFT), row + 1
        y = HEIGHT + 18 * row
        parts.append(mark.format(x=x, x2=x + 14, y=y + 2, ym=y + 7))
        parts.append(
            f'<text x="{x + 18:.0f}" y="{y + 11}" font-size="11" {FONT} fill="{INK}">{_text(name)}</text>'
        )
        x += width
    return parts, row + 1 if keys else 0


def _line_mark(index: int) -> str:
    colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<line x1="{{x:.0f}}" y1="{{ym}}" x2="{{x2:.0f}}" y2="{{ym}}" stroke="{colour}" stroke-width="2.5"{dashed}/>'


def _box_mark(colour: str) -> str:
    return f'<rect x="{{x:.0f}}" y="{{y}}" width="14" height="10" fill="{colour}"/>'


def _axes(y_max: float, y_ticks: Sequence[float], y_suffix: str, x_label: str, y_label: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for tick in y_ticks:
        y = TOP + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{LIGHT}"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" {FONT} '
            f'fill="{INK}">{_number(tick)}{_text(y_suffix)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="{INK}"/>'
    )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 6}" font-size="11" text-anchor="middle" '
        f'{FONT} fill="{INK}">{_text(x_label)}</text>'
    )
    parts.append(
        f'<text x="12" y="{TOP + plot_h / 2:.1f}" font-size="11" text-anchor="middle" {FONT} fill="{INK}" '
        f'transform="rotate(-90 12 {TOP + plot_h / 2:.1f})">{_text(y_label)}</text>'
    )
    return parts


def _width(text: str) -> float:
    """About how wide a label is at font size 10: a Chinese character nearly twice a Latin letter (generous: sans-serif fonts differ)."""
    return sum(10.5 if ord(char) >= 0x2E80 else 6.0 for char in text)


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    # As many labels under the axis as fit side by side (the last always), so none overlap.
    room = WIDTH - LEFT - RIGHT
    widest = max([_width(label) for label in labels] or [0.0]) + 8
    fitting = max(1, int(room // widest))
    step = max(1, -(-len(labels) // fitting))
    y = HEIGHT - BOTTOM + 14
    last = len(labels) - 1
    return [
        f'<text x="{x:.1f}" y="{y}" font-size="10" text-anchor="middle" {FONT} fill="{INK}">{_text(label)}</text>'
        for index, (label, x) in enumerate(zip(labels, xs, strict=True))
        if (index % step == 0 and last - index >= step) or index == last
    ]


def line_chart(
    ident: str,
    *,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    y_max: float = 100,
    y_suffix: str = "%",
) -> str:
    """A line per series; a value of None breaks the line (nothing logged then) and a lone value
    is drawn as a dot. `ident` makes the title's and description's ids unique on the page."""
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("each series needs one value per label of the x axis")
    if y_max <= 0:
        raise ValueError("y_max must be positive")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(x_labels)
    xs = [LEFT + (plot_w * (i + 0.5) / count) for i in range(count)]

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * min(max(value, 0), y_max) / y_max

    body = _axes(y_max, [y_max * k / 4 for k in range(5)], y_suffix, x_label, y_label)
    body += _x_labels(x_labels, xs)
    for index, one in enumerate(series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for x, value in zip(xs, one.values, strict=True):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x, y_of(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                body.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed}/>'
                )
            for x, y in run:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    return _frame(ident, title, desc, body, [(_line_mark(i), s.name) for i, s in enumerate(series)])


def bar_chart(
    ident: str,
    *,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    x_label: str,
    y_label: str,
    value_name: str,
    total_name: str,
    target_name: str | None = None,
) -> str:
    """Bars side by side: the value dark inside the total light, a target as a mark across."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max([1.0, *(b.total for b in bars), *(b.value for b in bars), *(b.target or 0 for b in bars)])
    y_max = _nice(top)
    count = max(1, len(bars))
    slot = plot_w / count
    width = min(48.0, slot * 0.6)
    xs = [LEFT + slot * (i + 0.5) for i in range(len(bars))]

    def height_of(value: float) -> float:
        return plot_h * max(value, 0) / y_max

    body = _axes(y_max, [y_max * k / 4 for k in range(5)], "", x_label, y_label)
    body += _x_labels([b.label for b in bars], xs)
    for bar, x in zip(bars, xs, strict=True):
        for value, colour in ((bar.total, LIGHT), (bar.value, COLOURS[0])):
            h = height_of(value)
            body.append(
                f'<rect x="{x - width / 2:.1f}" y="{TOP + plot_h - h:.1f}" width="{width:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        if bar.target is not None:
            y = TOP + plot_h - height_of(bar.target)
            body.append(
                f'<line x1="{x - width / 2 - 4:.1f}" y1="{y:.1f}" x2="{x + width / 2 + 4:.1f}" y2="{y:.1f}" '
                f'stroke="{COLOURS[1]}" stroke-width="2.5" stroke-dasharray="{DASHES[1]}"/>'
            )
        body.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h - height_of(bar.total) - 3:.1f}" font-size="10" '
            f'text-anchor="middle" {FONT} fill="{INK}">{_number(bar.value)}/{_number(bar.total)}</text>'
        )
    keys = [(_box_mark(COLOURS[0]), value_name), (_box_mark(LIGHT), total_name)]
    if target_name:
        keys.append((_line_mark(1), target_name))
    return _frame(ident, title, desc, body, keys)


def _nice(top: float) -> float:
    """The axis' top: four grid steps of 1, 2 or 5 times a power of ten, reaching `top`."""
    power = 1.0
    while True:
        for factor in (1, 2, 5):
            if 4 * power * factor >= top:
                return 4 * power * factor
        power *= 10


__all__ = ["Bar", "Series", "bar_chart", "line_chart"]
