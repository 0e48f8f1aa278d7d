"""/books/{id}/excerpt: the opening of a sample book, with byte ranges
(RFC 9110 §14).

One range is served as 206 Partial Content. A request for several ranges is
answered with the whole text (200): RFC 9110 lets a server ignore Range, and
this keeps multipart/byteranges out of the sandbox. A Range the server cannot
parse, or whose last position comes before its first, is ignored the same
way; one that starts past the end (bytes=500- on a shorter text included) or
asks for the last 0 bytes earns 416 with Content-Range: bytes */SIZE.
"""

import re

from ..messages import Reply
from ..render import problem_reply
from .catalog import find_book
from .common import TEXT, Call, read_only
from .conditional import Validators, precondition_reply, range_applies

# Public-domain openings of the six sample books (ids 1 to 6).
EXCERPTS = {
    1: "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in "
    "want of a wife.\n",
    2: "You will rejoice to hear that no disaster has accompanied the commencement of an enterprise which you "
    "have regarded with such evil forebodings.\n",
    3: "Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, "
    "and nothing particular to interest me on shore, I thought I would sail about a little and see the "
    "watery part of the world.\n",
    4: "Who that cares much to know the history of man, and how the mysterious mixture behaves under the "
    "varying experiments of Time, has not dwelt, at least briefly, on the life of Saint Theresa?\n",
    5: "To Sherlock Holmes she is always the woman. I have seldom heard him mention her under any other name.\n",
    6: "The Analytical Engine has no pretensions whatever to originate anything. It can do whatever we know "
    "how to order it to perform.\n",
}
BYTE_RANGE = re.compile(r"\s*(\d*)\s*-\s*(\d*)\s*")


@read_only
def get_excerpt(call: Call) -> Reply:
    book = find_book(call.state, call.params["id"])
    if book is None or book["id"] not in EXCERPTS:
        return problem_reply(
            404, f"There is no excerpt for book {call.params['id']}; books 1 to 6 have one."
        )
    text = EXCERPTS[book["id"]].encode("utf-8")
    validators = Validators(etag=f'"excerpt-{book["id"]}"')
    refusal = precondition_reply(call.request, validators, f"the excerpt of book {book['id']}")
    if refusal:
        return refusal
    headers = [("Content-Type", TEXT), ("Accept-Ranges", "bytes"), *validators.headers()]
    wanted = _requested_range(call, validators, len(text))
    if wanted is None:
        return Reply(200, headers, text)
    if isinstance(wanted, str):
        detail = (
            f'The range "{call.request.header("Range")}" {wanted} of the {len(text)}-byte excerpt.'
        )
        return problem_reply(416, detail, headers=[("Content-Range", f"bytes */{len(text)}")])
    first, last = wanted
    headers.append(("Content-Range", f"bytes {first}-{last}/{len(text)}"))
    return Reply(206, headers, text[first : last + 1])


def _requested_range(call: Call, validators: Validators, size: int) -> tuple[int, int] | str | None:
    """(first, last) byte positions to send; why the range cannot be
    satisfied (a phrase for the 416's detail); or None for the whole text:
    Range is defined for GET only, and a stale If-Range asks for all of it."""
    if not range_applies(call.request, validators):
        return None
    value = call.request.header("Range")
    unit, _, specs = value.partition("=")
    if unit.strip().lower() != "bytes" or "," in specs:
        return None
    match = BYTE_RANGE.fullmatch(specs)
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # "-500": the last 500 bytes, or all of them if there are fewer
        suffix = int(last)
        if suffix == 0 or size == 0:
            return "asks for the last 0 bytes"
        return max(0, size - suffix), size - 1
    first = int(first)
    if last != "" and int(last) < first:
        return None  # not a valid range (RFC 9110 §14.1.1), so the field is ignored
    if first >= size:
        return "starts past the end"
    return first, size - 1 if last == "" else min(int(last), size - 1)
