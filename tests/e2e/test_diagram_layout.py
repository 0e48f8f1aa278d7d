"""Diagrams in Chromium: each width shows its own layout, no text leaves the drawing,
and the drawing takes the theme's text colour. Uses the e2e session's browser."""

import pytest

from tests.curriculum.test_diagrams import COLOURS_JS, EXAMPLES, OVERFLOW_JS, diagrams_page


@pytest.mark.e2e
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("width", "layout"), [(1280, "dg-wide"), (390, "dg-narrow")])
def test_in_chromium_each_diagram_shows_one_layout_with_no_text_outside_it(
    browser, width, layout, theme
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content(diagrams_page(theme))
    shown = page.eval_on_selector_all(
        "svg.dg",
        "els => els.filter(e => getComputedStyle(e).display !== 'none').map(e => e.classList[1])",
    )
    assert shown == [layout] * len(EXAMPLES)
    assert page.evaluate(OVERFLOW_JS) == []  # nothing clipped, nothing shrunk past reading
    text_colour, drawn_colour = page.evaluate(COLOURS_JS)
    assert drawn_colour == text_colour  # the drawing follows the theme's text colour
    assert (text_colour == "rgb(230, 233, 236)") == (theme == "dark")
    page.close()
