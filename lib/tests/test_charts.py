"""The server-drawn charts: well-formed SVG a screen reader can name and describe, fitting a 360 px
phone by its viewBox, the caller's words escaped, a gap where nothing was logged, and a value
drawn where it belongs."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as ET

from lib.charts import HEIGHT, LEFT, TOP, Bar, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def curve(**changes):
    arguments = {
        "title": "Autonomy: CSF diversion",
        "desc": "Share of P and T entries by quarter: 2025 Q1 10 %, 2025 Q2 none, 2025 Q3 50 %.",
        "x_labels": ["2025 Q1", "2025 Q2", "2025 Q3"],
        "series": [Series("All logged", [10, None, 50]), Series("Validated", [0, 20, 40])],
        "x_label": "Quarter",
        "y_label": "P + T share",
    } | changes
    return ET.fromstring(line_chart("csf", **arguments))


def test_a_chart_is_an_image_named_by_its_title_and_described_by_its_desc():
    svg = curve()
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "csf-title csf-desc"
    assert svg.find(f"{SVG}title").get("id") == "csf-title"
    assert svg.find(f"{SVG}title").text == "Autonomy: CSF diversion"
    assert "2025 Q3 50 %" in svg.find(f"{SVG}desc").text


def test_it_fits_a_360_pixel_phone_by_its_viewbox_and_fills_the_width():
    svg = curve()
    assert svg.get("viewBox").split()[:3] == ["0", "0", "360"] and svg.get("width") == "100%"
    for element in svg.iter():
        for name in ("x", "x1", "x2", "cx"):
            if element.get(name) is not None:
                assert 0 <= float(element.get(name)) <= 360, (element.tag, element.attrib)


def test_the_callers_words_are_escaped_and_no_inline_style_is_used():
    markup = line_chart(
        "x",
        title="<script>alert(1)</script>",
        desc='"quoted" & more',
        x_labels=["a"],
        series=[Series("P & T", [1])],
        x_label="Robo mwaka",
        y_label="占比",
    )
    assert "<script>" not in markup and "style=" not in markup
    svg = ET.fromstring(markup)
    assert svg.find(f"{SVG}title").text == "<script>alert(1)</script>"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Robo mwaka" in texts and "占比" in texts and "P & T" in texts


def test_nothing_logged_in_a_quarter_breaks_the_line_and_a_value_sits_at_its_height():
    svg = curve()
    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 1  # the first series is broken by its gap: dots only
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")]
    assert len(dots) == 5  # two, then three
    plot_h = HEIGHT - TOP - 52
    assert (round(dots[1][1], 1)) == round(TOP + plot_h - plot_h * 0.5, 1)  # 50 % half way up


def test_series_differ_by_dash_not_colour_alone():
    svg = curve(series=[Series("All", [1, 2, 3]), Series("Validated", [1, 1, 2])])
    dashes = [line.get("stroke-dasharray") for line in svg.findall(f"{SVG}polyline")]
    assert dashes[0] is None and dashes[1]


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="one value per label"):
        curve(series=[Series("All", [1, 2])])


def test_bars_show_the_validated_inside_the_logged_with_the_minimum_marked():
    markup = bar_chart(
        "req",
        title="Requirements",
        desc="S-TS: 3 validated of 5 logged, at least 4 required.",
        bars=[Bar("S-TS", 3, 5, target=4), Bar("P", 0, 0, target=10)],
        x_label="Level",
        y_label="Entries",
        value_name="Validated",
        total_name="Logged",
        target_name="Minimum",
    )
    svg = ET.fromstring(markup)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "3/5" in texts and "0/0" in texts and "Minimum" in texts
    grid = [t for t in texts if t and t.isdigit()]
    assert grid[-1] == "20"  # the axis reaches the largest minimum (10) with round steps
    assert float(svg.find(f"{SVG}rect").get("x")) >= LEFT


def test_labels_under_the_axis_never_overlap_even_in_chinese():
    labels = [f"2025年第{q}季度" for q in range(1, 13)]
    svg = ET.fromstring(
        line_chart(
            "zh",
            title="t",
            desc="d",
            x_labels=labels,
            series=[Series("s", list(range(12)))],
            x_label="季度",
            y_label="占比",
        )
    )
    shown = [t for t in svg.iter(f"{SVG}text") if t.text in labels]
    assert shown[-1].text == labels[-1] and 1 < len(shown) < 12
    xs = [float(t.get("x")) for t in shown]
    # four Chinese characters and five digits: at least 68 units wide in any sans-serif font
    assert all(b - a >= 68 for a, b in zip(xs, xs[1:], strict=False))


def test_a_long_legend_wraps_onto_a_second_row_inside_the_width():
    svg = ET.fromstring(
        bar_chart(
            "sw",
            title="t",
            desc="d",
            bars=[Bar("S-TU", 1, 2, 3)],
            x_label="Kiwango cha usimamizi",
            y_label="Kumbukumbu",
            value_name="Imethibitishwa",
            total_name="Zilizoandikwa",
            target_name="Kiwango cha chini kinachohitajika",
        )
    )
    assert svg.get("viewBox") == f"0 0 360 {HEIGHT + 36}"
    legend = [t for t in svg.iter(f"{SVG}text") if float(t.get("y")) > HEIGHT]
    assert {float(t.get("y")) for t in legend} == {HEIGHT + 11, HEIGHT + 29}
    for text in legend:
        assert float(text.get("x")) + 11 * 0.6 * len(text.text) <= 360, text.text
