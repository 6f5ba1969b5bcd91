"""SVG charts of the overview: well-formed, escaped, readable without data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from bot.console.charts import EMPTY_TEXT, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 11, 1)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything not well-formed
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root[0].tag == f"{SVG}title"  # the accessible name comes first
    # Nothing the page's Content-Security-Policy would block or that could run.
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_line_chart_draws_each_series_with_legend_and_ticks():
    svg = line_chart(
        {
            "rest": [(DAY + timedelta(days=i), float(i)) for i in range(10)],
            "sms": [(DAY + timedelta(days=i), 2.0) for i in range(0, 10, 3)],
        },
        title="Conversations per day",
        y_label="conversations",
    )
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == "Conversations per day"
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2 and lines[0].get("stroke") != lines[1].get("stroke")
    assert len(lines[0].get("points").split()) == 10
    texts = _texts(root)
    assert {"rest", "sms", "conversations", "0", "Nov 1", "Nov 10"} <= set(texts)
    assert len(root.findall(f"{SVG}circle")) == 14  # one tooltip point per value


def test_percent_chart_labels_ticks_as_percentages():
    svg = line_chart(
        {"fallback": [(DAY, 0.1), (DAY + timedelta(days=1), 0.25)]},
        title="Fallback rate",
        y_label="share of turns",
        percent=True,
    )
    texts = _texts(_parse(svg))
    assert "0%" in texts and any(t.endswith("%") and t != "0%" for t in texts)
    assert "fallback, 2026-11-02: 25%" in svg


def test_a_single_day_is_drawn_too():
    root = _parse(line_chart({"rest": [(DAY, 3)]}, title="One day", y_label="n"))
    assert len(root.findall(f"{SVG}circle")) == 1


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", 'a"b&c', "x' onload='y"])
def test_every_name_is_escaped(name):
    for svg in (
        line_chart({name: [(DAY, 1)]}, title=name, y_label=name),
        bar_chart([(name, 4)], title=name),
    ):
        root = _parse(svg)
        assert "<script" not in svg
        assert any(name in t for t in _texts(root))  # shown as the text it is
        assert root.find(f"{SVG}title").text == name
        assert root.get("aria-label") == name


def test_bar_chart_puts_the_largest_first():
    root = _parse(
        bar_chart(
            [("greet", 3), ("faq/what_is_cpp", 12), ("a" * 60, 7)],
            title="Most-asked topics",
        )
    )
    bars = root.findall(f"{SVG}rect")
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "faq/what_is_cpp: 12",
        f"{'a' * 60}: 7",
        "greet: 3",
    ]
    widths = [float(b.get("width")) for b in bars]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 0
    assert any(t.endswith("…") for t in _texts(root))  # long labels shortened, full in title


@pytest.mark.parametrize(
    "svg",
    [
        line_chart({}, title="Conversations per day", y_label="n"),
        line_chart({"rest": []}, title="Conversations per day", y_label="n"),
        bar_chart([], title="Most-asked topics"),
    ],
)
def test_empty_data_says_so(svg):
    root = _parse(svg)
    assert EMPTY_TEXT == "No data yet"
    assert EMPTY_TEXT in _texts(root)
    assert root.find(f"{SVG}polyline") is None and root.find(f"{SVG}rect") is None


def test_all_zero_values_still_have_an_axis():
    root = _parse(
        line_chart({"rest": [(DAY, 0), (DAY + timedelta(days=1), 0)]}, title="t", y_label="n")
    )
    assert "0" in _texts(root) and "1" in _texts(root)
