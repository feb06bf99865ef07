"""What every route of the workbench needs: the workspace, the solve runner, the page
templates and the cache, and how a page is rendered in the visitor's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from ..words.web import LANGS, texts
from .cache import Cache
from .runs import Runner
from .workspace import Workspace

LANG_COOKIE = "bench_lang"


@dataclass
class Bench:
    """What every route needs: the workspace, the solve runner and the page templates."""

    ws: Workspace
    runner: Runner
    pages: Environment
    cache: Cache

    def lang(self, request: Request) -> str:
        given = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "nl"
        return given if given in LANGS else "nl"

    def render(self, request: Request, template: str, http_status: int = 200,
               **context: Any) -> HTMLResponse:
        lang = self.lang(request)
        page = self.pages.get_template(template).render(
            t=texts(lang), lang=lang, other="en" if lang == "nl" else "nl",
            path=request.url.path, workspace=str(self.ws.root), **context)
        response = HTMLResponse(page, status_code=http_status)
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, samesite="strict")
        return response
