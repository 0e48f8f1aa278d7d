from django import template

from challenges.content_schema import PLACEHOLDER_RE

register = template.Library()


@register.filter
def placeholders(solution: str) -> str:
    """Show `<<previous.header.ETag>>` as prose: `<the ETag header of the previous response>`."""

    def prose(match):
        kind, name = match.groups()
        if kind == "cookie":
            return f"<the value the previous response's Set-Cookie gave {name}>"
        where = "header" if kind == "header" else "field in the JSON body"
        return f"<the {name} {where} of the previous response>"

    return PLACEHOLDER_RE.sub(prose, solution)
