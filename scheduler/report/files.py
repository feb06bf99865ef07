"""Render the pictures, plan.xlsx and report.html of a plan directory.

``write_reports`` is called by the plan-directory writer inside its staging folder;
``redraw`` (``scheduler plot DIR``) re-renders an existing plan directory from
kpis.json + plan.csv + the scenario, each file replaced atomically.

Large plans render their Gantt pages and the workbook in a few forked worker
processes (Linux, single-threaded caller only); small ones render in-process.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import atomic_write_bytes, atomic_write_text, load_scenario, read_plan_csv
from ..io.scenario_schema import CellError, read_input_bytes
from ..models import Plan, Scenario
from ..plot.data import Group, Page
from ..words.messages import Msg
from ..words.report import text_for
from .context import ReportContext
from .html import Picture, read_pseudonymised, report_html

GANTT = "gantt-learners.png"
ORGANISATIONS = "gantt-organisations.png"
DEPARTMENTS = "gantt-departments.png"
OCCUPANCY = "occupancy.png"
WORKBOOK = "plan.xlsx"
REPORT = "report.html"
PAGE_NAME = "gantt-learners-{n}.png"
PRINT_NAME = "print-gantt-{n}.png"  # embedded in report.html for paper only; no file
PAPER_NAME = "print-{what}-{n}.png"  # a part of a tall picture for paper; no file either
PAPER_OF = {"overview": GANTT, "organisations": ORGANISATIONS, "departments": DEPARTMENTS,
            "occupancy": OCCUPANCY}  # the part's picture on screen
EMBED_PAGES_MAX = 12  # more pages than this are listed in report.html, not embedded
PARALLEL_MIN_LEARNERS = 400


@dataclass(frozen=True)
class Job:
    kind: str  # overview, page, organisations, departments, occupancy, workbook, print,
    # paper-overview, paper-organisations, paper-departments, paper-occupancy
    name: str  # file written
    page: int = 0


_CTX: ReportContext | None = None  # the context a forked worker renders from
_PAGES: list[Page] = []


def _png(fig: Any) -> bytes:
    from ..plot import DPI

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _page_title(ctx: ReportContext, pages: list[Page], k: int) -> str:
    firsts = sum(p.learners for p in pages[:k])
    return ctx.text("gantt_page", page=k + 1, pages=len(pages), first=firsts + 1,
                    last=firsts + pages[k].learners, n=sum(p.learners for p in pages))


def _render_forked(job: Job) -> tuple[str, bytes]:
    """In a forked worker: render from the context inherited from the parent."""
    assert _CTX is not None
    return _render(job, _CTX, _PAGES)


def _render(job: Job, ctx: ReportContext, pages: list[Page]) -> tuple[str, bytes]:
    """One output file as bytes."""
    from .. import plot

    s, p, t = ctx.scenario, ctx.plan, ctx.text
    if job.kind == "workbook":
        from .workbook import workbook_bytes

        return job.name, workbook_bytes(ctx)
    if job.kind == "print":
        from ..plot.gantt_print import print_figure

        ppages = ctx.print_pages
        title = t["gantt_title"] if len(ppages) == 1 else _page_title(ctx, ppages, job.page)
        fig = print_figure(s, p, ppages[job.page], title=title, reasons=ctx.reasons, text=t,
                           months=ctx.months)
    elif job.kind.startswith("paper-"):
        what = job.kind.removeprefix("paper-")
        if what == "overview":
            fig = plot.gantt_overview(s, p, pages=len(pages), text=t, months=ctx.months,
                                      part=job.page)
        elif what == "occupancy":
            fig = plot.occupancy_figure(s, p, occ=ctx.occupancy, text=t, part=job.page)
        else:
            fig = plot.gantt_organisations(s, p, departments=what == "departments",
                                           occ=ctx.occupancy, text=t, part=job.page)
    elif job.kind == "page":
        title = _page_title(ctx, pages, job.page) if len(pages) > 1 else t["gantt_title"]
        fig = plot.gantt_learners_figure(s, p, page=pages[job.page], title=title,
                                         reasons=ctx.reasons, text=t, months=ctx.months)
    elif job.kind == "overview":
        fig = plot.gantt_overview(s, p, pages=len(pages), text=t, months=ctx.months)
    elif job.kind in ("organisations", "departments"):
        fig = plot.gantt_organisations(s, p, departments=job.kind == "departments",
                                       occ=ctx.occupancy, text=t)
    else:
        fig = plot.occupancy_figure(s, p, occ=ctx.occupancy, text=t)
    return job.name, _png(fig)


def _jobs(ctx: ReportContext, pages: list[Page]) -> list[Job]:
    jobs = [Job("workbook", WORKBOOK)]
    if len(pages) > 1:
        jobs.append(Job("overview", GANTT))
        jobs += [Job("page", PAGE_NAME.format(n=k + 1), k) for k in range(len(pages))]
    else:
        jobs.append(Job("page", GANTT, 0))
    jobs += [Job("organisations", ORGANISATIONS), Job("occupancy", OCCUPANCY)]
    if ctx.departments:
        jobs.append(Job("departments", DEPARTMENTS))
    jobs += [Job("print", PRINT_NAME.format(n=k + 1), k) for k in range(len(ctx.print_pages))]
    for what in _paper_pictures(ctx, pages):
        jobs += [Job(f"paper-{what}", PAPER_NAME.format(what=what, n=k + 1), k)
                 for k in range(len(ctx.paper_parts[what]))]
    return jobs


def _paper_pictures(ctx: ReportContext, pages: list[Page]) -> list[str]:
    """The pictures printed in parts: every tall one; the overview of the Gantt chart
    only when the chart itself is too long for paper (and the pages are screen-only)."""
    out = ["overview"] if len(pages) > 1 and not ctx.print_pages else []
    return out + [w for w in ("organisations", "departments", "occupancy")
                  if w in ctx.paper_parts]


def _workers(ctx: ReportContext) -> int:
    """Forked workers for large plans; 1 (in-process) when forking is not safe or useful."""
    if len(ctx.plan.by_learner) < PARALLEL_MIN_LEARNERS:
        return 1
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    if multiprocessing.current_process().daemon:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _worker_signals() -> None:
    """A forked worker inherits the parent's "finish writing first" SIGTERM handler, which
    would make it ignore the pool's own SIGTERM at the end (the pool then waits for it
    forever: seen with 400 learners). Workers die on SIGTERM; Ctrl-C is the parent's."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def render_pool(workers: int) -> Any:
    """The forked pool the large plans render in (workers reset their signals)."""
    return multiprocessing.get_context("fork").Pool(workers, _worker_signals)


def _render_all(ctx: ReportContext, pages: list[Page]) -> Iterator[tuple[str, bytes]]:
    global _CTX, _PAGES
    jobs = _jobs(ctx, pages)
    workers = min(_workers(ctx), len(jobs))
    if workers <= 1:
        for job in jobs:
            yield _render(job, ctx, pages)
        return
    _ = (ctx.months, ctx.occupancy, ctx.reasons, ctx.print_pages,  # once, before forking
         ctx.paper_parts)
    _CTX, _PAGES = ctx, pages  # inherited by the forked workers (caller is single-threaded)
    try:
        with render_pool(workers) as pool:
            yield from pool.imap_unordered(_render_forked, jobs, chunksize=1)
    finally:
        _CTX, _PAGES = None, []


def _group_label(group: Group) -> str:
    return "–" if group.unplaced else f"{group.programme} · {group.home or '–'}"


def write_reports(
    folder: Path,
    scenario: Scenario,
    plan: Plan,
    kpis: dict[str, Any],
    *,
    lang: str = "nl",
    pseudonymise: bool = False,
    departments: bool = False,
    page_size: int | None = None,
) -> list[Path]:
    """Write the pictures, plan.xlsx and report.html into ``folder``; return their paths.

    Learner names never appear in the pictures; without ``pseudonymise`` they appear in
    plan.xlsx and report.html next to the ids, with it only ids do. Above ``page_size``
    learners (default :data:`scheduler.plot.PAGE_SIZE`) the Gantt chart is paged into
    gantt-learners-1.png, … and gantt-learners.png is an aggregated overview.
    """
    from ..plot import PAGE_SIZE, learner_pages

    folder = Path(folder)
    size = page_size or PAGE_SIZE
    ctx = ReportContext(scenario, plan, kpis, text_for(lang), pseudonymise, departments)
    pages = learner_pages(scenario, plan, size)
    written: dict[str, bytes] = {}
    printed: dict[str, bytes] = {}
    for name, data in _render_all(ctx, pages):
        if name.startswith("print-"):
            printed[name] = data
            continue
        atomic_write_bytes(folder / name, data)
        written[name] = data
    paged = len(pages) > 1
    _remove_stale_pages(folder, len(pages) if paged else 0)
    html = report_html(ctx, _pictures(ctx, written), _page_pictures(ctx, written, pages),
                       _paged_note(ctx, pages, size) if paged else "",
                       _printed(ctx, pages, printed))
    atomic_write_text(folder / REPORT, html)
    return [folder / n for n in sorted(written)] + [folder / REPORT]


def _printed(ctx: ReportContext, pages: list[Page],
             printed: dict[str, bytes]) -> dict[str, list[Picture]]:
    """The pictures for paper, by the name of the picture they stand for on screen."""
    t = ctx.text
    out: dict[str, list[Picture]] = {}
    if ctx.print_pages:
        out[GANTT] = [Picture(PRINT_NAME.format(n=k + 1), "", printed[PRINT_NAME.format(
            n=k + 1)]) for k in range(len(ctx.print_pages))]
    for what in _paper_pictures(ctx, pages):
        parts = ctx.paper_parts[what]
        shown = _part_rows(ctx, what)
        out[PAPER_OF[what]] = []
        for k, rows in enumerate(parts):
            caption = t("part_of", part=k + 1, parts=len(parts)) if len(parts) > 1 else ""
            if rows and shown:
                caption += (": " if caption else "") + ", ".join(shown[i] for i in rows)
            name = PAPER_NAME.format(what=what, n=k + 1)
            out[PAPER_OF[what]].append(Picture(PAPER_OF[what], "", printed[name], caption))
    return out


def _part_rows(ctx: ReportContext, what: str) -> list[str]:
    """The ids of the panels or rows a part shows (none for the overview)."""
    from ..plot.occupancy import DEPARTMENT_ROWS_MAX

    orgs = [o.id for o in ctx.scenario.organisations]
    if what == "organisations":
        return orgs
    if what == "departments":
        return list(ctx.occupancy.departments)
    if what == "occupancy":
        by_dept = len(ctx.occupancy.departments) <= DEPARTMENT_ROWS_MAX
        return list(ctx.occupancy.departments) if by_dept else orgs
    return []


def _pictures(ctx: ReportContext, written: dict[str, bytes]) -> list[Picture]:
    t = ctx.text
    from ..plot.occupancy import DEPARTMENT_ROWS_MAX

    by_dept = len(ctx.scenario.departments) <= DEPARTMENT_ROWS_MAX
    what = t["occ_department" if by_dept else "occ_organisation"]
    titles = [(GANTT, t["gantt_title"]), (ORGANISATIONS, t["orgs_title"]),
              (DEPARTMENTS, t["depts_title"]), (OCCUPANCY, t("occupancy_title", what=what))]
    return [Picture(name, title, written[name]) for name, title in titles if name in written]


def _page_pictures(ctx: ReportContext, written: dict[str, bytes],
                   pages: list[Page]) -> list[Picture]:
    if len(pages) <= 1:
        return []
    embed = len(pages) <= EMBED_PAGES_MAX
    out = []
    for k, page in enumerate(pages):
        name = PAGE_NAME.format(n=k + 1)
        groups = ", ".join(dict.fromkeys(_group_label(g) for g, _, _ in page.blocks))
        out.append(Picture(name, ctx.text("page_label", page=k + 1, groups=groups),
                           written[name] if embed else None, caption=groups))
    return out


def _paged_note(ctx: ReportContext, pages: list[Page], size: int) -> str:
    note = ctx.text("paged_note", n=sum(p.learners for p in pages), pages=len(pages),
                    size=size)
    if len(pages) > EMBED_PAGES_MAX:
        note += " " + ctx.text("pages_not_embedded", max=EMBED_PAGES_MAX)
    return note


def _remove_stale_pages(folder: Path, keep: int) -> None:
    """Pages of an earlier, longer rendering would contradict the new one."""
    pattern = re.compile(r"^gantt-learners-(\d+)\.png$")
    for path in folder.glob("gantt-learners-*.png"):
        match = pattern.match(path.name)
        if match and int(match.group(1)) > keep:
            path.unlink(missing_ok=True)


# ----- scheduler plot DIR ------------------------------------------------------------------
def _read_kpis(plan_dir: Path) -> dict[str, Any]:
    path = plan_dir / "kpis.json"
    if not path.exists():
        raise InputError(Msg("report_no_kpis", folder=plan_dir), file=str(plan_dir))
    try:  # bounded, regular files only; ValueError: also a number of 5,000 digits
        doc = json.loads(read_input_bytes(path, "kpis.json").decode("utf-8"))
    except (CellError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.message if isinstance(exc, CellError) else str(exc)
        raise InputError(Msg("kpis_unreadable", reason=reason), file=str(path)) from None
    if not isinstance(doc, dict):
        raise InputError(Msg("kpis_not_object"), file=str(path))
    return doc


def _scenario_path(plan_dir: Path, kpis: dict[str, Any], given: Path | None) -> Path:
    if given is not None:
        if not given.is_file():
            raise InputError(Msg("scenario_not_found_at", path=given), file=str(given))
        return given
    named = kpis.get("scenario_file")
    if not named:
        raise InputError(Msg("kpis_no_scenario"), file=str(plan_dir / "kpis.json"))
    path = Path(str(named))
    if not path.is_absolute():
        path = plan_dir / path
    if not path.is_file():
        raise InputError(Msg("kpis_scenario_gone", path=path), file=str(plan_dir / "kpis.json"))
    return path


def _check_matches(scenario: Scenario, plan: Plan, plan_file: Path) -> None:
    learners = sorted(set(plan.by_learner) - set(scenario.learner))
    depts = sorted({r.department for r in plan.rows if r.department} - set(scenario.department))
    problems = []
    if learners:
        problems.append(Msg("plan_other_learners", ids=", ".join(learners[:10])))
    if depts:
        problems.append(Msg("plan_other_departments", ids=", ".join(depts[:10])))
    if problems:
        both = problems[0] if len(problems) == 1 else \
            Msg("two_parts", first=problems[0], second=problems[1])
        raise InputError(Msg("plan_other_scenario", problems=both), file=str(plan_file))


def redraw(
    plan_dir: Path,
    *,
    scenario: Path | None = None,
    lang: str = "nl",
    pseudonymise: bool = False,
    departments: bool = False,
    allow_outside: bool = False,
) -> int:
    """Re-render the pictures, plan.xlsx and report.html of ``plan_dir``; exit code 0.

    A plan directory first written with --pseudonymise stays pseudonymised.
    ``allow_outside``: the scenario's CSV tables may lie outside its folder.
    """
    plan_dir = Path(plan_dir)
    if not plan_dir.is_dir():
        raise InputError(Msg("plan_dir_not_found", path=plan_dir), file=str(plan_dir))
    kpis = _read_kpis(plan_dir)
    plan_file = plan_dir / "plan.csv"
    if not plan_file.is_file():
        raise InputError(Msg("plan_dir_no_csv", folder=plan_dir), file=str(plan_dir))
    scen = load_scenario(_scenario_path(plan_dir, kpis, scenario), allow_outside=allow_outside)
    plan = read_plan_csv(plan_file)
    _check_matches(scen, plan, plan_file)
    report = plan_dir / REPORT
    if not pseudonymise and report.is_file():
        pseudonymise = read_pseudonymised(report.read_text(encoding="utf-8", errors="replace"))
        if pseudonymise:
            print("the plan was written with --pseudonymise: redrawn with ids only",
                  file=sys.stderr)
    paths = write_reports(plan_dir, scen, plan, kpis, lang=lang, pseudonymise=pseudonymise,
                          departments=departments)
    print(f"redrew {len(paths)} files in {plan_dir}")
    return 0


__all__ = ["redraw", "write_reports"]
