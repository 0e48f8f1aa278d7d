"""`{% contentcache "name" key... %}...{% endcontentcache %}`: a fragment rendered once per content version.

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

from django import template

from accounts.content_version import ContentMemo

register = template.Library()

_fragments = ContentMemo()


class ContentCacheNode(template.Node):
    def __init__(self, nodelist, name: str, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context) -> str:
        key = (self.name, *(value.resolve(context) for value in self.keys))
        return _fragments.get_or_build(key, lambda: self.nodelist.render(context))


@register.tag("contentcache")
def do_contentcache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endcontentcache",))
    parser.delete_first_token()
    return ContentCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
