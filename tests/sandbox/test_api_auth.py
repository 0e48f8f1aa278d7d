"""Logging in, tokens, cookies, Basic auth, 401 versus 403."""

import json

import pytest

from challenges.sandbox import fresh_state

from .support import build, run, statuses

JSON = "Content-Type: application/json"
FORM = "Content-Type: application/x-www-form-urlencoded"


def json_login(username: str = "ada", password: str = "lovelace") -> bytes:
    return build(
        "POST", "/login", JSON, body=json.dumps({"username": username, "password": password})
    )


def token_of(outcome) -> str:
    return json.loads(outcome.exchanges[-1].response.body)["token"]


def test_json_login_gives_a_bearer_token_that_identifies_the_user():
    login = run(json_login())
    reply = login.exchanges[0].response
    assert reply.status == 200
    assert reply.header("Cache-Control") == "no-store"
    document = json.loads(reply.body)
    assert document["token_type"] == "Bearer" and len(document["token"]) == 32
    me = run(build("GET", "/me", f"Authorization: Bearer {document['token']}"), login.state)
    assert json.loads(me.exchanges[0].response.body) == {
        "username": "ada",
        "name": "Ada Lovelace",
        "role": "admin",
        "authenticated_with": "bearer token",
    }


def test_form_login_sets_a_session_cookie_and_redirects_with_303():
    login = run(build("POST", "/login", FORM, body="username=grace&password=hopper"))
    reply = login.exchanges[0].response
    assert reply.status == 303
    assert reply.header("Location") == "/me"
    cookie = reply.header("Set-Cookie")
    session = cookie.split(";")[0].split("=")[1]
    assert cookie == f"session={session}; HttpOnly; Path=/; SameSite=Lax"
    me = run(build("GET", "/me", f"Cookie: theme=dark; session={session}"), login.state)
    assert json.loads(me.exchanges[0].response.body)["authenticated_with"] == "session cookie"


@pytest.mark.parametrize(
    ("fields", "challenge"),
    [
        ([], 'Bearer realm="sandbox"'),
        (["Authorization: Bearer not-a-token"], 'Bearer realm="sandbox", error="invalid_token"'),
        (["Authorization: Digest username=ada"], 'Bearer realm="sandbox"'),
        (["Authorization: Basic !!!"], 'Bearer realm="sandbox"'),
        (["Authorization: Basic YWRhOndyb25n"], 'Bearer realm="sandbox"'),  # ada:wrong
        (["Cookie: session=stale"], 'Bearer realm="sandbox"'),
    ],
)
def test_me_without_valid_credentials_is_401_with_a_challenge(fields, challenge):
    reply = run(build("GET", "/me", *fields)).exchanges[0].response
    assert reply.status == 401
    assert reply.header("WWW-Authenticate") == challenge


def test_basic_credentials_work_anywhere():
    reply = run(build("GET", "/me", "Authorization: Basic YWRhOmxvdmVsYWNl")).exchanges[0].response
    assert json.loads(reply.body)["authenticated_with"] == "basic"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (json_login(password="babbage"), 401),
        (json_login(username="charles"), 401),
        (build("POST", "/login", JSON, body='{"username": "ada"}'), 422),
        (build("POST", "/login", JSON, body='["ada", "lovelace"]'), 422),
        (build("POST", "/login", JSON, body='{"username": "ada",'), 400),
        (build("POST", "/login", "Content-Type: text/plain", body="ada:lovelace"), 415),
        (build("POST", "/login", JSON), 411),
        (build("GET", "/login"), 405),
    ],
)
def test_bad_logins(request_bytes, status):
    reply = run(request_bytes).exchanges[0].response
    assert reply.status == status
    if status == 401:
        assert reply.header("WWW-Authenticate") == 'Bearer realm="sandbox"'
    if status == 415:
        assert reply.header("Accept-Post") == "application/json, application/x-www-form-urlencoded"
    if status == 405:
        assert reply.header("Allow") == "POST, OPTIONS"


def test_logout_forgets_the_token():
    login = run(json_login())
    token = token_of(login)
    bearer = f"Authorization: Bearer {token}"
    outcome = run(build("POST", "/logout", bearer) + build("GET", "/me", bearer), login.state)
    assert statuses(outcome) == [204, 401]
    assert outcome.state["tokens"] == {}


def test_logout_clears_the_session_cookie():
    login = run(build("POST", "/login", FORM, body="username=ada&password=lovelace"))
    session = next(iter(login.state["sessions"]))
    reply = (
        run(build("POST", "/logout", f"Cookie: session={session}"), login.state)
        .exchanges[0]
        .response
    )
    assert reply.status == 204
    assert reply.header("Set-Cookie") == "session=; Max-Age=0; HttpOnly; Path=/; SameSite=Lax"


def test_logout_without_credentials_is_still_204():
    assert statuses(run(build("POST", "/logout"))) == [204]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ([], 401),
        (["Authorization: Basic Z3JhY2U6aG9wcGVy"], 403),
        (["Authorization: Basic YWRhOmxvdmVsYWNl"], 200),
    ],
)
def test_admin_stats_uses_basic_auth_and_needs_an_admin(fields, status):
    reply = run(build("GET", "/admin/stats", *fields)).exchanges[0].response
    assert reply.status == status
    if status == 401:
        assert reply.header("WWW-Authenticate") == 'Basic realm="sandbox admin", charset="UTF-8"'
        detail = json.loads(reply.body)["detail"]
        assert "Authorization: Basic" in detail and "Bearer" not in detail
    if status == 200:
        assert json.loads(reply.body)["books"] == 6


def test_every_401_tells_the_scheme_its_challenge_names():
    for target, scheme in (("/me", "Bearer"), ("/admin/stats", "Basic"), ("/books/1", "Bearer")):
        method = "DELETE" if target == "/books/1" else "GET"
        reply = run(build(method, target)).exchanges[0].response
        assert reply.status == 401
        assert reply.header("WWW-Authenticate").startswith(scheme + " ")
        assert f"Authorization: {scheme}" in json.loads(reply.body)["detail"]


def test_tokens_are_deterministic_per_state_and_differ_between_learners():
    state = fresh_state()
    assert token_of(run(json_login(), state)) == token_of(run(json_login(), state))
    assert token_of(run(json_login(), state)) != token_of(run(json_login(), fresh_state()))


def test_a_token_from_one_learner_means_nothing_to_another():
    token = token_of(run(json_login()))
    assert statuses(run(build("GET", "/me", f"Authorization: Bearer {token}"))) == [401]


def test_old_tokens_are_forgotten_past_the_cap():
    login = run(json_login())
    first = token_of(login)
    state = run(json_login() * 10, login.state).state
    state = run(json_login() * 10, state).state
    assert len(state["tokens"]) == 20
    assert statuses(run(build("GET", "/me", f"Authorization: Bearer {first}"), state)) == [401]
