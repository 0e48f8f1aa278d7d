from django import template

from challenges.forms import SendForm

register = template.Library()


@register.simple_tag
def try_send_form(request_text: str) -> SendForm:
    """An unbound editor form holding a lesson's request, sent with CRLF line endings by default."""
    return SendForm(initial={"request": request_text, "line_endings": "crlf"})
