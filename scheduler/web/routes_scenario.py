"""Workspace and scenario pages: open, start from the template, upload, check, edit
(capacity, buddy leave, learners), start a solve."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ..errors import InputError, InputIssue
from ..io import load_scenario
from ..models import Scenario, month_ordinal, ordinal_month
from ..validate import screen
from ..words.messages import Msg
from ..words.web import texts
from .actions import scenario_file, start_run, variant_of
from .bench import Bench
from .edits import (
    preference_list,
    with_buddy_leave,
    with_learner,
    with_new_learner,
    without_learner,
)
from .planview import with_capacity
from .runs import reconcile
from .uploads import (
    MAX_UPLOAD_BYTES,
    TEMPLATE,
    import_upload,
    open_shipped,
    shipped_scenarios,
    start_from_template,
)
from .workspace import form_error

TABLE_ORDER = ("scenario", "calendar", "policy", "organisations", "departments", "buddies",
               "programmes", "learners", "pins", "")


def grouped_issues(issues: list[InputIssue]) -> list[tuple[str, list[InputIssue]]]:
    """Problems per table (in the scenario's order), each table's rows in order."""
    groups: dict[str, list[InputIssue]] = defaultdict(list)
    for issue in issues:
        groups[issue.table].append(issue)
    order = {name: i for i, name in enumerate(TABLE_ORDER)}
    return [(table, sorted(items, key=lambda i: (i.row or 0)))
            for table, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))]


def default_time_limit(learners: int) -> int:
    """Seconds offered in the form: 2 for a small region, up to 60 for a large one."""
    return max(2, min(60, learners // 20))


def register(app: FastAPI, bench: Bench) -> None:
    ws = bench.ws

    def home(request: Request, issues: list[InputIssue] | None = None,
             status: int = 200, issues_title: str = "upload_failed",
             template_name: str = "") -> Response:
        names = ws.names()
        t = texts(bench.lang(request))
        return bench.render(request, "home.html", http_status=status, names=names,
                            shipped=shipped_scenarios(),
                            template_name=template_name or ws.free_name(t["template_default"]),
                            issue_groups=grouped_issues(issues or []),
                            issues_title=t[issues_title])

    @app.get("/")
    def index(request: Request) -> Response:
        return home(request)

    @app.post("/open")
    async def open_scenario(request: Request) -> Response:
        form = await request.form()
        name = open_shipped(ws, str(form.get("shipped", "")))
        return _to(f"/s/{name}")

    @app.post("/template")
    async def from_template(request: Request) -> Response:
        form = await request.form()
        default = texts(bench.lang(request))["template_default"]
        typed = str(form.get("name", ""))
        try:
            name = start_from_template(ws, typed, default)
        except InputError as exc:  # the form again, with what was typed and what is wrong
            return home(request, exc.issues, status=400, issues_title="template_failed",
                        template_name=typed[:64])
        return _to(f"/s/{name}")

    @app.get("/template.{fmt}")
    def download_template(request: Request, fmt: str) -> Response:
        lang = bench.lang(request)
        return scenario_file(load_scenario(TEMPLATE), texts(lang)["template_file"], fmt,
                             dressed=lang)

    @app.post("/upload")
    async def upload(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES + 65536:
            issue = InputIssue("upload", Msg("upload_too_large", mb=MAX_UPLOAD_BYTES // 2**20))
            return home(request, [issue], status=413)
        form = await request.form(max_files=1, max_fields=4)
        item = form.get("file")
        if item is None or isinstance(item, str) or not item.filename:
            return home(request, [InputIssue("upload", Msg("upload_choose"))], status=400)
        data = await item.read(MAX_UPLOAD_BYTES + 1)
        try:
            name = import_upload(ws, item.filename, data)
        except InputError as exc:
            return home(request, exc.issues, status=400)
        return _to(f"/s/{name}")

    @app.get("/s/{name}")
    def scenario_page(request: Request, name: str) -> Response:
        scenario = bench.cache.scenario(ws.scenario_file(name))
        runs = [(run, reconcile(run, bench.runner)) for run in ws.runs(name)]
        return bench.render(
            request, "scenario.html", name=name, s=scenario, findings=screen(scenario),
            runs=runs, grid=capacity_grid(scenario), months=_months(scenario),
            time_limit=default_time_limit(len(scenario.learners)),
            saved=request.query_params.get("saved", ""), variant=variant_of(bench, name),
            done=_done_message(bench, request))

    @app.post("/s/{name}/capacity")
    async def change_capacity(request: Request, name: str) -> Response:
        form = await request.form()
        dept, first, last = (str(form.get(k, "")) for k in ("department", "first", "last"))
        try:
            places = int(str(form.get("capacity", "")))
        except ValueError:
            raise form_error(Msg("web.places_whole"), table="departments",
                             id=dept, field="capacity") from None
        ws.save(name, with_capacity(ws.load(name), dept, first, last, places))
        return _to(f"/s/{name}?saved={dept}:{first}:{last}:{places}")

    @app.post("/s/{name}/buddy-leave")
    async def change_buddy_leave(request: Request, name: str) -> Response:
        form = await request.form()
        buddy, first, last = (str(form.get(k, "")) for k in ("buddy", "first", "last"))
        away = str(form.get("action", "away")) != "back"
        ws.save(name, with_buddy_leave(ws.load(name), buddy, first, last, away))
        return _done(name, "leave" if away else "back", buddy)

    @app.post("/s/{name}/learner")
    async def change_learner(request: Request, name: str) -> Response:
        form = await request.form()
        learner = str(form.get("learner", ""))
        ws.save(name, with_learner(ws.load(name), learner, str(form.get("start", "")),
                                   preference_list(str(form.get("preferences", "")))))
        return _done(name, "learner", learner)

    @app.post("/s/{name}/learner/add")
    async def add_learner(request: Request, name: str) -> Response:
        form = await request.form()
        learner = str(form.get("learner", "")).strip()
        ws.save(name, with_new_learner(
            ws.load(name), learner, str(form.get("programme", "")), str(form.get("home", "")),
            str(form.get("start", "")), preference_list(str(form.get("preferences", "")))))
        return _done(name, "added", learner)

    @app.post("/s/{name}/learner/remove")
    async def remove_learner(request: Request, name: str) -> Response:
        form = await request.form()
        learner = str(form.get("learner", ""))
        ws.save(name, without_learner(ws.load(name), learner))
        return _done(name, "removed", learner)

    @app.post("/s/{name}/solve")
    async def start_solve(request: Request, name: str) -> Response:
        form = await request.form()
        run = start_run(bench, name, form.get("time_limit"), baseline=None)
        return _to(f"/s/{name}/r/{run.id}")

    @app.get("/s/{name}/scenario.{fmt}")
    def download_scenario(name: str, fmt: str) -> Response:
        return scenario_file(ws.load(name), name, fmt)


def capacity_grid(scenario: Scenario) -> list[tuple[Any, list[tuple[int, bool]]]]:
    """Per department: (capacity, changed for that month?) for every month of the window."""
    months = _months(scenario)
    return [(d, [(d.capacity_in(m), m in d.capacity_by_month) for m in months])
            for d in scenario.departments]


def _months(scenario: Scenario) -> list[str]:
    first = month_ordinal(scenario.calendar.start)
    return [ordinal_month(first + i) for i in range(scenario.calendar.months)]


DONE = ("leave", "back", "learner", "added", "removed")


def _done_message(bench: Bench, request: Request) -> str:
    """The sentence for ``?done=…&id=…`` (the template escapes it), or ""."""
    what = request.query_params.get("done", "")
    if what not in DONE:
        return ""
    sentence = texts(bench.lang(request))[f"done_{what}"]
    return sentence.format(id=request.query_params.get("id", "")[:60])


def _done(name: str, what: str, id: str) -> Response:
    """Back to the scenario page, which says what was saved (``done_*`` in the strings)."""
    return _to(f"/s/{name}?{urlencode({'done': what, 'id': id[:60]})}")


def _to(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
