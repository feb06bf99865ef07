"""Who may talk to the workbench: the Host it was started for, same-origin changes, a token
when it listens beyond this computer.

* Every request's ``Host`` must be the address the server was started on (or ``localhost``
  for 127.0.0.1): a web page elsewhere cannot reach it through a DNS name of its own.
* Every request that changes something (POST) must come from the workbench's own pages:
  its ``Origin`` (or, failing that, ``Referer``) is the server's own address.
* Bound to anything but the loopback address, every request needs the token printed at
  start: once as ``?token=…`` (it then lives in a same-site, http-only cookie).
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

TOKEN_COOKIE = "bench_token"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard:
    def __init__(self, host: str, port: int, token: str | None) -> None:
        self.token = token
        self.port = port
        names = {host}
        if is_loopback(host):
            names |= {"127.0.0.1", "localhost", "[::1]"}
        self.hosts = {f"{n}:{port}" for n in names} | (names if port == 80 else set())
        self.any_host = host in ("0.0.0.0", "::")

    def host_ok(self, request: Request) -> bool:
        given = request.headers.get("host", "")
        return self.any_host or given in self.hosts

    def same_origin(self, request: Request) -> bool:
        source = request.headers.get("origin") or request.headers.get("referer") or ""
        if not source or source == "null":
            return False
        parts = urlsplit(source)
        return parts.scheme == "http" and parts.netloc == request.headers.get("host", "")

    def token_ok(self, request: Request) -> bool:
        if self.token is None:
            return True
        given = request.cookies.get(TOKEN_COOKIE) or request.query_params.get("token") or ""
        return secrets.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not self.host_ok(request):
            return PlainTextResponse("unknown host", status_code=421)
        if not self.token_ok(request):
            return PlainTextResponse("this workbench needs the token printed at its start "
                                     "(open the address with ?token=...)", status_code=403)
        if request.method not in ("GET", "HEAD") and not self.same_origin(request):
            return PlainTextResponse("refused: a change must come from the workbench's own "
                                     "page (same origin)", status_code=403)
        if self.token and request.query_params.get("token"):
            response: Response = RedirectResponse(request.url.path, status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            return response
        return await call_next(request)
