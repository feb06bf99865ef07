"""The workbench's web application: FastAPI routes rendering Jinja2 pages (autoescaped).

Pages: ``/`` (workspace: shipped scenarios, uploads, scenarios), ``/s/NAME`` (a scenario:
checks, capacities, plans), ``/s/NAME/r/ID`` (a plan: progress, KPIs, Gantt, moves,
re-plan, downloads). State lives in the workspace folder, so a restart finds it again.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..errors import InputError
from .cache import Cache, warm
from .runs import Runner
from .security import Guard
from .strings import LANGS, texts
from .workspace import Workspace

HERE = Path(__file__).resolve().parent
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


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def create_app(workspace: Path, *, host: str = "127.0.0.1", port: int = 8000,
               token: str | None = None) -> FastAPI:
    pages = Environment(loader=FileSystemLoader(HERE / "templates"),
                        autoescape=select_autoescape(default=True, default_for_string=True))
    bench = Bench(Workspace(workspace), Runner(), pages, Cache())
    bench.runner.on_plan = lambda run: bench.cache.gantt_json(run)  # ready when opened

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        bench.runner.warm_up()
        threading.Thread(target=warm, args=(bench.cache, bench.ws), daemon=True).start()
        yield
        bench.runner.shutdown()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.bench = bench
    app.middleware("http")(Guard(host, port, token))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return bench.render(request, "error.html", http_status=400, issues=exc.issues)

    from . import routes_plan, routes_scenario, routes_variant

    routes_scenario.register(app, bench)
    routes_plan.register(app, bench)
    routes_variant.register(app, bench)
    return app
