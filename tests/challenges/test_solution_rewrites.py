"""Every challenge's solution still passes when it is rewritten in ways HTTP
says change nothing.

A grader that fails a correct answer teaches the wrong thing, so each
solution is played through the sandbox once more after rewrites that RFC 9110
and RFC 9112 make meaningless:

- header field names in another case (§5.1: names are case-insensitive);
- optional whitespace around field values (RFC 9112 §5.1: OWS is not part of the value),
  and around the commas and semicolons of lists and parameters (§5.6.1, §5.6.6);
- the fields in another order, keeping same-name fields in theirs (§5.3);
- an extra field the challenge does not talk about (§5.1: unknown fields are ignored);
- a charset parameter on Content-Type (§8.3.1: parameters are allowed; JSON ignores it);
- media types in another case (§8.3.1: type and subtype are case-insensitive);
- the authentication scheme, connection options, transfer codings and the
  host name in another case (§11.1, §7.6.1, §10.1.4; RFC 3986 §3.2.2);
- the request-target in absolute form (RFC 9112 §3.2.2: a server must accept it);
- entity tags as lists, or weak where weak comparison applies (§13.1.1, §13.1.2);
- HTTP-dates in the obsolete formats a recipient must still accept (§5.6.7).

Placeholders (<<previous.header.ETag>>) are filled in first, from the
response to the rewritten previous step, so rewrites carry through a
multi-step challenge. Every (challenge, rewrite) pair that changes the bytes
is played once on its own; then Hypothesis combines random rewrites with
random choices (HYPOTHESIS_PROFILE=ci plays more examples; see EXAMPLES).
"""

import os
import random
import re
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from challenges.content_schema import PLACEHOLDER_RE
from challenges.sandbox import fresh_state, process
from challenges.sandbox.grading import grade_step
from challenges.sandbox.semantics import http_date

from .test_curriculum import CHALLENGES, NOW, as_editor_sends, fill

# --- requests as editable records -----------------------------------------------------


@dataclass(frozen=True)
class Message:
    request_line: str
    fields: tuple[tuple[str, str, str, str], ...]  # (name, before, value, after): OWS kept apart
    body: bytes

    def render(self) -> bytes:
        head = [self.request_line] + [f"{n}:{b}{v}{a}" for n, b, v, a in self.fields]
        return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + self.body

    def value(self, name: str) -> str | None:
        return next((v for n, _, v, _ in self.fields if n.lower() == name.lower()), None)


def split_stream(raw: bytes) -> list[Message | bytes]:
    """The requests of an editor submission, and the bytes between them (skipped
    empty lines, or a tail that is not a whole request), in order."""
    parts, position = [], 0
    while position < len(raw):
        start = position
        while raw.startswith(b"\r\n", position):
            position += 2
        if position > start:
            parts.append(raw[start:position])
        end = raw.find(b"\r\n\r\n", position)
        if end == -1:
            if position < len(raw):
                parts.append(raw[position:])
            break
        request_line, *lines = raw[position:end].decode("utf-8").split("\r\n")
        fields = []
        for line in lines:
            name, _, rest = line.partition(":")
            value = rest.strip(" \t")
            fields.append((name, " " if value else "", value, ""))
        message = Message(request_line, tuple(fields), b"")
        position = end + 4
        length = _body_length(message, raw, position)
        parts.append(replace(message, body=raw[position : position + length]))
        position += length
    return parts


def _body_length(message: Message, raw: bytes, start: int) -> int:
    if "chunked" in (message.value("Transfer-Encoding") or "").lower():
        position = start
        while True:
            line_end = raw.find(b"\r\n", position)
            if line_end == -1:
                return len(raw) - start
            size = int(raw[position:line_end].split(b";")[0], 16)
            position = line_end + 2
            if size == 0:
                trailer_end = raw.find(b"\r\n\r\n", position - 2)
                return (trailer_end + 4 if trailer_end != -1 else len(raw)) - start
            position += size + 2
    length = message.value("Content-Length")
    return min(int(length), len(raw) - start) if length and length.isdigit() else 0


def join_stream(parts: list[Message | bytes]) -> bytes:
    return b"".join(part.render() if isinstance(part, Message) else part for part in parts)


# --- rewrites that HTTP says change nothing -------------------------------------------
# Each takes a message and a random.Random (the Hypothesis test seeds it; the
# table test uses a fixed seed) and returns the message rewritten.

OTHER_TAG = '"not-the-current-version"'
UNRELATED = ("User-Agent: rewrite-test/1.0", "X-Request-Id: 7f3a", "Accept-Language: en;q=0.8")


def name_case(message: Message, rng: random.Random) -> Message:
    style = rng.choice([str.lower, str.upper, str.swapcase, _random_case(rng)])
    return replace(message, fields=tuple((style(n), b, v, a) for n, b, v, a in message.fields))


def value_whitespace(message: Message, rng: random.Random) -> Message:
    blanks = ["", " ", "\t", "  ", " \t "]
    return replace(
        message,
        fields=tuple(
            (n, rng.choice(blanks), v, rng.choice(blanks)) for n, _, v, _ in message.fields
        ),
    )


LIST_FIELDS = ("accept", "if-match", "if-none-match", "connection", "transfer-encoding")


def list_whitespace(message: Message, rng: random.Random) -> Message:
    """Optional whitespace around the commas of a list (§5.6.1) and the
    semicolons of parameters (§5.6.6)."""

    def respace(value: str) -> str:
        value = re.sub(r"[ \t]*,[ \t]*", lambda _: rng.choice([",", " , ", ",\t", " ,  "]), value)
        return re.sub(r"[ \t]*;[ \t]*", lambda _: rng.choice([";", " ; ", ";\t"]), value)

    return _map_values(message, LIST_FIELDS, respace)


def field_order(message: Message, rng: random.Random) -> Message:
    """Shuffle the names; fields that share a name keep their own order (RFC 9110 §5.3)."""
    names = list(dict.fromkeys(n.lower() for n, *_ in message.fields))
    shuffled = rng.sample(names, len(names))
    if len(names) > 1 and shuffled == names:
        shuffled = names[::-1]
    ordered = [f for name in shuffled for f in message.fields if f[0].lower() == name]
    return replace(message, fields=tuple(ordered))


def extra_field(message: Message, rng: random.Random) -> Message:
    name, _, value = rng.choice(UNRELATED).partition(": ")
    fields = list(message.fields)
    fields.insert(rng.randint(0, len(fields)), (name, " ", value, ""))
    return replace(message, fields=tuple(fields))


def charset(message: Message, rng: random.Random) -> Message:
    spelling = rng.choice(["; charset=utf-8", ";charset=UTF-8", '; charset="utf-8"'])
    return _map_values(
        message, ("content-type",), lambda v: v if "charset" in v.lower() else v + spelling
    )


def media_type_case(message: Message, rng: random.Random) -> Message:
    def recase(value: str) -> str:
        return ",".join(_recase_media(element, rng) for element in value.split(","))

    return _map_values(message, ("content-type", "accept"), recase)


def token_case(message: Message, rng: random.Random) -> Message:
    """Values that HTTP reads case-insensitively: the authentication scheme
    (§11.1), connection options (§7.6.1), transfer codings (§10.1.4) and the
    host name (RFC 3986 §3.2.2)."""
    style = rng.choice([str.upper, str.title, _random_case(rng)])

    def scheme(value: str) -> str:
        name, space, credentials = value.partition(" ")
        return style(name) + space + credentials

    message = _map_values(message, ("authorization",), scheme)
    return _map_values(message, ("connection", "transfer-encoding", "host"), style)


def absolute_form(message: Message, rng: random.Random) -> Message:
    method, target, version = message.request_line.split(" ")
    if not target.startswith("/"):
        return message
    authority = rng.choice(["sandbox.localhost", "SANDBOX.localhost", "sandbox.localhost:80"])
    scheme = rng.choice(["http", "HTTP"])
    return replace(message, request_line=f"{method} {scheme}://{authority}{target} {version}")


def entity_tag_forms(message: Message, rng: random.Random) -> Message:
    def if_none_match(value: str) -> str:
        return rng.choice([f"W/{value}", f"{OTHER_TAG}, {value}", f"{value} , W/{OTHER_TAG}"])

    def if_match(value: str) -> str:  # strong comparison: only a list keeps the meaning
        return rng.choice([f"{OTHER_TAG}, {value}", f"{value},{OTHER_TAG}"])

    message = _map_values(message, ("if-none-match",), if_none_match, skip_weak=True)
    return _map_values(message, ("if-match",), if_match)


def date_format(message: Message, rng: random.Random) -> Message:
    def other_format(value: str) -> str:
        moment = http_date(value)
        if moment is None:
            return value
        pattern = rng.choice(["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"])
        return moment.strftime(pattern)

    return _map_values(message, ("if-modified-since", "if-unmodified-since"), other_format)


def _map_values(message, names, change, skip_weak=False) -> Message:
    fields = []
    for n, b, v, a in message.fields:
        if n.lower() in names and v and not (skip_weak and v.startswith("W/")) and v != "*":
            v = change(v)
        fields.append((n, b, v, a))
    return replace(message, fields=tuple(fields))


def _random_case(rng: random.Random):
    return lambda text: "".join(rng.choice([c.lower(), c.upper()]) for c in text)


def _recase_media(element: str, rng: random.Random) -> str:
    media, semicolon, parameters = element.partition(";")
    recased = rng.choice([str.upper, str.title, _random_case(rng)])(media)
    return recased + semicolon + parameters


REWRITES = {
    rewrite.__name__: rewrite
    for rewrite in (
        name_case,
        value_whitespace,
        list_whitespace,
        field_order,
        extra_field,
        charset,
        media_type_case,
        token_case,
        absolute_form,
        entity_tag_forms,
        date_format,
    )
}

# A challenge about the exact bytes could be excluded from a rewrite that
# breaks its point, each with its reason. None is needed: no challenge's point
# is a spelling that one of these rewrites changes (the anatomy challenges are
# about a space before a colon, a missing colon, a missing empty line, a byte
# count, the method's case and the version, none of which a rewrite touches).
EXCLUDED: dict[tuple[str, str], str] = {}


# --- playing a rewritten solution -----------------------------------------------------


def play_rewritten(challenge: dict, rewrite_step) -> list[str]:
    """Play the solution with `rewrite_step(step_number, message)` applied to each
    request; return the failed checks as "step N: message"."""
    state, previous, failures = fresh_state(), None, []
    for number, (step, text) in enumerate(
        zip(challenge["steps"], challenge["solution"], strict=True), start=1
    ):
        raw = as_editor_sends(fill(text, previous) if previous else text)
        parts = [
            rewrite_step(number, part) if isinstance(part, Message) else part
            for part in split_stream(raw)
        ]
        outcome = process(join_stream(parts), state, now=NOW, replica="replica-1")
        results = grade_step(step["checks"], outcome.exchanges, outcome.state, previous)
        failures += [f"step {number}: {r.message}" for r in results if not r.passed]
        state = outcome.state
        if outcome.exchanges:
            previous = outcome.exchanges[-1]
    return failures


SAMPLE_VALUES = {"ETag": '"book-1-v1"', "Last-Modified": "Mon, 15 Jan 2024 09:30:00 GMT"}


def _changes_bytes(challenge: dict, name: str) -> bool:
    """Whether the rewrite changes the solution at all (placeholders stand in
    for typical values: it is the fields' presence that matters)."""
    rng = random.Random(0)
    for text in challenge["solution"]:
        sample = PLACEHOLDER_RE.sub(lambda m: SAMPLE_VALUES.get(m.group(2), "/books/7"), text)
        raw = as_editor_sends(sample)
        parts = split_stream(raw)
        rewritten = [REWRITES[name](p, rng) if isinstance(p, Message) else p for p in parts]
        if join_stream(rewritten) != raw:
            return True
    return False


def test_splitting_a_submission_and_joining_it_again_gives_the_same_bytes():
    for challenge in CHALLENGES:
        for text in challenge["solution"]:
            raw = as_editor_sends(text)
            assert join_stream(split_stream(raw)) == raw, challenge["slug"]


PAIRS = [
    (challenge, name)
    for challenge in CHALLENGES
    for name in REWRITES
    if (challenge["slug"], name) not in EXCLUDED and _changes_bytes(challenge, name)
]


def test_every_rewrite_reaches_some_challenge():
    reached = {name for _, name in PAIRS}
    assert reached == set(REWRITES)
    assert len(PAIRS) >= 4 * len(CHALLENGES)


@pytest.mark.parametrize("challenge, name", PAIRS, ids=[f"{c['slug']}-{n}" for c, n in PAIRS])
def test_each_rewrite_alone_keeps_the_solution_passing(challenge, name):
    rng = random.Random(f"{challenge['slug']}-{name}")
    assert play_rewritten(challenge, lambda _, message: REWRITES[name](message, rng)) == []


# Each example replays a whole challenge (1 to 3 steps through the sandbox,
# a few milliseconds). Under HYPOTHESIS_PROFILE=ci, 100 examples for every
# challenge (66 today) take about 20 s of CPU (about a minute on a loaded
# 2-core machine); CI runs the suite twice.
EXAMPLES = 100 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 8


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c["slug"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    chosen=st.lists(st.sampled_from(sorted(REWRITES)), min_size=1, max_size=len(REWRITES)),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_combination_of_rewrites_keeps_the_solution_passing(challenge, chosen, seed):
    rng = random.Random(seed)
    allowed = [n for n in chosen if (challenge["slug"], n) not in EXCLUDED]

    def rewrite_step(_, message: Message) -> Message:
        for name in allowed:
            message = REWRITES[name](message, rng)
        return message

    assert play_rewritten(challenge, rewrite_step) == []


def test_the_rewrites_do_change_what_a_byte_comparison_would_see():
    """The rewrites are real: a grader comparing strings would fail them."""
    rng = random.Random(1)
    (message,) = split_stream(
        b"GET /books/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Accept: text/csv\r\nIf-None-Match: "v1"\r\n\r\n'
    )
    assert absolute_form(message, rng).request_line.split(" ")[1].lower().startswith("http://")
    assert charset(message, rng).value("Content-Type").lower().endswith(("utf-8", 'utf-8"'))
    assert media_type_case(message, rng).value("Accept") != "text/csv"
    assert entity_tag_forms(message, rng).value("If-None-Match") != '"v1"'
    assert [n for n, *_ in field_order(message, rng).fields] != [n for n, *_ in message.fields]
    assert re.search(
        rb"\r\nHOST:|\r\nhost:|\r\nhOST:", name_case(message, random.Random(3)).render()
    )
