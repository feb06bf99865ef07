"""report.html: one self-contained page a coordinator can mail or print.

Key figures first (placed/unplaced with reasons, preferences, fair share, travel, buddy
changes, the plan's quality in words), then the pictures (embedded as base64 data URIs; no
network), then tables, then the solver's figures (objective, bound, gap) as details.
Every value from a file is HTML-escaped; no script.

Printed (A4): the key figures on portrait pages, pictures and tables on landscape pages
(the named page ``wide``), folded sections printed open (CSS ``::details-content``, which
current Chromium, Firefox and Safari apply), table headers repeated on every page, the
department table in blocks of twelve months so that each fits across a page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape
from typing import Any

from ..models import RowStatus, ordinal_month
from .context import ReportContext
from .workbook import detail_rows, kpi_rows

PSEUDONYMISED_META = "scheduler:pseudonymised"
LEARNER_TABLE_OPEN_MAX = 200  # the learners table starts folded above this many rows

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:24px;
color:#1a1a1a;max-width:1600px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;border-bottom:2px solid #0072B2;
padding-bottom:3px;margin-top:32px}h3{font-size:1.05em;margin:20px 0 6px}
.sub{color:#555;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:10px}
.card{border:1px solid #ccc;border-radius:6px;padding:8px 12px;background:#fafafa}
.card .label{font-size:.85em;color:#555}.card .value{font-size:1.35em;font-weight:600}
.card .note{font-size:.8em;color:#666}
.card.bad{border-color:#D55E00;background:#fff4ec}
table{border-collapse:collapse;font-size:.85em;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eee;position:sticky;top:0}td.num{text-align:right}
td.full{font-weight:700}td.over{background:#fbd3bd}
figure{margin:12px 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.85em;color:#555}
.note{font-size:.9em;color:#444}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
.print-only{display:none}
@page{size:A4;margin:12mm 11mm 14mm}
@page wide{size:A4 landscape;margin:10mm 11mm 12mm}
@media print{
body{margin:0;max-width:none;font-size:9pt}
summary{display:none}details{display:block}
details::details-content{content-visibility:visible;display:contents}
thead{display:table-header-group}tr,figure,.card,.pic{break-inside:avoid}
th{position:static}table{font-size:8pt}
.wide{page:wide}figure{margin:4px 0}figure img{max-height:160mm;max-width:100%;border:0}
.cards{grid-template-columns:repeat(4,1fr)}h2{break-after:avoid}h3{break-after:avoid}
.print-only{display:block}.screen-only{display:none!important}}
"""
MONTHS_PER_TABLE = 12  # the department table in blocks of a year: it fits a page across


@dataclass(frozen=True)
class Picture:
    """An image of the report: embedded when ``data`` is given, otherwise only named."""

    name: str
    title: str
    data: bytes | None
    caption: str = ""


def _img(p: Picture) -> str:
    if p.data is None:
        return f"<li><code>{escape(p.name)}</code> {escape(p.caption)}</li>"
    uri = "data:image/png;base64," + base64.b64encode(p.data).decode("ascii")
    cap = f"<figcaption>{escape(p.name)}{' — ' + escape(p.caption) if p.caption else ''}"
    return f'<figure><img alt="{escape(p.title)}" src="{uri}">{cap}</figcaption></figure>'


def _cards(ctx: ReportContext) -> str:
    counts = ctx.kpis.get("counts") or {}
    prefs = ctx.kpis.get("preferences") or {}
    out = []
    for label, value in kpi_rows(ctx)[1:]:
        bad = label == ctx.text["kpi_unplaced"] and str(value) not in ("0", "")
        note = ""
        if label == ctx.text["kpi_first_choice"]:
            note = ctx.text("kpi_pref_note",
                            n=prefs.get("placements_of_learners_with_preferences", 0))
        elif label == ctx.text["kpi_placed"] and counts.get("learners"):
            note = ctx.text.pct(100 * counts.get("placed", 0) / counts["learners"])
        out.append(
            f'<div class="card{" bad" if bad else ""}"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(str(value))}</div>'
            + (f'<div class="note">{escape(note)}</div>' if note else "") + "</div>"
        )
    return '<div class="cards">' + "".join(out) + "</div>"


def _table(header: list[str], rows: list[list[str]], classes: list[list[str]] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = classes[i] if classes else [""] * len(row)
        body.append("<tr>" + "".join(
            f'<td class="{c}">{escape(v)}</td>' if c else f"<td>{escape(v)}</td>"
            for v, c in zip(row, cls, strict=True)) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _unplaced(ctx: ReportContext) -> str:
    t = ctx.text
    html = [f"<h3>{escape(t['unplaced_section'])}</h3>"]
    if not ctx.reasons:
        return html[0] + f"<p>{escape(t['unplaced_none'])}</p>"
    names = ctx.show_names
    header = [t["learner"]] + ([t["name"]] if names else []) + [t["programme"], t["rule"],
                                                                   t["reason"]]
    rows = []
    for learner_id, (rule, reason) in sorted(ctx.reasons.items()):
        learner = ctx.scenario.learner.get(learner_id)
        rows.append([learner_id] + ([ctx.name(learner_id)] if names else [])
                    + [learner.programme if learner else "", t.rule(rule), reason])
    html.append(_table(header, rows))
    if t.lang != "en":
        html.append(f'<p class="note">{escape(t["reason_note"])}</p>')
    return "".join(html)


def _fair(ctx: ReportContext) -> str:
    t = ctx.text
    fs = ctx.fair_share
    names = {o.id: o.name for o in ctx.scenario.organisations}
    rows, classes = [], []
    for i, org in enumerate(fs.organisations):
        dev = fs.hosted[i] - fs.target[i]
        pct = t.pct(100 * dev / fs.target[i], sign=True) if fs.target[i] else "–"
        rows.append([org, names[org], t.num(fs.fte[i], 0), t.num(fs.target[i]),
                     t.num(fs.hosted[i], 0), f"{t.num(dev, sign=True)} ({pct})",
                     t.num(fs.rate_per_100_fte[i], 2), t.num(fs.fte[i] * fs.quota / 100)])
        classes.append(["", "", "num", "num", "num", "num", "num", "num"])
    header = [t["organisation"], t["name"], t["fair_fte"], t["fair_target_col"],
              t["fair_hosted_col"], t["fair_dev_col"], t["fair_rate_col"], t["fair_quota_col"]]
    tolerance = (ctx.kpis.get("fair_share") or {}).get("tolerance")
    note = t("fair_note", q=fs.quota)
    if tolerance:
        note += " " + t("tolerance_note", pct=100 * float(tolerance))
    return (f"<h3>{escape(t['fair_section'])}</h3>" + _table(header, rows, classes)
            + f'<p class="note">{escape(note)}</p>')


def _learners_table(ctx: ReportContext) -> str:
    t = ctx.text
    names = ctx.show_names
    n_places = max((len(ctx.scenario.programme[lr.programme].placements)
                    for lr in ctx.scenario.learners), default=0)
    header = [t["learner"]] + ([t["name"]] if names else []) + [
        t["programme"], t["home"], t["start"], t["status"]] + [
        f"{t['placement']} {i}" for i in range(1, n_places + 1)]
    rows = []
    for learner in ctx.scenario.learners:
        plan_rows = ctx.plan.by_learner.get(learner.id)
        if not plan_rows:
            continue
        unplaced = any(r.status is RowStatus.UNPLACED for r in plan_rows)
        places = [""] * n_places
        if not unplaced:
            for index, dept in ctx.plan.placement_departments(learner.id).items():
                org = ctx.scenario.department[dept].organisation if dept in \
                    ctx.scenario.department else ""
                away = learner.home is not None and org != learner.home
                places[index - 1] = f"{dept} ({org}){' ↗' if away else ''}"
        rows.append([learner.id] + ([ctx.name(learner.id)] if names else []) + [
            learner.programme, learner.home or "–", learner.start,
            t["unplaced"] if unplaced else t["placed"]] + places)
    opened = " open" if len(rows) <= LEARNER_TABLE_OPEN_MAX else ""
    return (f"<details{opened}><summary>{escape(t['learners_table'])} ({len(rows)})</summary>"
            f'<p class="note">↗ = {escape(t["away"])}</p>'
            + _table(header, rows) + "</details>")


def _department_table(ctx: ReportContext) -> str:
    """Present/capacity per department and month, in blocks of twelve months, so that
    every block fits the width of a page (and of a screen)."""
    t = ctx.text
    occ = ctx.occupancy
    blocks = []
    for start in range(0, len(occ.months), MONTHS_PER_TABLE):
        columns = range(start, min(start + MONTHS_PER_TABLE, len(occ.months)))
        header = [t["department"], t["organisation"]] + [
            t.month(ordinal_month(occ.months[j]), year=True) for j in columns]
        rows, classes = [], []
        for i, dept in enumerate(occ.departments):
            row, cls = [dept, occ.organisation_of[dept]], ["", ""]
            for j in columns:
                p, c = int(occ.present[i, j]), int(occ.capacity[i, j])
                limit = min(c, int(occ.buddy_capacity[i, j]))
                row.append(f"{p}/{c}")
                cls.append("num over" if p > limit else "num full" if p and p == limit
                           else "num")
            rows.append(row)
            classes.append(cls)
        blocks.append(_table(header, rows, classes))
    return (f"<details><summary>{escape(t['dept_table'])}</summary>"
            f'<p class="note">{escape(t["dept_table_note"])}</p>'
            + "".join(blocks) + "</details>")


def _details(ctx: ReportContext) -> str:
    """The solver's figures, folded on screen (printed open): coordinators read the
    quality in words among the key figures."""
    t = ctx.text
    rows = [[label, value] for label, value in detail_rows(ctx)]
    return (f'<section id="details"><h2>{escape(t["details_section"])}</h2>'
            f"<details><summary>{escape(t['details_section'])}</summary>"
            f'<p class="note">{escape(t["details_note"])}</p>'
            + _table([t["kpi"], t["value"]], rows) + "</details></section>")


def _paper(title: str, parts: list[Picture], note: str = "") -> str:
    """A picture as laid out for A4 landscape, in parts, each printed at its own size (so
    its 7 pt texts stay 7 pt); hidden on screen."""
    from ..plot._common import PAPER_WIDTH_IN

    figures = []
    for p in parts:
        # a part names its picture's file, and which part it is with what it shows
        cap = "" if p.name.startswith("print-") else \
            f"{p.name}{' — ' + p.caption if p.caption else ''}"
        figures.append(
            f'<figure class="pic"><img alt="{escape(title)}" style="width:{PAPER_WIDTH_IN}in;'
            f'max-height:none" src="data:image/png;base64,'
            f'{base64.b64encode(p.data or b"").decode("ascii")}">'
            + (f"<figcaption>{escape(cap)}</figcaption>" if cap else "") + "</figure>")
    head = f'<p class="note">{escape(note)}</p>' if note else ""  # each part has its title
    return f'<div class="print-only">{head}{"".join(figures)}</div>'


def _pictures(ctx: ReportContext, pictures: list[Picture], pages: list[Picture],
              paged_note: str, printed: dict[str, list[Picture]]) -> str:
    """Each picture as on screen, and where it is too tall or wide for paper, its parts
    for paper in its place (the screen picture, and the Gantt pages, then screen-only)."""
    t = ctx.text
    html = [f'<section id="pictures" class="wide"><h2>{escape(t["pictures_section"])}</h2>']
    for p in pictures:
        paper = printed.get(p.name)
        if paper:
            overview = p.name == "gantt-learners.png" and paper[0].name == p.name
            note = t("print_overview_note", pages=len(pages)) if overview else ""
            html.append(_paper(p.title, paper, note))
        screen = " screen-only" if paper else ""
        html.append(f'<div class="pic{screen}"><h3>{escape(p.title)}</h3>')
        if p.name.startswith("gantt-learners") and paged_note:
            html.append(f'<p class="note">{escape(paged_note)}</p>')
        html.append(_img(p) + "</div>")
        if p.name == "gantt-learners.png" and pages:
            embedded = [pg for pg in pages if pg.data is not None]
            listed = [pg for pg in pages if pg.data is None]
            # the pages are screen size: on paper the print pages or the overview's parts
            for pg in embedded:
                html.append(f'<details class="screen-only"><summary>{escape(pg.title)}'
                            f"</summary>{_img(pg)}</details>")
            if listed:
                html.append('<ul class="screen-only">' + "".join(_img(pg) for pg in listed)
                            + "</ul>")
    html.append("</section>")
    return "".join(html)


def report_html(ctx: ReportContext, pictures: list[Picture], pages: list[Picture],
                paged_note: str = "", printed: dict[str, list[Picture]] | None = None) -> str:
    """The whole page as text; ``printed``: the pictures for paper, by the name of the
    picture they stand for on screen."""
    t = ctx.text
    k: dict[str, Any] = ctx.kpis
    title = f"{t['report_title']}: {k.get('scenario') or ctx.scenario.name}"
    privacy = t["pseudonymised_note"] if ctx.pseudonymise else (
        t["names_note"] if ctx.show_names else "")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{t.lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="{PSEUDONYMISED_META}" content="{"yes" if ctx.pseudonymise else "no"}">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<section id="kpis"><h2>{escape(t["kpi_section"])}</h2>',
        _cards(ctx), _unplaced(ctx), _fair(ctx), "</section>",
        _pictures(ctx, pictures, pages, paged_note, printed or {}),
        f'<section id="tables" class="wide"><h2>{escape(t["tables_section"])}</h2>',
        _learners_table(ctx), _department_table(ctx), "</section>",
        _details(ctx),
        f'<footer><p class="note">{escape(privacy)}</p>',
        f'<p class="note">{escape(t["footer"])}</p></footer>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def read_pseudonymised(html_text: str) -> bool:
    """Whether a report.html we wrote was pseudonymised (redraw keeps it so)."""
    return f'<meta name="{PSEUDONYMISED_META}" content="yes">' in html_text


__all__ = ["PSEUDONYMISED_META", "Picture", "read_pseudonymised", "report_html"]
