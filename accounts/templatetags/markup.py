"""`{{ text|markdown }}`: curriculum Markdown to safe HTML.

Curriculum text is ours, but it is still sanitised (nh3), so a slip in a YAML
file can never put a script on a page.

Rendering costs up to 17 ms (the sandbox's API reference), and the same text
comes back on every page view, so each process keeps what it rendered under the
content version (accounts.content_version): `load_content` starts a new one.
The key is the text itself, so two texts never share an entry.
"""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

from accounts.content_version import ContentMemo

register = template.Library()

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "kbd",
}


_rendered = ContentMemo()


def markdown_to_html(text: str) -> str:
    """Curriculum Markdown as sanitised HTML, rendered afresh."""
    html = markdown_lib.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
    return nh3.clean(html, tags=_ALLOWED_TAGS, link_rel="noopener noreferrer")


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    text = str(text or "")
    return mark_safe(_rendered.get_or_build(text, lambda: markdown_to_html(text)))
