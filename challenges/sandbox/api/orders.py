"""/orders: the one non-idempotent write, made safe to retry with
Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header).

The first POST with a key creates the order and remembers the key with a
fingerprint of the body. A retry with the same key and the same body gets
the original response again (marked Idempotent-Replayed: true) and no second
order; the same key with a different body is refused with 422, as the draft
recommends. Without a key every POST creates a new order.
"""

import hashlib

from ..limits import LIMITS
from ..messages import Reply
from ..render import problem_reply
from .auth import Identity, Rejection, authenticate, unauthorized
from .catalog import find_book
from .common import (
    JSON,
    Call,
    invalid_fields,
    json_reply,
    length_required,
    media_type,
    read_json,
    read_only,
    unsupported_media_type,
)

FIELDS = ("book_id", "quantity")


@read_only
def list_orders(call: Call) -> Reply:
    return json_reply(200, {"orders": [_public(order) for order in call.state["orders"]]})


@read_only
def get_order(call: Call) -> Reply:
    order = next((o for o in call.state["orders"] if str(o["id"]) == call.params["id"]), None)
    if order is None:
        return problem_reply(404, f"There is no order {call.params['id']}. GET /orders lists them.")
    return json_reply(200, _public(order))


def create_order(call: Call) -> Reply:
    missing_length = length_required(call.request)
    if missing_length:
        return missing_length
    if media_type(call.request) != JSON:
        return unsupported_media_type(call.request, [JSON], "Accept-Post")
    customer = authenticate(call)
    if isinstance(customer, Rejection):
        return unauthorized(customer.detail)
    key = _idempotency_key(call)
    if isinstance(key, Reply):
        return key
    fingerprint = hashlib.sha256(call.request.body).hexdigest()[:16]
    earlier = next(
        (o for o in call.state["orders"] if key and o.get("idempotency_key") == key), None
    )
    if earlier:
        if earlier["fingerprint"] != fingerprint:
            return problem_reply(
                422,
                f"The Idempotency-Key {key} was already used for order {earlier['id']} with a different body. "
                "A key names one operation: use a new key for a new order.",
            )
        return _created(earlier, replayed=True)
    document, problem = read_json(call.request)
    if problem:
        return problem
    order, errors = _validate(document, call.state)
    if errors:
        return invalid_fields(errors)
    if len(call.state["orders"]) >= LIMITS.orders:
        return problem_reply(
            507, f"Your bookshop already holds {LIMITS.orders} orders, the sandbox's limit."
        )
    book = find_book(call.state, str(order["book_id"]))
    order = {
        "id": call.state["next_order_id"],
        "book_id": book["id"],
        "title": book["title"],
        "quantity": order["quantity"],
        "customer": customer.username if isinstance(customer, Identity) else "guest",
        "created_at": call.timestamp,
        "idempotency_key": key,
        "fingerprint": fingerprint,
    }
    call.state["next_order_id"] += 1
    call.state["orders"].append(order)
    return _created(order, replayed=False)


def _idempotency_key(call: Call) -> str | None | Reply:
    value = call.request.header("Idempotency-Key")
    if value is None:
        return None
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # the draft sends it as a quoted string
        key = key[1:-1]
    if not key or len(key) > 255:
        return problem_reply(
            400, 'Idempotency-Key must hold 1 to 255 characters, such as "order-2024-001".'
        )
    return key


def _validate(document, state: dict) -> tuple[dict, list[dict]]:
    if not isinstance(document, dict):
        return {}, [
            {
                "field": "(body)",
                "detail": 'must be a JSON object such as {"book_id": 1, "quantity": 2}',
            }
        ]
    errors = []
    unknown = sorted(set(document) - set(FIELDS))
    if unknown:
        errors.append(
            {
                "field": ", ".join(unknown),
                "detail": "unknown field; an order has book_id and quantity",
            }
        )
    book_id = document.get("book_id")
    if not isinstance(book_id, int) or isinstance(book_id, bool):
        errors.append(
            {"field": "book_id", "detail": "is required and must be the id of a book, such as 1"}
        )
    elif find_book(state, str(book_id)) is None:
        errors.append({"field": "book_id", "detail": f"there is no book {book_id}"})
    quantity = document.get("quantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 10:
        errors.append(
            {"field": "quantity", "detail": "must be a whole number from 1 to 10 (1 if left out)"}
        )
    return {"book_id": book_id, "quantity": quantity}, errors


def _created(order: dict, replayed: bool) -> Reply:
    headers = [("Location", f"/orders/{order['id']}")]
    if replayed:
        headers.append(("Idempotent-Replayed", "true"))
    return json_reply(201, _public(order), headers)


def _public(order: dict) -> dict:
    return {
        name: order.get(name)
        for name in (
            "id",
            "book_id",
            "title",
            "quantity",
            "customer",
            "created_at",
            "idempotency_key",
        )
    }
