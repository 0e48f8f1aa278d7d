"""Rebuild an Exchange from what was stored of it (as JSON), for grading it again later."""

from .diagnostics import Diagnostic
from .messages import Exchange, ParsedRequest, Response


def exchange_from_record(
    *, raw_request: bytes, raw_response: bytes, request, response: dict, diagnostics: list
) -> Exchange:
    parsed = None
    if request:
        parsed = ParsedRequest(
            method=request["method"],
            target=request["target"],
            http_version=request["http_version"],
            headers=[tuple(pair) for pair in request["headers"]],
            body=request["body"].encode("utf-8"),
        )
    answer = Response(
        status=response["status"],
        reason=response["reason"],
        headers=[tuple(pair) for pair in response["headers"]],
        body=response["body"].encode("utf-8"),
        raw=raw_response,
    )
    return Exchange(
        request=parsed,
        response=answer,
        diagnostics=[Diagnostic.from_dict(diagnostic) for diagnostic in diagnostics],
        raw_request=raw_request,
    )
