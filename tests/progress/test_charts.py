"""The progress chart as SVG: its text alternative, escaping, no inline styles, and bars that
say the same as the numbers printed beside them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.progress.charts import progress_bars
from portfolio.progress.rules import DomainProgress, Tally

SVG = "{http://www.w3.org/2000/svg}"
FULL = 300  # the width of a whole bar, in viewBox units

ROWS = (
    DomainProgress("Communication", Tally(2, 3)),
    DomainProgress("Radiation safety", Tally(0, 4)),
    DomainProgress("Infection control", Tally(5, 5)),
)


def chart(rows: tuple[DomainProgress, ...] = ROWS, title: str = "Your progress") -> str:
    return str(progress_bars(rows, chart_id="progress", title=title))


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check its structure


def by_id(root: ET.Element, element_id: str) -> ET.Element:
    (found,) = [element for element in root.iter() if element.get("id") == element_id]
    return found


def bars(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    """Each domain's (whole bar, filled part), in order."""
    rects = root.findall(f"{SVG}rect")
    return list(zip(rects[::2], rects[1::2], strict=True))


def labels(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.findall(f"{SVG}text")]


def test_the_chart_is_an_image_labelled_by_its_own_title_and_description() -> None:
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = by_id(root, title_id), by_id(root, desc_id)
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert title.text == "Your progress"


def test_the_description_says_every_domains_count() -> None:
    desc = parse(chart()).find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == (
        "Communication: 2 of 3 competent; Radiation safety: 0 of 4 competent;"
        " Infection control: 5 of 5 competent"
    )


def test_with_nothing_to_count_the_description_says_so() -> None:
    root = parse(chart(()))
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == "Nothing to count yet"
    assert bars(root) == []


def test_every_number_is_printed_as_text_beside_its_bar() -> None:
    assert labels(parse(chart())) == [
        "Communication",
        "2 of 3",
        "Radiation safety",
        "0 of 4",
        "Infection control",
        "5 of 5",
    ]


def test_domain_names_and_the_title_are_escaped() -> None:
    hostile = "<script>alert(\"x\")</script> & 'Co'"
    markup = chart((DomainProgress(hostile, Tally(1, 2)),), title=f"{hostile} title")
    assert "<script" not in markup
    root = parse(markup)
    assert [element.tag for element in root.iter() if "script" in element.tag] == []
    assert labels(root)[0] == hostile
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == f"{hostile} title"
    assert desc.text == f"{hostile}: 1 of 2 competent"


def test_there_is_no_inline_style_for_the_content_security_policy_to_refuse() -> None:
    markup = chart()
    assert "style=" not in markup
    assert all("style" not in element.attrib for element in parse(markup).iter())
    assert parse(markup).find(f"{SVG}style") is None


@pytest.mark.parametrize(
    ("tally", "width"),
    [
        (Tally(0, 4), 0),
        (Tally(4, 4), FULL),
        (Tally(1, 2), FULL // 2),
        (Tally(1, 3), 100),
        (Tally(2, 3), 200),
        (Tally(0, 0), 0),  # nothing to count: an empty bar, no division by zero
    ],
)
def test_the_filled_part_of_a_bar_is_in_proportion(tally: Tally, width: int) -> None:
    root = parse(chart((DomainProgress("Communication", tally),)))
    ((whole, filled),) = bars(root)
    assert float(whole.get("width", "")) == FULL
    assert float(filled.get("width", "")) == width
    assert labels(root)[1] == tally.describe()


def test_the_filled_part_sits_on_top_of_its_own_bar() -> None:
    for whole, filled in bars(parse(chart())):
        assert (filled.get("x"), filled.get("y")) == (whole.get("x"), whole.get("y"))
        assert filled.get("fill") != whole.get("fill")


tallies = st.integers(0, 60).flatmap(
    lambda total: st.builds(Tally, st.integers(0, total), st.just(total))
)
# Any name a framework file could give a domain (XML cannot carry control characters).
names = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=30
).filter(str.strip)


@given(st.lists(st.builds(DomainProgress, names, tallies), max_size=8), names)
def test_any_chart_is_well_formed_and_says_what_its_bars_show(
    rows: list[DomainProgress], title: str
) -> None:
    markup = chart(tuple(rows), title=title)
    assert "style=" not in markup
    root = parse(markup)
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert by_id(root, title_id).text == title
    desc = by_id(root, desc_id).text or ""
    drawn = bars(root)
    assert len(drawn) == len(rows)
    assert labels(root) == [text for item in rows for text in (item.domain, item.tally.describe())]
    for item, (whole, filled) in zip(rows, drawn, strict=True):
        done, total = item.tally.done, item.tally.total
        assert f"{item.domain}: {done} of {total}" in desc
        width = float(filled.get("width", ""))
        assert 0 <= width <= float(whole.get("width", ""))
        assert (width == 0) == (done == 0 or FULL * done / total < 0.5)
        assert (width == FULL) == (total > 0 and FULL * (total - done) / total < 0.5)
        if total:
            assert abs(width - FULL * done / total) <= 0.5
