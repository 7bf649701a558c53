"""The editor's door (SPEC §11): it answers only a browser on this machine that holds the token.

- The `Host` header must name 127.0.0.1 or localhost with the server's port, or the answer is 403:
  a page on another site that rebinds its own name to 127.0.0.1 never gets in (DNS rebinding).
- The token comes once in the query string (the address `sb edit` prints) and becomes a cookie
  (HttpOnly, SameSite=Strict); without one of them the answer is 403.
- A form post carries the CSRF token, which is derived from the token, and an `Origin` that is
  not this server is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "sb_edit"
SAFE_METHODS = frozenset({"GET", "HEAD"})


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(token: str) -> str:
    """The token each form carries: derived from the session's token, so it needs no storage."""
    return hmac.new(token.encode(), b"sb edit csrf", hashlib.sha256).hexdigest()


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


class Guard:
    """ASGI middleware in front of the editor: Host, token (query once, then cookie), and Origin."""

    def __init__(self, app: ASGIApp, *, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.hosts = allowed_hosts(port)
        self.origins = frozenset(f"http://{host}" for host in self.hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if headers.get("host", "") not in self.hosts:
            await _refuse(send, "Fel värdnamn: öppna redigeraren på adressen som sb edit skrev ut.")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            await self._exchange(scope, send, query)
            return
        if not hmac.compare_digest(_cookie(headers).encode(), self.token.encode()):
            await _refuse(send, "Ingen behörighet: öppna redigeraren med adressen som sb edit skrev ut.")
            return
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS and origin is not None and origin not in self.origins:
            await _refuse(send, "Formuläret kom från en annan webbplats och togs inte emot.")
            return
        await self.app(scope, receive, send)

    async def _exchange(self, scope: Scope, send: Send, query: dict[str, str]) -> None:
        """The token from the address becomes a cookie, and the address loses it (not in history)."""
        if not hmac.compare_digest(query["token"].encode(), self.token.encode()):
            await _refuse(send, "Fel nyckel i adressen: använd adressen som sb edit skrev ut.")
            return
        rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
        location = scope.get("path", "/") + (f"?{rest}" if rest else "")
        cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}


def _cookie(headers: dict[str, str]) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no cookie
        return ""
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else ""


async def _refuse(send: Send, message: str) -> None:
    body = (
        '<!doctype html><html lang="sv"><meta charset="utf-8"><title>Åtkomst nekad</title>'
        f"<main><h1>Åtkomst nekad</h1><p>{message}</p></main></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
