"""The request and response checks: what the learner sent, and what the
sandbox answered.

They judge what a message means, never its bytes: field names ignore case,
values are read with their field's grammar by semantics.py (media types,
Accept weights, credentials, cookies, entity tags, dates, token lists), and a
target in absolute form names the same resource as its origin form.
"""

from __future__ import annotations

import re

from .check_registry import (
    article,
    json_field_check,
    phrase,
    register,
    same_value,
)
from .messages import ParsedRequest, Response
from .semantics import accept_quality, auth_scheme, cookie_value, origin_form

# --- request checks -------------------------------------------------------------------


@register(
    "request_method",
    scope="request",
    required=("is",),
    doc="The request used this method (case matters).",
)
def _request_method(request: ParsedRequest, spec):
    if request.method == spec["is"]:
        return True, f"You sent {article(request.method)} {request.method} request."
    return False, f"You sent {request.method}, but this step needs {spec['is']}."


@register(
    "request_target",
    scope="request",
    optional=("is", "matches", "like"),
    doc="The request-target names the resource `is`, or its path and query match the regular "
    "expression `matches` (origin form or absolute form alike, RFC 9112 §3.2). The learner "
    "never sees the expression: `like` gives an example target to show instead.",
)
def _request_target(request: ParsedRequest, spec):
    sent = origin_form(request.target)
    if "is" in spec:
        ok = sent is not None and sent == origin_form(spec["is"])
        wanted = spec["is"]
    else:
        ok = sent is not None and re.fullmatch(spec["matches"], sent) is not None
        wanted = (
            f"a target like {spec['like']}" if "like" in spec else "the target the brief asks for"
        )
    if ok:
        return True, f"Your request-target {request.target} is the right one."
    return False, f"Your request-target is {request.target}, but this step needs {wanted}."


@register(
    "request_version",
    scope="request",
    required=("is",),
    doc="The request line ends with HTTP/<is>.",
)
def _request_version(request: ParsedRequest, spec):
    if request.http_version == spec["is"]:
        return True, f"Your request line says HTTP/{request.http_version}."
    return (
        False,
        f"Your request line says HTTP/{request.http_version}, but this step needs HTTP/{spec['is']}.",
    )


@register(
    "request_header_present",
    scope="request",
    required=("name",),
    doc="The request has this header field.",
)
def _request_header_present(request: ParsedRequest, spec):
    if request.header(spec["name"]) is not None:
        return True, f"Your request has {article(spec['name'])} {spec['name']} header."
    return False, f"Your request has no {spec['name']} header."


@register(
    "request_header_absent",
    scope="request",
    required=("name",),
    doc="The request does not have this header field.",
)
def _request_header_absent(request: ParsedRequest, spec):
    if request.header(spec["name"]) is None:
        return True, f"Your request leaves out {spec['name']}, as it should."
    return False, f"Your request still sends {spec['name']}; leave it out for this step."


@register(
    "request_header_equals",
    scope="request",
    required=("name", "is"),
    doc="The header's value means `is`, read with the field's grammar (media types, entity tags, "
    "dates, token lists; a Content-Type may add parameters such as charset). Other fields "
    "compare exactly, or case-insensitively with `ignore_case: true`.",
    optional=("ignore_case",),
)
def _request_header_equals(request: ParsedRequest, spec):
    value = request.header(spec["name"])
    if value is None:
        return False, f"Your request has no {spec['name']} header; it should be {spec['is']}."
    if same_value(spec["name"], value, spec["is"], spec.get("ignore_case", False)):
        return True, f"Your {spec['name']} header is {value}."
    return False, f"Your {spec['name']} header is {value}, but it should be {spec['is']}."


@register(
    "request_header_matches",
    scope="request",
    required=("name", "pattern"),
    doc="The header's value matches the regular expression `pattern` (case-insensitive). Only for "
    "fields without a grammar of their own: Accept, Authorization, Content-Type, Cookie, If-Match "
    "and If-None-Match have checks that read them by meaning (check_problem refuses a pattern).",
)
def _request_header_matches(request: ParsedRequest, spec):
    value = request.header(spec["name"])
    if value is None:
        return False, f"Your request has no {spec['name']} header."
    if re.search(spec["pattern"], value, re.IGNORECASE):
        return True, f"Your {spec['name']} header ({value}) has what this step needs."
    return False, f"Your {spec['name']} header is {value}, which is not what this step needs."


@register(
    "request_accepts",
    scope="request",
    required=("type",),
    doc="The request's Accept makes media type `type` acceptable: the most specific range that "
    "matches it has a weight above 0 (RFC 9110 §12.5.1; q=0 means not acceptable).",
)
def _request_accepts(request: ParsedRequest, spec):
    accept = request.header("Accept")
    if accept is None:
        return False, f"Your request has no Accept header naming {spec['type']}."
    if accept_quality(accept, spec["type"]) > 0:
        return True, f"Your Accept ({accept}) welcomes {spec['type']}."
    return False, f"Your Accept is {accept}, which does not make {spec['type']} acceptable."


@register(
    "request_accept_prefers",
    scope="request",
    required=("type", "over"),
    doc="The request's Accept gives `type` a higher weight than `over`, and `over` a weight "
    "above 0: both are acceptable, `type` preferred.",
)
def _request_accept_prefers(request: ParsedRequest, spec):
    accept = request.header("Accept")
    if accept is None:
        return False, f"Your request has no Accept header; it should prefer {spec['type']}."
    first, second = accept_quality(accept, spec["type"]), accept_quality(accept, spec["over"])
    if first > second > 0:
        return True, (
            f"Your Accept weighs {spec['type']} at {first:g} and {spec['over']} at {second:g}: "
            f"{spec['type']} is preferred, {spec['over']} still welcome."
        )
    if second == 0:
        return (
            False,
            f"Your Accept gives {spec['over']} weight 0, which means it is not acceptable at all.",
        )
    return False, (
        f"Your Accept weighs {spec['type']} at {first:g} and {spec['over']} at {second:g}, "
        f"so it does not prefer {spec['type']}."
    )


@register(
    "request_auth_scheme",
    scope="request",
    required=("is",),
    doc="The request's Authorization uses scheme `is` (case-insensitive, RFC 9110 §11.1) and "
    "carries credentials after it.",
)
def _request_auth_scheme(request: ParsedRequest, spec):
    found = auth_scheme(request.header("Authorization"))
    if found is None:
        return False, f"Your request has no Authorization header using {spec['is']}."
    scheme, credentials = found
    if scheme != spec["is"].lower():
        return (
            False,
            f"Your Authorization uses the {scheme} scheme, but this step needs {spec['is']}.",
        )
    if not credentials:
        return False, f"Your Authorization names {spec['is']} but carries no credentials after it."
    return True, f"Your Authorization uses the {spec['is']} scheme."


@register(
    "request_cookie",
    scope="request",
    required=("name",),
    optional=("matches",),
    doc="The request's Cookie field carries a cookie called `name` (whose value fully matches "
    "the regular expression `matches`, if given), wherever it is among the pairs.",
)
def _request_cookie(request: ParsedRequest, spec):
    value = cookie_value(request.header_values("Cookie"), spec["name"])
    if value is None:
        return False, f"Your request sends no {spec['name']} cookie."
    if "matches" in spec and re.fullmatch(spec["matches"], value) is None:
        return False, f"Your {spec['name']} cookie is {value}, which is not what this step expects."
    return True, f"Your request sends the {spec['name']} cookie back."


@register(
    "request_body_json_field",
    scope="request",
    required=("field",),
    optional=("is",),
    doc="The request body is JSON with this (dotted) field, equal to `is` if given.",
)
def _request_body_json_field(request: ParsedRequest, spec):
    return json_field_check(request.body, spec, "Your request body")


@register(
    "request_body_contains",
    scope="request",
    required=("text",),
    doc="The request body contains this text.",
)
def _request_body_contains(request: ParsedRequest, spec):
    if spec["text"].encode() in request.body:
        return True, f"Your body contains {spec['text']}."
    return False, f"Your body does not contain {spec['text']}."


# --- response checks ------------------------------------------------------------------


@register(
    "response_status",
    scope="response",
    optional=("is", "in"),
    doc="The sandbox answered with status `is` (or one of `in`).",
)
def _response_status(response: Response, spec):
    wanted = [spec["is"]] if "is" in spec else list(spec["in"])
    if response.status in wanted:
        return True, f"The server answered {phrase(response.status)}."
    names = " or ".join(phrase(code) for code in wanted)
    return False, f"The server answered {phrase(response.status)}, not {names}."


@register(
    "response_header_present",
    scope="response",
    required=("name",),
    doc="The response has this header field.",
)
def _response_header_present(response: Response, spec):
    if response.header(spec["name"]) is not None:
        return True, f"The response carries {spec['name']}: {response.header(spec['name'])}."
    return False, f"The response has no {spec['name']} header."


@register(
    "response_header_equals",
    scope="response",
    required=("name", "is"),
    doc="The response header's value means `is`, read with the field's grammar (as for "
    "request_header_equals).",
)
def _response_header_equals(response: Response, spec):
    value = response.header(spec["name"])
    if value is not None and same_value(spec["name"], value, spec["is"]):
        return True, f"The response says {spec['name']}: {value}."
    return False, f"The response's {spec['name']} is {value or '(missing)'}, not {spec['is']}."


@register(
    "response_header_matches",
    scope="response",
    required=("name", "pattern"),
    doc="The response header's value matches the regular expression `pattern` (case-insensitive); "
    "for Content-Type use response_header_equals, which reads media types.",
)
def _response_header_matches(response: Response, spec):
    value = response.header(spec["name"])
    if value is not None and re.search(spec["pattern"], value, re.IGNORECASE):
        return True, f"The response says {spec['name']}: {value}."
    return (
        False,
        f"The response's {spec['name']} is {value or '(missing)'}, which is not what this step expects.",
    )


@register(
    "response_body_contains",
    scope="response",
    required=("text",),
    doc="The response body contains this text.",
)
def _response_body_contains(response: Response, spec):
    if spec["text"].encode() in response.body:
        return True, f"The response body contains {spec['text']}."
    return False, f"The response body does not contain {spec['text']}."


@register(
    "response_body_empty",
    scope="response",
    doc="The response has no body (as for HEAD, 204 and 304).",
)
def _response_body_empty(response: Response, spec):
    if not response.body:
        return True, "The response has no body."
    return False, f"The response has a body of {len(response.body)} bytes."


@register(
    "response_body_json_field",
    scope="response",
    required=("field",),
    optional=("is",),
    doc="The response body is JSON with this (dotted) field, equal to `is` if given.",
)
def _response_body_json_field(response: Response, spec):
    return json_field_check(response.body, spec, "The response body")
