"""Pretty-printed JSON, cheaply.

Learners read the bookshop's JSON, so it is indented. `json.dumps(indent=2)`
gives that, but an indent makes the json module leave its C encoder for a
pure-Python one that costs more than the rest of a response. `pretty_json()`
writes the same text itself with a dispatch table per scalar type and the C
string escaper, about twice as fast. A document it does not expect
(subclasses of the JSON types, non-str keys, cycles) goes to `json.dumps`,
so the output is json.dumps's in every case.
"""

import json
from json.encoder import encode_basestring

INDENT = "  "


class _Unusual(Exception):
    pass


def pretty_json(document) -> str:
    """`json.dumps(document, indent=2, ensure_ascii=False)`, faster."""
    try:
        return _value(document, "", 0)
    except (_Unusual, RecursionError):
        return json.dumps(document, indent=2, ensure_ascii=False)


def _value(value, indent: str, depth: int) -> str:
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    kind = type(value)
    if kind is dict:
        return _object(value, indent, depth) if value else "{}"
    if kind is list or kind is tuple:
        return _array(value, indent, depth) if value else "[]"
    raise _Unusual


def _object(value: dict, indent: str, depth: int) -> str:
    if depth > 100:  # deeper than any bookshop document: let json.dumps find the cycle
        raise _Unusual
    inner = indent + INDENT
    items = []
    for key, item in value.items():
        if type(key) is not str:
            raise _Unusual
        scalar = _SCALARS.get(type(item))
        text = scalar(item) if scalar is not None else _value(item, inner, depth + 1)
        items.append(f"{encode_basestring(key)}: {text}")
    return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"


def _array(value, indent: str, depth: int) -> str:
    if depth > 100:
        raise _Unusual
    inner = indent + INDENT
    items = [
        _SCALARS[type(item)](item) if type(item) in _SCALARS else _value(item, inner, depth + 1)
        for item in value
    ]
    return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


# How json.dumps writes each scalar type (exact types only: subclasses are unusual).
_SCALARS = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}
