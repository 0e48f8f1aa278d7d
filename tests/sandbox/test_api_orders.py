"""/orders and Idempotency-Key."""

import json

from challenges.sandbox import LIMITS, fresh_state

from .support import build, run, statuses

JSON = "Content-Type: application/json"


def order(body: str = '{"book_id": 1, "quantity": 2}', *fields: str) -> bytes:
    return build("POST", "/orders", JSON, *fields, body=body)


def test_post_creates_an_order_with_location():
    outcome = run(order() + build("GET", "/orders/1") + build("GET", "/orders"))
    created, fetched, listed = (exchange.response for exchange in outcome.exchanges)
    assert created.status == 201
    assert created.header("Location") == "/orders/1"
    document = json.loads(created.body)
    assert document == {
        "id": 1,
        "book_id": 1,
        "title": "Pride and Prejudice",
        "quantity": 2,
        "customer": "guest",
        "created_at": 1740830400,
        "idempotency_key": None,
    }
    assert json.loads(fetched.body) == document
    assert json.loads(listed.body) == {"orders": [document]}


def test_a_retry_with_the_same_key_replays_the_first_answer():
    key = 'Idempotency-Key: "8e03978e-40d5"'
    outcome = run(order('{"book_id": 2}', key) + order('{"book_id": 2}', key))
    first, retry = (exchange.response for exchange in outcome.exchanges)
    assert (first.status, retry.status) == (201, 201)
    assert retry.body == first.body
    assert retry.header("Location") == first.header("Location")
    assert retry.header("Idempotent-Replayed") == "true"
    assert len(outcome.state["orders"]) == 1


def test_the_same_key_with_another_body_is_422():
    key = "Idempotency-Key: order-7"
    outcome = run(order('{"book_id": 2}', key) + order('{"book_id": 3}', key))
    assert statuses(outcome) == [201, 422]
    assert len(outcome.state["orders"]) == 1


def test_without_a_key_each_post_is_a_new_order():
    outcome = run(order() + order())
    assert statuses(outcome) == [201, 201]
    assert [o["id"] for o in outcome.state["orders"]] == [1, 2]


def test_invalid_orders():
    cases = {
        '{"book_id": 99}': 422,
        '{"book_id": "1"}': 422,
        '{"book_id": 1, "quantity": 0}': 422,
        '{"book_id": 1, "colour": "red"}': 422,
        "book_id=1": 400,
    }
    for body, status in cases.items():
        assert statuses(run(order(body))) == [status], body
    assert statuses(run(order('{"book_id": 1}', 'Idempotency-Key: ""'))) == [400]
    assert statuses(run(build("POST", "/orders", "Content-Type: text/plain", body="1"))) == [415]
    assert statuses(run(build("POST", "/orders", JSON))) == [411]
    assert statuses(run(build("DELETE", "/orders/1"))) == [405]
    assert statuses(run(build("GET", "/orders/5"))) == [404]


def test_a_signed_in_customer_is_recorded():
    outcome = run(order('{"book_id": 1}', "Authorization: Basic Z3JhY2U6aG9wcGVy"))
    assert outcome.state["orders"][0]["customer"] == "grace"
    assert statuses(run(order('{"book_id": 1}', "Authorization: Bearer nope"))) == [401]


def test_orders_past_the_cap_are_507():
    state = fresh_state()
    state["orders"] = [{"id": n} for n in range(LIMITS.orders)]
    assert statuses(run(order(), state)) == [507]
