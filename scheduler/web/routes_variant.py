"""What-if in the page: a variant of a scenario (extra places), both solved side by side,
and their KPI deltas and moves (``scheduler.variants`` and ``scheduler.compare``, as
``scheduler whatif`` uses them)."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ..compare import build_comparison, read_plan_dir
from ..io import atomic_write_text
from ..variants import apply_changes
from ..words import LANGUAGES
from ..words.messages import text_of
from .actions import start_run, variant_of
from .bench import Bench
from .runs import reconcile
from .workspace import Run, form_error


def _newest(bench: Bench, name: str) -> Run | None:
    runs = bench.ws.runs(name)
    return runs[0] if runs else None


def register(app: FastAPI, bench: Bench) -> None:
    ws = bench.ws

    @app.post("/s/{name}/variant")
    async def make_variant(request: Request, name: str) -> Response:
        form = await request.form()
        dept, first, last = (str(form.get(k, "")) for k in ("department", "first", "last"))
        try:
            amount = int(str(form.get("amount", "")))
        except ValueError:
            raise form_error("extra places must be a whole number", field="amount") from None
        change = {"add_capacity": {"department": dept, "amount": amount,
                                   "from": first, "to": last}}
        base = ws.load(name)
        label = f"{base.name or name} + {amount} {dept} {first}/{last}"
        scenario, notes = apply_changes(base, [change], "variant", name=label)
        new = ws.free_name(f"{name}-variant")
        ws.folder(new).mkdir(parents=True)
        ws.save(new, scenario)
        doc = {"base": name, "changes": [change], "notes": notes,
               "texts": {lang: [text_of(n, lang) for n in notes] for lang in LANGUAGES}}
        atomic_write_text(ws.folder(new) / "variant.json", json.dumps(doc, indent=2) + "\n")
        return RedirectResponse(f"/s/{new}", status_code=303)

    @app.post("/s/{name}/solve-both")
    async def solve_both(request: Request, name: str) -> Response:
        form = await request.form()
        doc = variant_of(bench, name)
        if doc is None:
            raise form_error(f"'{name}' is not a variant")
        start_run(bench, doc["base"], form.get("time_limit"), baseline=None)
        start_run(bench, name, form.get("time_limit"), baseline=None)
        return RedirectResponse(f"/s/{name}/compare", status_code=303)

    @app.get("/s/{name}/compare")
    def compare(request: Request, name: str) -> Response:
        doc = variant_of(bench, name)
        if doc is None:
            raise form_error(f"'{name}' is not a variant")
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
