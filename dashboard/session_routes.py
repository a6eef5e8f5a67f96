"""The routes that set and clear the session cookie (a page cannot: its script talks to the browser over a
websocket), shared by the ward's dashboard (dashboard/server.py) and the city's (dashboard/city_server.py).

The cookie is signed, HttpOnly, SameSite=Strict and expires with the idle timeout; what it is worth is
decided on the server (warehouse/sessions.py), for the accounts of DOTHIXANH_HOME.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from warehouse.sessions import COOKIE, Sessions, idle_seconds
from warehouse.store import default_home


def _secure(request: Request) -> bool:
    """Behind the ward's reverse proxy (HTTPS), the cookie is for HTTPS only."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _with_cookie(request: Request, session_id: str, store: Sessions) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE,
        store.cookie_value(session_id),
        max_age=idle_seconds(),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


def _without_cookie(request: Request) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


async def start_session(request: Request) -> Response:
    """A page's one-time token (sent right after signing in) traded for the cookie."""
    store = Sessions(default_home())
    token = (await request.body()).decode(errors="replace").strip()[:200]
    session_id = store.redeem(token, idle_seconds()) if token else None
    if session_id is None:
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
    return _with_cookie(request, session_id, store)


async def refresh_session(request: Request) -> Response:
    """The cookie again with a full idle timeout, while its session lives (pages ask as people work)."""
    store = Sessions(default_home())
    session_id = store.session_of_cookie(request.cookies.get(COOKIE))
    if session_id is None or store.ends_at(session_id, idle_seconds()) is None:
        return _without_cookie(request)
    return _with_cookie(request, session_id, store)


async def end_session(request: Request) -> Response:
    """Sign out: the session ends on the server (every tab that holds it), the cookie goes."""
    store = Sessions(default_home())
    store.revoke(store.session_of_cookie(request.cookies.get(COOKIE)))
    return _without_cookie(request)


ROUTES = [
    Route("/auth/session", start_session, methods=["POST"]),
    Route("/auth/refresh", refresh_session, methods=["POST"]),
    Route("/auth/signout", end_session, methods=["POST"]),
]
