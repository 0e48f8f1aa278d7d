"""`{{ text|markdown }}`: curriculum Markdown to safe HTML.

Curriculum text is ours, but it is still sanitised (nh3), so a slip in a YAML
file can never put a script on a page.

Rendering costs up to 17 ms (the sandbox's API reference), and the same text
comes back on every page view, so each process keeps what it rendered under the
content version (accounts.content_version): `load_content` starts a new one.
The key is the text itself, so two texts never share an entry.

`{{ text|reference_markdown }}` is for a whole reference document shown as a
page's article (the sandbox's API.md). Curriculum snippets (a brief, a hint, a
question's prompt or options) sit under the page's own h1 and section h2s, or
inside a <legend>, so `markdown` leaves h1 and h2 out of them on purpose. A
document's own outline starts at h1, so `reference_markdown` moves every
heading one level down (# becomes h2, ## becomes h3, ...), to fit under the
page's h1, and keeps h2 to h6.
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


_REFERENCE_TAGS = _ALLOWED_TAGS | {"h2", "h5", "h6"}
# Headings keep the ids Markdown's toc extension gives them, so the document's own
# links to its sections ("See [How your bytes are read](#how-your-bytes-are-read)") work.
_REFERENCE_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]

_rendered = ContentMemo()
_rendered_references = ContentMemo()


def markdown_to_html(text: str) -> str:
    """Curriculum Markdown as sanitised HTML, rendered afresh."""
    html = markdown_lib.markdown(text, extensions=_EXTENSIONS)
    return nh3.clean(html, tags=_ALLOWED_TAGS, link_rel="noopener noreferrer")


def reference_markdown_to_html(text: str) -> str:
    """A reference document as sanitised HTML, its headings one level down (# is h2)."""
    html = markdown_lib.markdown(
        text,
        extensions=[*_EXTENSIONS, "toc"],
        extension_configs={"toc": {"baselevel": 2}},
    )
    return nh3.clean(
        html, tags=_REFERENCE_TAGS, attributes=_REFERENCE_ATTRIBUTES, link_rel="noopener noreferrer"
    )


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    text = str(text or "")
    return mark_safe(_rendered.get_or_build(text, lambda: markdown_to_html(text)))


@register.filter(name="reference_markdown")
def reference_markdown_filter(text: str) -> str:
    text = str(text or "")
    return mark_safe(
        _rendered_references.get_or_build(text, lambda: reference_markdown_to_html(text))
    )
