"""One learner's bookshop, as a small JSON-serialisable dict.

Secrets (bearer tokens, session ids) are derived from the state's random
`seed` and a counter, so `process()` stays deterministic for a given state
while two learners' states never share a secret.
"""

import copy
import hashlib
import json
import secrets

SCHEMA = 1

# Documented sample credentials, printed in API.md: not secrets.
SAMPLE_USERS = {
    "ada": {"password": "lovelace", "name": "Ada Lovelace", "role": "admin"},
    "grace": {"password": "hopper", "name": "Grace Hopper", "role": "customer"},
}

# updated_at values are Unix times (UTC seconds).
SAMPLE_BOOKS = [
    {
        "id": 1,
        "title": "Pride and Prejudice",
        "author": "Jane Austen",
        "year": 1813,
        "isbn": "9780000000019",
        "updated_at": 1705311000,
    },
    {
        "id": 2,
        "title": "Frankenstein",
        "author": "Mary Shelley",
        "year": 1818,
        "isbn": "9780000000026",
        "updated_at": 1706529600,
    },
    {
        "id": 3,
        "title": "Moby-Dick",
        "author": "Herman Melville",
        "year": 1851,
        "isbn": "9780000000033",
        "updated_at": 1707927300,
    },
    {
        "id": 4,
        "title": "Middlemarch",
        "author": "George Eliot",
        "year": 1871,
        "isbn": "9780000000040",
        "updated_at": 1709208000,
    },
    {
        "id": 5,
        "title": "The Adventures of Sherlock Holmes",
        "author": "Arthur Conan Doyle",
        "year": 1892,
        "isbn": "9780000000057",
        "updated_at": 1710759600,
    },
    {
        "id": 6,
        "title": "Sketch of the Analytical Engine",
        "author": "Ada Lovelace",
        "year": 1843,
        "isbn": "9780000000064",
        "updated_at": 1712052000,
    },
]


# Everything in a new bookshop but its seed, built once: `fresh_state()` copies it.
_TEMPLATE = {
    "schema": SCHEMA,
    "counter": 0,
    "next_book_id": len(SAMPLE_BOOKS) + 1,
    "next_order_id": 1,
    "books": [dict(book, version=1) for book in SAMPLE_BOOKS],
    "users": SAMPLE_USERS,
    "orders": [],
    "tokens": {},
    "sessions": {},
    "rate_limit": {"window_start": None, "count": 0},
}
_KEYS = frozenset({"seed", *_TEMPLATE})
_SCALARS = frozenset({str, int, float, bool, type(None)})


class _NotJson(Exception):
    pass


def fresh_state() -> dict:
    """A new bookshop: six books, two users, nothing else yet."""
    state = {"schema": SCHEMA, "seed": secrets.token_hex(16)}
    state.update(_copy_json(_TEMPLATE))
    return state


def snapshot(state: dict) -> dict:
    """A deep copy of a JSON-shaped state; anything else is copied the way a
    JSON round trip would (tuples become lists), or the slow way."""
    try:
        return _copy_json(state)
    except _NotJson:
        pass
    try:
        return json.loads(json.dumps(state))
    except (TypeError, ValueError):
        return copy.deepcopy(state)


def readable_state(state) -> dict:
    """The state to answer from. A complete state is returned as it is, to be
    read and never changed (a handler that changes it gets a `snapshot()`
    first); an incomplete one is completed in a copy of its own."""
    if isinstance(state, dict) and state.keys() >= _KEYS:
        return state
    working = snapshot(state) if isinstance(state, dict) else {}
    template = fresh_state()
    # A state without a seed still needs a deterministic one.
    template["seed"] = hashlib.sha256(repr(sorted(working.items(), key=str)).encode()).hexdigest()[
        :32
    ]
    for key, default in template.items():
        working.setdefault(key, default)
    return working


def _copy_json(value):
    """A deep copy of dicts with str keys, lists and JSON scalars; _NotJson
    for anything else. Several times faster than a JSON round trip."""
    kind = type(value)
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotJson
            copied[key] = item if type(item) in _SCALARS else _copy_json(item)
        return copied
    if kind is list:
        return [item if type(item) in _SCALARS else _copy_json(item) for item in value]
    raise _NotJson


def derive_secret(state: dict, purpose: str) -> str:
    """A fresh, unguessable-to-others value: sha256(seed, purpose, counter)."""
    state["counter"] = int(state.get("counter", 0)) + 1
    material = f"{state['seed']}:{purpose}:{state['counter']}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def remember(table: dict, key: str, value, cap: int) -> None:
    """Store `value` under `key`, forgetting the oldest entries beyond `cap`
    (dicts keep insertion order, and so does JSON)."""
    table[key] = value
    while len(table) > cap:
        del table[next(iter(table))]
