"""What-if in the page: a variant of a scenario (extra places, a buddy's leave, more
learners, or a checked suggestion of `explain`), both solved side by side,
and their KPI deltas and moves (``scheduler.variants`` and ``scheduler.compare``, as
``scheduler whatif`` uses them)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ..compare import build_comparison, read_plan_dir
from ..explain_variants import change_text
from ..io import atomic_write_text
from ..variants import apply_changes, read_variant_doc
from ..words import LANGUAGES
from ..words.messages import Msg, text_of
from .actions import start_run, variant_of
from .bench import Bench
from .runs import reconcile
from .suggestions import outcome_text, suggestion, variant_file
from .workspace import Run, form_error


def _newest(bench: Bench, name: str) -> Run | None:
    runs = bench.ws.runs(name)
    return runs[0] if runs else None


def variant_change(form: Any) -> dict[str, Any]:
    """The variant form's change as a variant file's operation:
    extra places (``add_capacity``), a buddy's leave (``buddy_unavailable``) or more
    learners like an existing programme and start (``add_learners``)."""
    kind = str(form.get("kind", "capacity"))
    first, last = str(form.get("first", "")), str(form.get("last", ""))
    if kind == "leave":
        buddy = str(form.get("buddy", ""))
        return {"buddy_unavailable": {"buddy": buddy, "from": first, "to": last}}
    if kind == "learners":
        count = _whole(form.get("count"), "count", 1, 500)
        programme, start = str(form.get("programme", "")), str(form.get("start", ""))
        args: dict[str, Any] = {"count": count, "programme": programme, "start": start}
        home = str(form.get("home", ""))
        if home:
            args["home"] = home
        return {"add_learners": args}
    if kind != "capacity":
        raise form_error(Msg("web.unknown_variant_kind", kind=kind[:20]), field="kind")
    dept = str(form.get("department", ""))
    amount = _whole(form.get("amount"), "amount", -99, 99)
    return {"add_capacity": {"department": dept, "amount": amount, "from": first, "to": last}}


def _whole(value: Any, field: str, lo: int, hi: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise form_error(Msg("web.whole_number", field=field), field=field) from None
    if not lo <= number <= hi:
        raise form_error(Msg("web.between", field=field, lo=lo, hi=hi), field=field)
    return number


def new_variant(bench: Bench, name: str, changes: list[dict[str, Any]], label: str,
                **extra: Any) -> str:
    """A new scenario beside ``name``: its current scenario with ``changes`` applied by
    the variant files' own code (``scheduler.variants``), and variant.json saying so."""
    ws = bench.ws
    scenario, notes = apply_changes(ws.load(name), changes, "variant", name=label[:200])
    new = ws.free_name(f"{name}-variant")
    ws.folder(new).mkdir(parents=True)
    ws.save(new, scenario)
    doc = {"base": name, "changes": changes, "notes": notes,
           "texts": {lang: [text_of(n, lang) for n in notes] for lang in LANGUAGES}, **extra}
    atomic_write_text(ws.folder(new) / "variant.json", json.dumps(doc, indent=2) + "\n")
    return new


def solve_pair(bench: Bench, base: str, variant: str, limit: Any) -> None:
    """Base and variant solved side by side (two children), as `whatif` solves them."""
    start_run(bench, base, limit, baseline=None)
    start_run(bench, variant, limit, baseline=None)


def register(app: FastAPI, bench: Bench) -> None:
    ws = bench.ws

    @app.post("/s/{name}/variant")
    async def make_variant(request: Request, name: str) -> Response:
        form = await request.form()
        change = variant_change(form)
        base = ws.load(name)
        words = change_text(change, bench.lang(request))
        new = new_variant(bench, name, [change], f"{base.name or name}: {words}")
        return RedirectResponse(f"/s/{new}", status_code=303)

    @app.post("/s/{name}/r/{rid}/suggestion/{rank}")
    async def suggestion_variant(request: Request, name: str, rid: str, rank: int) -> Response:
        """A checked suggestion of `explain` as a variant of the scenario (its variant
        file's changes, as `whatif` reads them), then base and variant solved side by side."""
        form = await request.form()
        run = ws.run(name, rid)
        path = variant_file(run, rank)
        doc, sug = suggestion(run, rank)
        changes = read_variant_doc(path)["changes"] if path else sug["changes"]
        lang = bench.lang(request)
        words = "; ".join(change_text(c, lang) for c in changes)
        base = ws.load(name)
        new = new_variant(bench, name, changes, f"{base.name or name}: {words}",
                          suggestion={"run": rid, "rank": rank,
                                      "outcome": {k: outcome_text(doc, sug, k)
                                                  for k in LANGUAGES}})
        solve_pair(bench, name, new, form.get("time_limit"))
        return RedirectResponse(f"/s/{new}/compare", status_code=303)

    @app.post("/s/{name}/solve-both")
    async def solve_both(request: Request, name: str) -> Response:
        form = await request.form()
        doc = variant_of(bench, name)
        if doc is None:
            raise form_error(Msg("web.not_variant", name=name))
        solve_pair(bench, doc["base"], name, form.get("time_limit"))
        return RedirectResponse(f"/s/{name}/compare", status_code=303)

    @app.get("/s/{name}/compare")
    def compare(request: Request, name: str) -> Response:
        doc = variant_of(bench, name)
        if doc is None:
            raise form_error(Msg("web.not_variant", name=name))
        runs = [_newest(bench, doc["base"]), _newest(bench, name)]
        states = [reconcile(r, bench.runner).get("state") if r else None for r in runs]
        ready = all(r is not None and r.kpis_path.is_file() for r in runs) \
            and "running" not in states
        comparison = None
        if ready:
            dirs = [read_plan_dir(r.plan_dir, label) for r, label in
                    zip(runs, (doc["base"], name), strict=True) if r is not None]
            comparison = build_comparison(dirs, bench.lang(request))
        return bench.render(request, "compare.html", name=name, base=doc["base"], doc=doc,
                            runs=runs, states=states, running="running" in states,
                            comparison=comparison)
