"""Template helpers of lesson pages: RFC citations as links, diagrams as inline SVG.

`{{ html|cite_links }}` runs after `markdown`, on HTML that nh3 already
sanitised, and only in text between tags (never inside a tag or an existing
link). What it inserts is built from the digits its pattern matched, so it
cannot bring markup of its own: "(RFC 9110 §9.2.2)" becomes a link to
https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2, and in
"(RFC 9110 §8.3, §8.6)" both sections link to RFC 9110.
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from curriculum.diagrams import diagram_html

register = template.Library()

_TAG = re.compile(r"(<[^>]*>)")
# An RFC number, then one or more sections joined by commas, "and" or "or".
_CITATION = re.compile(
    r"RFC (?P<rfc>\d{3,5})(?P<sections>(?: §\d+(?:\.\d+)*)(?:(?:,| and| or) §\d+(?:\.\d+)*)*)"
)
_SECTION = re.compile(r"§(\d+(?:\.\d+)*)")


def _section_link(rfc: str, section: str, text: str) -> str:
    url = f"https://www.rfc-editor.org/rfc/rfc{rfc}#section-{section}"
    return f'<a class="citation" href="{url}" rel="noopener noreferrer">{text}</a>'


def _link_citation(match: re.Match) -> str:
    rfc = match["rfc"]
    sections = match["sections"]
    first = _SECTION.search(sections)
    # The first link carries "RFC 9110 §9.2.2"; later sections link just "§8.6".
    head = _section_link(rfc, first[1], f"RFC {rfc} §{first[1]}")
    rest = _SECTION.sub(lambda m: _section_link(rfc, m[1], m[0]), sections[first.end() :])
    return head + rest


def citations_linked(html: str) -> str:
    """`html` with every RFC citation in its text turned into links to the RFC's section."""
    out, in_link = [], False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            lowered = piece[:3].lower()
            in_link = True if lowered.startswith("<a ") or lowered == "<a>" else in_link
            in_link = False if piece.lower().startswith("</a") else in_link
            out.append(piece)
        else:
            out.append(piece if in_link else _CITATION.sub(_link_citation, piece))
    return "".join(out)


@register.filter(name="cite_links")
def cite_links_filter(html) -> str:
    # Plain text is escaped first, so only our own links are ever markup.
    return mark_safe(citations_linked(str(conditional_escape(html))))


@register.simple_tag
def lesson_diagram(data: dict, unit_number: int, index: int) -> str:
    """A lesson diagram whose SVG ids are unique on the page (unit and block number)."""
    return mark_safe(diagram_html(data, f"u{unit_number}-b{index}"))
