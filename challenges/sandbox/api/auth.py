"""Who is asking: bearer tokens, session cookies and Basic credentials.

Any of the three identifies a user anywhere; what differs per resource is the
challenge a 401 carries in WWW-Authenticate (Bearer for the API, Basic for
/admin/stats), which tells the client how to authenticate next time.
"""

import base64
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..limits import LIMITS
from ..messages import Reply
from ..render import problem_reply
from ..state import derive_secret, remember
from .common import (
    JSON,
    Call,
    json_reply,
    length_required,
    media_type,
    read_json,
    read_only,
    text_reply,
    unsupported_media_type,
)

BEARER_CHALLENGE = 'Bearer realm="sandbox"'
BASIC_CHALLENGE = 'Basic realm="sandbox admin", charset="UTF-8"'
# What a 401's detail tells the learner to do, matching the scheme its
# WWW-Authenticate field names (any of the three credentials is accepted anyway).
HOW_TO = {
    BEARER_CHALLENGE: "log in with POST /login and send the token as Authorization: Bearer "
    "<token>, or use the session cookie",
    BASIC_CHALLENGE: "send Authorization: Basic followed by the base64 encoding of "
    "username:password, the scheme WWW-Authenticate names",
}
FORM = "application/x-www-form-urlencoded"
NO_STORE = ("Cache-Control", "no-store")


@dataclass(frozen=True)
class Identity:
    username: str
    role: str
    name: str
    scheme: str  # "bearer token", "session cookie" or "basic"
    credential: str  # the token or session id presented (empty for Basic)


@dataclass(frozen=True)
class Rejection:
    detail: str
    bearer_error: bool  # a bad token gets error="invalid_token" (RFC 6750 §3.1)


def authenticate(call: Call) -> Identity | Rejection | None:
    """The caller, a reason to refuse their credentials, or None if they sent none."""
    authorization = call.request.header("Authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() == "bearer":
            return _from_token(call.state, credentials.strip())
        if scheme.lower() == "basic":
            return _from_basic(call.state, credentials.strip())
        return Rejection(
            f'The Authorization scheme "{scheme}" is not one this server knows; use Bearer or Basic.',
            False,
        )
    session = _session_cookie(call.request.header("Cookie"))
    if session is not None:
        record = call.state["sessions"].get(session)
        if record is None:
            return Rejection("The session cookie is not (or no longer) valid; log in again.", False)
        return _identity(call.state, record["username"], "session cookie", session)
    return None


def unauthorized(detail: str, challenge: str = BEARER_CHALLENGE) -> Reply:
    return problem_reply(401, detail, headers=[("WWW-Authenticate", challenge), NO_STORE])


def require_identity(call: Call, challenge: str = BEARER_CHALLENGE) -> Identity | Reply:
    """The caller, or the 401 that says how to authenticate."""
    found = authenticate(call)
    if isinstance(found, Identity):
        return found
    if isinstance(found, Rejection):
        if found.bearer_error and challenge == BEARER_CHALLENGE:
            challenge += ', error="invalid_token"'
        return unauthorized(found.detail, challenge)
    return unauthorized(f"{call.request.path} needs credentials: {HOW_TO[challenge]}.", challenge)


def login(call: Call) -> Reply:
    missing_length = length_required(call.request)
    if missing_length:
        return missing_length
    kind = media_type(call.request)
    if kind == JSON:
        document, problem = read_json(call.request)
        if problem:
            return problem
        credentials = document if isinstance(document, dict) else {}
    elif kind == FORM:
        fields = parse_qs(call.request.body.decode("utf-8", "replace"), keep_blank_values=True)
        credentials = {name: values[0] for name, values in fields.items()}
    else:
        return unsupported_media_type(call.request, [JSON, FORM], "Accept-Post")
    username, password = credentials.get("username"), credentials.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        errors = [
            {"field": name, "detail": "is required and must be a string"}
            for name in ("username", "password")
            if not isinstance(credentials.get(name), str)
        ]
        return problem_reply(422, "Send a username and a password.", errors=errors)
    user = call.state["users"].get(username)
    if user is None or user.get("password") != password:
        return unauthorized("Wrong username or password.")
    if kind == FORM:
        session = derive_secret(call.state, "session")
        remember(
            call.state["sessions"],
            session,
            {"username": username, "since": call.timestamp},
            LIMITS.sessions,
        )
        cookie = f"session={session}; HttpOnly; Path=/; SameSite=Lax"
        return text_reply(
            303, "Logged in. See /me.\n", [("Location", "/me"), ("Set-Cookie", cookie), NO_STORE]
        )
    token = derive_secret(call.state, "token")
    remember(
        call.state["tokens"], token, {"username": username, "since": call.timestamp}, LIMITS.tokens
    )
    return json_reply(
        200, {"token": token, "token_type": "Bearer", "username": username}, [NO_STORE]
    )


@read_only
def me(call: Call) -> Reply:
    identity = require_identity(call)
    if isinstance(identity, Reply):
        return identity
    document = {
        "username": identity.username,
        "name": identity.name,
        "role": identity.role,
        "authenticated_with": identity.scheme,
    }
    return json_reply(200, document, [NO_STORE, ("Vary", "Authorization, Cookie")])


def logout(call: Call) -> Reply:
    """Forget the credential presented (if any). Logging out twice is fine."""
    found = authenticate(call)
    headers = [NO_STORE]
    if isinstance(found, Identity) and found.scheme == "bearer token":
        call.state["tokens"].pop(found.credential, None)
    session = _session_cookie(call.request.header("Cookie"))
    if session is not None:
        call.state["sessions"].pop(session, None)
        headers.append(("Set-Cookie", "session=; Max-Age=0; HttpOnly; Path=/; SameSite=Lax"))
    return Reply(204, headers)


@read_only
def admin_stats(call: Call) -> Reply:
    identity = require_identity(call, BASIC_CHALLENGE)
    if isinstance(identity, Reply):
        return identity
    if identity.role != "admin":
        return problem_reply(
            403,
            f"{identity.username} is signed in, but only an admin may see the shop's statistics.",
        )
    state = call.state
    document = {
        "books": len(state["books"]),
        "orders": len(state["orders"]),
        "active_tokens": len(state["tokens"]),
        "active_sessions": len(state["sessions"]),
        "rate_limited_requests_in_window": state["rate_limit"].get("count", 0),
    }
    return json_reply(200, document, [NO_STORE])


def _identity(state: dict, username: str, scheme: str, credential: str) -> Identity | Rejection:
    user = state["users"].get(username)
    if user is None:
        return Rejection(f"The user {username} no longer exists.", False)
    return Identity(
        username, user.get("role", "customer"), user.get("name", username), scheme, credential
    )


def _from_token(state: dict, token: str) -> Identity | Rejection:
    record = state["tokens"].get(token)
    if record is None:
        return Rejection(
            "This bearer token is not valid (unknown, or logged out). Get a new one from POST /login.",
            True,
        )
    return _identity(state, record["username"], "bearer token", token)


def _from_basic(state: dict, encoded: str) -> Identity | Rejection:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside
        return Rejection(
            "Basic credentials must be base64 of username:password, such as YWRhOmxvdmVsYWNl.",
            False,
        )
    username, colon, password = decoded.partition(":")
    user = state["users"].get(username)
    if not colon or user is None or user.get("password") != password:
        return Rejection("Wrong username or password in the Basic credentials.", False)
    return _identity(state, username, "basic", "")


def _session_cookie(header: str | None) -> str | None:
    if not header:
        return None
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name == "session" and value:
            return value
    return None
