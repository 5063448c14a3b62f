"""The SVG charts: every figure readable as text, titled, escaped, and no overflow guesses
that cut Korean or Japanese labels short."""

import re
import xml.etree.ElementTree as ET

from kbio.lib import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [el.text for el in root.iter(f"{SVG}text") if el.text]


def test_bar_chart_draws_each_label_and_number_as_text():
    svg = charts.bar_chart(
        "kinds",
        "Registrations by kind",
        [charts.Bar("Bio venture", 20), charts.Bar("Pharma", 8), charts.Bar("Investor", 0)],
        empty_text="Nobody yet",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kinds-title kinds-desc"
    assert root.find(f"{SVG}title").text == "Registrations by kind"
    assert root.find(f"{SVG}desc").text == "Bio venture: 20; Pharma: 8; Investor: 0."
    assert ["Bio venture", "20", "Pharma", "8", "Investor", "0"] == texts(root)
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    # Bars are proportional; a zero draws no bar but still shows its 0.
    assert len(widths) == 2
    assert abs(widths[0] / widths[1] - 20 / 8) < 0.01


def test_bar_tooltips_carry_the_note():
    svg = charts.bar_chart(
        "funnel",
        "Funnel",
        [charts.Bar("Verification", 3, "3 (30%)", note="pairs that reached it")],
        empty_text="",
    )
    root = parse(svg)
    group_titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert group_titles == ["Verification: 3 (30%) (pairs that reached it)"]
    assert "3 (30%)" in texts(root)


def test_text_is_escaped():
    svg = charts.bar_chart(
        "x", "<b>Title</b> & co", [charts.Bar('<script>alert("x")</script>', 1)], empty_text=""
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;Title&lt;/b&gt; &amp; co" in svg
    parse(svg)  # still well-formed


def test_empty_chart_says_so():
    root = parse(charts.bar_chart("e", "Decline reasons", [], empty_text="None declined."))
    assert texts(root) == ["None declined."]
    assert root.find(f"{SVG}desc").text == "None declined."


def test_paired_chart_names_both_series_and_every_value():
    svg = charts.paired_bar_chart(
        "balance",
        "Supply and demand",
        [charts.PairRow("Oncology", (6, 8)), charts.PairRow("종양학", (0, 5))],
        series=("Seeking", "Offering"),
        empty_text="",
    )
    root = parse(svg)
    shown = texts(root)
    assert shown[:2] == ["Seeking", "Offering"]
    assert shown[2:] == ["Oncology", "6", "8", "종양학", "0", "5"]
    assert root.find(f"{SVG}desc").text == (
        "Oncology: Seeking 6, Offering 8; 종양학: Seeking 0, Offering 5."
    )


def test_column_chart_labels_categories_and_axes():
    svg = charts.column_chart(
        "dist",
        "Meetings per participant",
        [charts.Bar("0", 8), charts.Bar("1", 11), charts.Bar("2", 0)],
        x_title="Accepted meetings",
        y_title="Participants",
        empty_text="",
    )
    root = parse(svg)
    shown = texts(root)
    assert "Accepted meetings" in shown and "Participants" in shown
    for label, value in (("0", "8"), ("1", "11"), ("2", "0")):
        assert label in shown and value in shown


def test_wide_characters_count_double():
    assert charts.text_width("研究開発") > 1.5 * charts.text_width("abcd")
    assert charts.text_width("한국어") == 3 * charts.FONT_SIZE


def test_long_labels_are_shortened_but_kept_whole_in_the_tooltip():
    label = "Regulatory consulting (PMDA, MFDS, FDA) and a great deal more besides" * 2
    svg = charts.bar_chart("long", "t", [charts.Bar(label, 3)], empty_text="")
    root = parse(svg)
    drawn = texts(root)[0]
    assert drawn.endswith("…") and len(drawn) < len(label)
    assert label in root.find(f"{SVG}g/{SVG}title").text
    # The label column never pushes the bar out of the picture.
    width = float(root.get("width"))
    assert all(float(r.get("x")) < width for r in root.iter(f"{SVG}rect"))


def test_ids_are_unique_per_chart():
    one = charts.bar_chart("a", "A", [charts.Bar("x", 1)], empty_text="")
    two = charts.bar_chart("b", "B", [charts.Bar("x", 1)], empty_text="")
    assert set(re.findall(r'id="([^"]+)"', one)).isdisjoint(re.findall(r'id="([^"]+)"', two))
