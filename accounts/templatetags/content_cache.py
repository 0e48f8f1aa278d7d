"""`{% contentcache "name" key... %}...{% endcontentcache %}`: a fragment rendered once per content version.

`{% templatecache "name" key... %}...{% endtemplatecache %}` is the same for a
fragment made of the templates alone (the site's header: links, static file
addresses), which no `load_content` can change: it is rendered once per
process and needs no read of the content version at all.

For the parts of a page that depend only on the curriculum (a challenge's row
in the catalogue, a lesson's body): the fragment is rendered the first time a
process needs it under the current content version (accounts.content_version)
and the same HTML is served until `load_content` starts a new one. It lives in
the process's memory, so a hit costs no cache round trip.

The name and every key value make up the key: pass everything the fragment
reads that can differ between two renderings (the challenge's pk, the unit's
slug). Never put a learner's own data inside: the HTML is shared by every
visitor of the process.
"""

import threading

from django import template
from django.core.signals import setting_changed

from accounts.content_version import MAX_ENTRIES, ContentMemo

register = template.Library()

_fragments = ContentMemo()
_template_fragments: dict = {}
_template_lock = threading.Lock()


class ContentCacheNode(template.Node):
    def __init__(self, nodelist, name: str, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context) -> str:
        key = (self.name, *(value.resolve(context) for value in self.keys))
        return _fragments.get_or_build(key, lambda: self.nodelist.render(context))


class TemplateCacheNode(ContentCacheNode):
    def render(self, context) -> str:
        key = (self.name, *(value.resolve(context) for value in self.keys))
        with _template_lock:
            if key in _template_fragments:
                return _template_fragments[key]
        html = self.nodelist.render(context)
        with _template_lock:
            if len(_template_fragments) < MAX_ENTRIES:  # the keys are few: pages x signed in
                _template_fragments[key] = html
        return html


def _settings_changed(**kwargs) -> None:
    # Static addresses and URLs follow the settings: a test's override_settings starts afresh.
    with _template_lock:
        _template_fragments.clear()


setting_changed.connect(_settings_changed, dispatch_uid="template_fragments_settings_changed")


def _parse(parser, token, node_class, end: str):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    name = bits[1].strip("\"'")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return node_class(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])


@register.tag("contentcache")
def do_contentcache(parser, token):
    return _parse(parser, token, ContentCacheNode, "endcontentcache")


@register.tag("templatecache")
def do_templatecache(parser, token):
    return _parse(parser, token, TemplateCacheNode, "endtemplatecache")
