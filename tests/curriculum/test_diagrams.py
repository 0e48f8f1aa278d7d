"""Diagrams from data: validation names the field, the SVG is well-formed and escaped,
and in Chromium no drawn text runs outside the picture, in either layout or theme."""

import copy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from curriculum.diagrams import DiagramError, diagram_html, diagram_svg, diagram_validate

SVG = "{http://www.w3.org/2000/svg}"
SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"

REQUEST = {
    "kind": "message",
    "title": "The parts of a request",
    "alt": "A POST request: the request line, three header fields, an empty line, then a JSON body. "
    "Every line of the head ends in CR LF; the body does not.",
    "parts": [
        {
            "part": "start-line",
            "label": "Request line: method, target, HTTP version",
            "lines": ["POST /books HTTP/1.1"],
        },
        {
            "part": "headers",
            "label": "Header fields: one name: value pair per line",
            "lines": [
                "Host: sandbox.localhost",
                "Content-Type: application/json",
                "Content-Length: 26",
            ],
        },
        {"part": "empty-line", "label": "Empty line: the head ends here", "lines": [""]},
        {
            "part": "body",
            "label": "Body: exactly Content-Length bytes, with no CR LF of its own",
            "lines": ['{"title": "Learning HTTP"}'],
        },
    ],
}

CONDITIONAL_GET = {
    "kind": "sequence",
    "title": "A conditional GET",
    "alt": "The browser gets a book and its ETag. Later it asks again with If-None-Match; "
    "the server answers 304 Not Modified with no body, and the browser reuses its copy.",
    "actors": ["Browser", "Server"],
    "messages": [
        {"from": "Browser", "to": "Server", "text": "GET /books/1"},
        {"from": "Server", "to": "Browser", "text": '200 OK, ETag: "v7", the book'},
        {"note": "Stores the copy and its ETag. Later the copy is stale.", "over": "Browser"},
        {"from": "Browser", "to": "Server", "text": 'GET /books/1, If-None-Match: "v7"'},
        {"from": "Server", "to": "Browser", "text": "304 Not Modified (no body)"},
        {"note": "Reuses its stored copy", "over": "Browser"},
    ],
}

TOKEN_ANY_REPLICA = {
    "kind": "sequence",
    "title": "A login, then a token any replica accepts",
    "alt": "The browser logs in through a load balancer and replica A signs it a token. "
    "The next request lands on replica B, which checks the token's signature and answers "
    "without asking replica A anything: the request carries all the state.",
    "actors": ["Browser", "Load balancer", "Replica A", "Replica B"],
    "messages": [
        {"from": "Browser", "to": "Load balancer", "text": "POST /login (name, password)"},
        {"from": "Load balancer", "to": "Replica A", "text": "POST /login"},
        {"from": "Replica A", "to": "Load balancer", "text": "200 OK, a signed token"},
        {"from": "Load balancer", "to": "Browser", "text": "200 OK, the token"},
        {"note": "Keeps the token and sends it with every request", "over": "Browser"},
        {
            "from": "Browser",
            "to": "Load balancer",
            "text": "GET /orders, Authorization: Bearer <token>",
        },
        {
            "from": "Load balancer",
            "to": "Replica B",
            "text": "GET /orders, Authorization: Bearer <token>",
        },
        {"note": "Checks the signature: needs nothing from replica A", "over": "Replica B"},
        {"from": "Replica B", "to": "Load balancer", "text": "200 OK, your orders"},
        {"from": "Load balancer", "to": "Browser", "text": "200 OK, your orders"},
    ],
}

EXAMPLES = {"request": REQUEST, "conditional": CONDITIONAL_GET, "token": TOKEN_ANY_REPLICA}
HOSTILE = "</text><script>alert(\"x\")</script> & 'quotes' ]]>"


def _changed(base, path, value):
    data = copy.deepcopy(base)
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


BAD = [
    (
        _changed(CONDITIONAL_GET, ["messages", 3, "to"], "Srever"),
        "diagram 2: messages[3]: 'to' names 'Srever', not one of the actors Browser, Server",
    ),
    (
        _changed(CONDITIONAL_GET, ["messages", 2, "over"], "Proxy"),
        "messages[2]: 'over' names 'Proxy'",
    ),
    (_changed(CONDITIONAL_GET, ["messages", 0, "to"], "Browser"), "use a note"),
    (_changed(CONDITIONAL_GET, ["messages", 0, "txt"], "x"), "messages[0] has unknown key 'txt'"),
    (_changed(CONDITIONAL_GET, ["messages", 1, "text"], KeyError), "messages[1] is missing 'text'"),
    (_changed(CONDITIONAL_GET, ["actors"], ["Browser"]), "actors has 1 entries; it needs 2 to 5"),
    (_changed(CONDITIONAL_GET, ["actors"], ["A", "B", "C", "D", "E", "F"]), "actors has 6 entries"),
    (_changed(CONDITIONAL_GET, ["actors"], ["Browser", "Browser"]), "actors names 'Browser' twice"),
    (_changed(CONDITIONAL_GET, ["messages"], []), "messages has 0 entries"),
    (_changed(CONDITIONAL_GET, ["kind"], "flow"), "'kind' is 'flow', not one of message, sequence"),
    (_changed(CONDITIONAL_GET, ["alt"], "  "), "alt is empty"),
    (_changed(CONDITIONAL_GET, ["title"], KeyError), "the diagram is missing 'title'"),
    (_changed(CONDITIONAL_GET, ["tittle"], "x"), "unknown key 'tittle'"),
    (
        _changed(REQUEST, ["parts", 0, "part"], "request-line"),
        "parts[0]: 'part' is 'request-line', not one of",
    ),
    (
        _changed(REQUEST, ["parts", 0, "part"], "headers"),
        "parts[0]: a message starts with a start-line",
    ),
    (
        _changed(REQUEST, ["parts", 2, "lines"], ["", ""]),
        "parts[2].lines: an empty-line part has exactly one line",
    ),
    (
        _changed(REQUEST, ["parts", 1, "lines", 0], "Host: a\r\n"),
        "parts[1].lines[0] contains the control character U+000D",
    ),
    (_changed(REQUEST, ["parts", 1, "lines", 1], ""), "parts[1].lines[1] is empty"),
    (_changed(REQUEST, ["parts", 1, "lines"], "Host: a"), "parts[1].lines must be a list, not str"),
    (_changed(REQUEST, ["parts", 1, "label"], 7), "parts[1].label must be text, not int"),
    (
        _changed(REQUEST, ["parts", 1, "lines", 0], {"Host": "a"}),
        "parts[1].lines[0] must be text, not a mapping: put the line in quotes",
    ),
    (_changed(REQUEST, ["parts", 3, "label"], "x" * 121), "parts[3].label is 121 characters long"),
    (
        _changed(REQUEST, ["parts", 2], REQUEST["parts"][3]),
        "parts[2]: a body needs an empty-line part before it",
    ),
    (_changed(REQUEST, ["parts", 3], REQUEST["parts"][1]), "parts[3]: headers cannot come here"),
    (_changed(REQUEST, ["parts", 1], REQUEST["parts"][0]), "parts[1]: start-line cannot come here"),
    ("GET /", "a diagram must be a mapping, not str"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_diagram_is_refused_with_its_field_named(data, message):
    with pytest.raises(DiagramError) as caught:
        diagram_validate(data, "diagram 2")
    assert message in str(caught.value)
    assert str(caught.value).startswith("diagram 2: ")


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_are_valid_and_validation_returns_a_copy(name):
    clean = diagram_validate(EXAMPLES[name], "x")
    assert clean == EXAMPLES[name]
    assert clean is not EXAMPLES[name]


def _texts(svg: str) -> list[str]:
    """Each drawn <text>, its tspans joined (wrapping splits a text into lines)."""
    root = ET.fromstring(svg)
    return [
        " ".join("".join(t.itertext()).split())
        if t.find(f"{SVG}tspan") is None
        else " ".join(s.text or "" for s in t.iter(f"{SVG}tspan"))
        for t in root.iter(f"{SVG}text")
    ]


@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_svg_parses_and_shows_every_text_with_its_own_title_and_desc(name, layout):
    data = EXAMPLES[name]
    svg = diagram_svg(data, "d1", layout)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "d1-title d1-desc"
    assert root.find(f"{SVG}title").get("id") == "d1-title"
    assert root.find(f"{SVG}title").text == data["title"]
    assert root.find(f"{SVG}desc").get("id") == "d1-desc"
    assert root.find(f"{SVG}desc").text == data["alt"]
    assert root.get("viewBox") and root.get("width")
    drawn = " ".join(_texts(svg))
    wanted = [data["title"]]
    if data["kind"] == "message":
        wanted += [p["label"] for p in data["parts"]] + [
            line for p in data["parts"] for line in p["lines"]
        ]
    else:
        wanted += data["actors"] + [m.get("text") or m["note"] for m in data["messages"]]
    squeezed = drawn.replace(" ", "")
    for text in wanted[1:]:
        assert text.replace(" ", "") in squeezed, text


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_sequence_draws_one_arrow_per_message_and_one_box_per_note(layout):
    root = ET.fromstring(diagram_svg(TOKEN_ANY_REPLICA, "t", layout))
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("class") == "dg-arrow"]
    notes = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "dg-note"]
    messages = TOKEN_ANY_REPLICA["messages"]
    assert len(arrows) == sum("text" in m for m in messages) == 8
    assert len(notes) == sum("note" in m for m in messages) == 2
    assert all(a.get("marker-end") == "url(#t-arrow)" for a in arrows)
    assert root.find(f"{SVG}defs/{SVG}marker").get("id") == "t-arrow"


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_every_head_line_ends_in_a_drawn_crlf_and_the_body_does_not(layout):
    root = ET.fromstring(diagram_svg(REQUEST, "r", layout))
    tags = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "dg-crlf"]
    head_lines = sum(len(p["lines"]) for p in REQUEST["parts"] if p["part"] != "body")
    assert head_lines == 5
    assert len(tags) == head_lines
    assert _texts(diagram_svg(REQUEST, "r", layout)).count("CR LF") == head_lines


def test_hostile_text_is_escaped_everywhere():
    data = _changed(CONDITIONAL_GET, ["messages", 0, "text"], HOSTILE)
    data["title"] = data["actors"][1] = data["messages"][2]["note"] = HOSTILE[:24]
    for step in data["messages"]:
        for key in ("to", "from", "over"):
            if step.get(key) == "Server":
                step[key] = HOSTILE[:24]
    page = diagram_html(data, "h")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    for layout in ("wide", "narrow"):
        svg = diagram_svg(data, "h", layout)
        assert "<script" not in svg
        assert HOSTILE.replace(" ", "") in " ".join(_texts(svg)).replace(" ", "")
    message = _changed(REQUEST, ["parts", 1, "lines", 0], 'X-Evil: "<b>" & </text>')
    svg = diagram_svg(message, "m")
    assert 'X-Evil: "<b>" & </text>' in _texts(svg)
    assert "<b>" not in svg


def test_two_renders_with_their_prefixes_share_no_id():
    page = diagram_html(CONDITIONAL_GET, "unit7-d1") + diagram_html(TOKEN_ANY_REPLICA, "unit7-d2")
    root = ET.fromstring(f"<div>{page.replace('<br>', '<br/>')}</div>")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == 12  # per figure: two layouts, each with a title, a desc and a marker
    assert len(set(ids)) == len(ids)
    for svg in root.iter(f"{SVG}svg"):
        for ref in svg.get("aria-labelledby").split():
            assert svg.find(f".//*[@id='{ref}']") is not None


@pytest.mark.parametrize("prefix", ["", "1abc", 'a" onload="x', "a b"])
def test_an_id_prefix_that_is_not_an_id_is_refused(prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        diagram_svg(REQUEST, prefix)


def test_html_has_a_visible_title_and_a_text_version_in_order():
    page = diagram_html(CONDITIONAL_GET, "c")
    root = ET.fromstring(page.replace("<br>", "<br/>"))
    assert root.tag == "figure" and "diagram" in root.get("class")
    assert root.find("figcaption").text == "A conditional GET"
    details = root.find("details")
    assert details.find("summary").text == "Text version"
    assert details.find("p").text == CONDITIONAL_GET["alt"]
    items = ["".join(li.itertext()) for li in details.find("ol")]
    assert items[0] == "Browser to Server: GET /books/1"
    assert items[2] == "Note at Browser: Stores the copy and its ETag. Later the copy is stale."
    assert len(items) == len(CONDITIONAL_GET["messages"])


def test_text_version_of_a_message_marks_each_head_line_end():
    root = ET.fromstring(diagram_html(REQUEST, "r").replace("<br>", "<br/>"))
    items = ["".join(li.itertext()) for li in root.find("details/ol")]
    assert items[0] == "Request line: method, target, HTTP version: POST /books HTTP/1.1 CRLF"
    assert items[2] == "Empty line: the head ends here: (empty) CRLF"
    assert items[3].endswith('{"title": "Learning HTTP"}')


def test_long_lines_wrap_instead_of_being_cut():
    long_line = "Authorization: Bearer " + "x" * 90
    data = _changed(REQUEST, ["parts", 1, "lines", 0], long_line)
    texts = _texts(diagram_svg(data, "w", "narrow"))
    assert long_line not in texts  # split over rows...
    assert long_line in "".join(
        t for t in texts if t.startswith(("Authorization", "x"))
    )  # ...none lost
    assert "↪" in texts


def _page(figures: str, theme: str) -> str:
    return (
        f'<!doctype html><html lang="en" data-theme="{theme}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>Diagrams</title>'
        f"<style>{SITE_CSS.read_text()}</style></head>"
        f'<body><main class="container" style="padding: 1rem; max-width: 48rem; margin: 0 auto">{figures}</main></body></html>'
    )


def diagrams_page(theme: str) -> str:
    """All the examples on one page, as a lesson would show them."""
    return _page(
        "".join(diagram_html(data, f"ex-{name}") for name, data in EXAMPLES.items()), theme
    )


OVERFLOW_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.dg')) {
    if (getComputedStyle(svg).display === 'none') continue;
    const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < x - 0.5 || b.y < y - 0.5 || b.x + b.width > x + w + 0.5 || b.y + b.height > y + h + 0.5)
        out.push(svg.querySelector('title').id + ' ' + t.textContent);
    }
    const scale = svg.getBoundingClientRect().width / w;
    if (scale < 0.8) out.push('too small: ' + svg.querySelector('title').textContent + ' ' + scale);
  }
  return out;
}"""


COLOURS_JS = """() => {
  const svg = [...document.querySelectorAll('svg.dg')].find(e => getComputedStyle(e).display !== 'none');
  return [getComputedStyle(document.body).color, getComputedStyle(svg.querySelector('.dg-raw, .dg-msg')).fill];
}"""


def test_raw_lines_keep_every_space():
    data = _changed(REQUEST, ["parts", 1, "lines", 0], "Host:   two  spaces")
    root = ET.fromstring(diagram_svg(data, "s"))
    raw = [t for t in root.iter(f"{SVG}text") if t.get("class") == "dg-raw"]
    assert all(t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve" for t in raw)
    assert "Host:   two  spaces" in ["".join(t.itertext()) for t in raw]
