import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from fccnet.reports.charts import axis_ticks, bar_chart, funnel_chart, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
MONTHS = [("Jan 2025", 3), ("Feb 2025", 7), ("Mar 2025", 0), ("Apr 2025", 12)]


def parse(svg) -> ET.Element:
    # Our own output, parsed to prove it well-formed: no external entities to fear.
    return ET.fromstring(str(svg))  # noqa: S314


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "fcc-chart-bar"]


def visible_text(element: ET.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag != f"{SVG}title":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


DRAW = {"bar": bar_chart, "funnel": funnel_chart, "trend": trend_chart}


def draw(kind, data, **options):
    return DRAW[kind](data, **{"title": f"{kind} title", "description": f"{kind} text"} | options)


@pytest.mark.parametrize("kind", DRAW)
def test_every_chart_is_an_image_labelled_by_its_own_title_and_desc(kind):
    root = parse(draw(kind, MONTHS))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 360 ")
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, f"{kind} title")
    assert (desc.get("id"), desc.text) == (desc_id, f"{kind} text")


def test_ids_come_from_the_title_or_the_prefix_given():
    towns = parse(bar_chart(MONTHS, title="Towns", description="d"))
    zips = parse(bar_chart(MONTHS, title="Zip codes", description="d"))
    prefixed = parse(bar_chart(MONTHS, title="Towns", description="d", id_prefix="towns-2"))

    assert towns.get("aria-labelledby") != zips.get("aria-labelledby")
    assert prefixed.get("aria-labelledby") == "towns-2-title towns-2-desc"
    with pytest.raises(ValueError):
        bar_chart(MONTHS, title="Towns", description="d", id_prefix='x" onload="alert(1)')


@pytest.mark.parametrize("kind", DRAW)
def test_same_input_same_markup(kind):
    assert str(draw(kind, MONTHS)) == str(draw(kind, list(MONTHS)))


@pytest.mark.parametrize("kind", DRAW)
def test_hostile_labels_and_titles_are_escaped_and_never_styled(kind):
    data = [(HOSTILE, 5), ('"><img src=x onerror=alert(1)>', 2)]
    svg = str(
        draw(kind, data, title=HOSTILE, description=HOSTILE, value_format=lambda v: f"<b>{v}</b>")
    )
    root = parse(svg)  # well-formed: nothing broke out of its element or attribute

    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert root.find(f"{SVG}title").text == HOSTILE
    assert not [element for element in root.iter() if "style" in element.attrib]
    assert "style=" not in svg


@pytest.mark.parametrize("kind", DRAW)
def test_empty_data_draws_nothing(kind):
    assert draw(kind, []) is None


@pytest.mark.parametrize("kind", DRAW)
def test_negative_values_are_refused(kind):
    with pytest.raises(ValueError):
        draw(kind, [("Refunds", -1)])


def test_bar_widths_are_proportional_and_the_largest_fills_the_width():
    root = parse(
        bar_chart([("A", 50), ("B", 200), ("C", 0), ("D", 100)], title="t", description="d")
    )
    widths = [float(rect.get("width")) for rect in bars(root)]

    assert widths[1] == max(widths)
    assert widths[0] == pytest.approx(widths[1] / 4, abs=0.1)
    assert widths[3] == pytest.approx(widths[1] / 2, abs=0.1)
    assert widths[2] == 0
    assert widths[1] > 180 and float(bars(root)[1].get("x")) + widths[1] < 360


def test_bar_chart_prints_labels_and_formatted_values():
    root = parse(
        bar_chart(
            [("Springfield", 1234567), ("Shelbyville", Decimal("12.5"))],
            title="t",
            description="d",
            value_format=lambda value: f"{value:,}",
        )
    )

    shown = [visible_text(element) for element in root.iter(f"{SVG}text")]
    assert shown == ["Springfield", "1,234,567", "Shelbyville", "12.5"]


def test_bar_chart_grows_with_its_bars():
    def height(count):
        root = parse(bar_chart([("x", 1)] * count, title="t", description="d"))
        return float(root.get("viewBox").split()[3])

    assert height(1) < height(2) < height(10)


def test_single_and_all_zero_items():
    single = bars(parse(bar_chart([("Only", 3)], title="t", description="d")))
    zeros = bars(parse(bar_chart([("A", 0), ("B", 0)], title="t", description="d")))

    assert len(single) == 1 and float(single[0].get("width")) > 200
    assert [rect.get("width") for rect in zeros] == ["0", "0"]


def test_long_labels_are_cut_with_an_ellipsis_and_kept_whole_in_a_tooltip():
    long_label = "Saint-Jean-sur-Richelieu Family Child Care Association"
    root = parse(bar_chart([(long_label, 1), ("Short", 2)], title="t", description="d"))
    long_text, _, short_text, _ = root.iter(f"{SVG}text")

    assert visible_text(long_text).endswith("\N{HORIZONTAL ELLIPSIS}")
    assert long_label.startswith(visible_text(long_text)[:-1])
    assert len(visible_text(long_text)) < len(long_label)
    assert long_text.find(f"{SVG}title").text == long_label
    assert short_text.find(f"{SVG}title") is None


def test_funnel_shows_counts_and_shares_of_the_first_stage_on_centred_bars():
    stages = [("Applied", 200), ("Interviewed", 50), ("Licensed", 0)]
    root = parse(funnel_chart(stages, title="t", description="d"))

    shown = [visible_text(element) for element in root.iter(f"{SVG}text")]
    assert shown == ["Applied: 200 (100%)", "Interviewed: 50 (25%)", "Licensed: 0 (0%)"]
    widths = [float(rect.get("width")) for rect in bars(root)]
    assert widths == [360, 90, 0]
    for rect in bars(root):
        centre = float(rect.get("x")) + float(rect.get("width")) / 2
        assert centre == pytest.approx(180)


def test_funnel_share_uses_the_callers_format_and_is_left_out_when_the_first_stage_is_zero():
    formatted = parse(
        funnel_chart(
            [("A", 3), ("B", 1)],
            title="t",
            description="d",
            share_format=lambda share: f"{share * 100:.1f} %",
        )
    )
    from_zero = parse(funnel_chart([("A", 0), ("B", 0)], title="t", description="d"))

    assert [visible_text(t) for t in formatted.iter(f"{SVG}text")] == [
        "A: 3 (100.0 %)",
        "B: 1 (33.3 %)",
    ]
    assert [visible_text(t) for t in from_zero.iter(f"{SVG}text")] == ["A: 0", "B: 0"]


def tick_values(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "fcc-chart-tick"]


def test_trend_axis_starts_at_zero_and_covers_the_largest_value():
    root = parse(trend_chart(MONTHS, title="t", description="d"))
    columns = bars(root)

    assert tick_values(root) == ["0", "5", "10", "15"]
    heights = [float(rect.get("height")) for rect in columns]
    assert heights[3] == max(heights) and heights[2] == 0
    assert heights[0] == pytest.approx(heights[3] / 4, abs=0.1)
    # Every column stands on the same baseline, the 0 tick.
    assert len({float(r.get("y")) + float(r.get("height")) for r in columns}) == 1
    assert [r.find(f"{SVG}title").text for r in columns][:2] == ["Jan 2025: 3", "Feb 2025: 7"]


def test_trend_prints_values_and_month_labels():
    root = parse(trend_chart(MONTHS, title="t", description="d"))
    shown = [visible_text(t) for t in root.iter(f"{SVG}text") if t.get("class") is None]

    assert shown == ["3", "Jan 2025", "7", "Feb 2025", "0", "Mar 2025", "12", "Apr 2025"]


def test_trend_of_many_months_turns_its_labels_and_keeps_values_in_tooltips():
    points = [(f"Month {n:02}", n * 1000) for n in range(1, 25)]
    root = parse(trend_chart(points, title="t", description="d"))
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") is None]

    assert len(labels) == 24
    assert all(t.get("transform", "").startswith("rotate(-45 ") for t in labels)
    assert [r.find(f"{SVG}title").text for r in bars(root)][-1] == "Month 24: 24000"


def test_trend_of_zeros_and_single_point():
    zeros = parse(trend_chart([("Jan", 0), ("Feb", 0)], title="t", description="d"))
    single = parse(trend_chart([("Jan", 5)], title="t", description="d"))

    assert tick_values(zeros) == ["0", "1"]
    assert [r.get("height") for r in bars(zeros)] == ["0", "0"]
    assert tick_values(single)[0] == "0" and len(bars(single)) == 1


@pytest.mark.parametrize(
    ("largest", "whole", "expected"),
    [
        (7, True, [0, 2, 4, 6, 8]),
        (3, True, [0, 1, 2, 3]),
        (1, True, [0, 1]),
        (100, True, [0, 20, 40, 60, 80, 100]),
        (1234567, True, [0, 500000, 1000000, 1500000]),
        (0.3, False, [0, 0.1, 0.2, 0.3]),
        (2.5, False, [0, 0.5, 1, 1.5, 2, 2.5]),
        (0, True, [0, 1]),
    ],
)
def test_axis_ticks_are_round_start_at_zero_and_cover_the_largest(largest, whole, expected):
    assert axis_ticks(largest, whole=whole) == expected
