"""The workbench's web application: FastAPI routes rendering Jinja2 pages (autoescaped).

Pages: ``/`` (workspace: shipped scenarios, the starter template, uploads, scenarios),
``/s/NAME`` (a scenario: checks, capacities, plans), ``/s/NAME/r/ID`` (a plan: progress,
KPIs, Gantt, moves, re-plan, downloads). State lives in the workspace folder, so a restart
finds it again.
"""

from __future__ import annotations

import json
import threading
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..errors import InputError
from ..explain_variants import change_text
from ..words.explain import reason_text
from ..words.format import pct, short, signed
from ..words.progress import status_word
from ..words.web import issue_line
from . import routes_plan, routes_scenario, routes_variant
from .bench import Bench
from .cache import Cache, warm
from .runs import Entry, Runner
from .security import Guard
from .workspace import Workspace

HERE = Path(__file__).resolve().parent


def _change_text(change: dict, lang: str) -> str:
    """A variant's change in words (explain's sentences for variant operations)."""
    try:
        return change_text(change, lang)
    except (KeyError, ValueError, TypeError):  # an operation without a sentence
        return json.dumps(change, ensure_ascii=False)


def _compile(pages: Environment) -> None:
    """Compile the pages at start (about 0.1 s), not on the first visit of each."""
    for name in pages.list_templates():
        pages.get_template(name)


def create_app(workspace: Path, entry: Entry, *, host: str = "127.0.0.1", port: int = 8000,
               token: str | None = None) -> FastAPI:
    """The app; solves run ``entry`` (the command line's main) in child processes."""
    pages = Environment(loader=FileSystemLoader(HERE / "templates"),
                        autoescape=select_autoescape(default=True, default_for_string=True))
    pages.filters.update(num=short, signed=partial(signed, plus_zero=True), pct=pct,
                         status_word=status_word,
                         reason=reason_text, change=_change_text,
                         issue=issue_line)
    bench = Bench(Workspace(workspace), Runner(entry), pages, Cache())
    bench.runner.on_plan = lambda run: bench.cache.gantt_json(run)  # ready when opened

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        bench.runner.warm_up()
        threading.Thread(target=warm, args=(bench.cache, bench.ws), daemon=True).start()
        threading.Thread(target=_compile, args=(pages,), daemon=True).start()
        yield
        bench.runner.shutdown()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.bench = bench
    app.middleware("http")(Guard(host, port, token))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return bench.render(request, "error.html", http_status=400, issues=exc.issues)

    routes_scenario.register(app, bench)
    routes_plan.register(app, bench)
    routes_variant.register(app, bench)
    return app
