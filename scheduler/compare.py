"""Side-by-side comparison of plan directories: KPIs, deltas against the base, moves.

The first directory is the base; every other one is compared with it. Counts (learners,
placed, unplaced) and moves come from ``plan.csv``; preference, fair-share, travel and
buddy KPIs are recomputed from ``plan.csv`` and the directory's ``scenario.yaml`` (the
copy ``whatif`` writes) when there is one, otherwise read from ``kpis.json``; status,
objective, gap, time and unplaced reasons are the solver's, from ``kpis.json``.

A learner *moved* when, in some month, the department differs from the base plan
(unplaced counts as no department); a changed buddy alone is no move. Learners in only
one of the plans are *added* or *removed*, not moved.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .io import atomic_write_text, load_scenario, read_plan, safe_cell
from .io.scenario_schema import CellError, read_input_bytes
from .kpis import compute_kpis
from .models import Plan, RowStatus, Scenario, month_ordinal
from .words import say
from .words.compare import ROWS, TEXT
from .words.explain import reason_text
from .words.format import short, signed
from .words.messages import Msg, text_of
from .words.progress import status_word

UNPLACED = ""
NO_DELTA = ("moved", "moved_months", "added", "removed", "gap_pct", "solve_seconds")
RECOMPUTED = ("preferences", "fair_share", "travel", "buddy_changes")

def label(key: str, lang: str, **fmt: str) -> str:
    """A row's name (``ROWS``) or another word of the comparison (``TEXT``)."""
    return say(ROWS if key in ROWS else TEXT, key, lang, **fmt)


# ----- reading --------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanDir:
    label: str
    path: Path
    kpis: dict[str, Any]
    plan: Plan | None
    scenario: Scenario | None


def read_plan_dir(path: Path, label: str | None = None) -> PlanDir:
    """A plan directory written by ``solve`` or ``whatif``; InputError if it is not one.

    ``path`` may also be a plan file in such a directory (``plan.csv``, an edited copy, or
    ``plan.xlsx``): the plan is then read from that file, the rest from its directory."""
    path = Path(path)
    plan_file = path / "plan.csv"
    if path.is_file():
        plan_file, path = path, path.parent
        label = label or f"{path.name}/{plan_file.name}"
    kpis_file = path / "kpis.json"
    if not path.is_dir():
        raise InputError(Msg("plandir_no_folder", path=path), file=str(path))
    if not kpis_file.is_file():
        raise InputError(Msg("plandir_no_kpis"), file=str(path))
    try:  # bounded, regular files only; ValueError: also a number of 5,000 digits
        kpis = json.loads(read_input_bytes(kpis_file, "kpis.json").decode("utf-8"))
    except (CellError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.message if isinstance(exc, CellError) else str(exc)
        raise InputError(Msg("kpis_unreadable", reason=reason), file=str(kpis_file)) from None
    if not isinstance(kpis, dict):
        raise InputError(Msg("kpis_not_object"), file=str(kpis_file))
    plan = read_plan(plan_file) if plan_file.is_file() else None
    if plan is None and "counts" in kpis:
        raise InputError(Msg("plan_csv_missing"), file=str(path))
    copy = path / "scenario.yaml"
    scenario = load_scenario(copy) if copy.is_file() else None
    if scenario is not None and plan is not None and not set(plan.by_learner) <= set(
        scenario.learner
    ):
        scenario = None  # plan and scenario copy do not belong together: use kpis.json
    return PlanDir(label or path.name, path, kpis, plan, scenario)


# ----- moves ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    """From ``first`` to ``last`` (inclusive) the learner is in ``after``, not ``before``."""

    learner: str
    before: str  # department in the base plan, "" = unplaced
    after: str
    first: str
    last: str
    months: int


@dataclass
class Moves:
    moved: dict[str, list[Move]] = field(default_factory=dict)  # learner -> segments
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _departments(plan: Plan) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in plan.rows:
        dept = UNPLACED if r.status is RowStatus.UNPLACED else r.department
        out.setdefault(r.learner, {})[r.month] = dept
    return out


def learner_moves(base: Plan, other: Plan) -> Moves:
    """Which learners of both plans are elsewhere in ``other``, month by month."""
    old, new = _departments(base), _departments(other)
    result = Moves(added=sorted(set(new) - set(old)), removed=sorted(set(old) - set(new)))
    for lid in sorted(set(old) & set(new)):
        segments: list[Move] = []
        for month in sorted(set(old[lid]) | set(new[lid])):
            b, a = old[lid].get(month, UNPLACED), new[lid].get(month, UNPLACED)
            if a == b:
                continue
            last = segments[-1] if segments else None
            if (last and (last.before, last.after) == (b, a)
                    and month_ordinal(month) == month_ordinal(last.last) + 1):
                segments[-1] = Move(lid, b, a, last.first, month, last.months + 1)
            else:
                segments.append(Move(lid, b, a, month, month, 1))
        if segments:
            result.moved[lid] = segments
    return result


# ----- KPI values -----------------------------------------------------------------------
def kpi_values(d: PlanDir, lang: str = "nl") -> dict[str, Any]:
    """One column of the comparison: KPI key -> value (None: not applicable); the unplaced
    reasons in ``lang``."""
    k = dict(d.kpis)
    if d.plan is not None and d.scenario is not None:
        fresh = compute_kpis(d.scenario, d.plan)
        k.update({key: fresh[key] for key in RECOMPUTED})
    gap = k.get("gap")
    values: dict[str, Any] = {
        "name": k.get("scenario") or d.label,
        "status": k.get("status"),
        "objective": k.get("objective"),
        "gap_pct": None if gap is None else round(100 * gap, 2),
        "solve_seconds": k.get("solve_seconds"),
    }
    if d.plan is not None:
        placed = d.plan.placed_learners()
        values |= {"learners": len(d.plan.by_learner), "placed": len(placed),
                   "unplaced": len(d.plan.by_learner) - len(placed)}
    reasons = [f"{u['learner']}: {reason_text(u, lang)} [{u['rule']}]"
               for u in k.get("unplaced_learners") or []]
    values["unplaced_reasons"] = "; ".join(reasons) if d.plan is not None else None
    values["first_choice_pct"] = (k.get("preferences") or {}).get("first_choice_pct")
    fair = k.get("fair_share") or {}
    values["fair_share_total"] = fair.get("total_abs_deviation")
    for row in fair.get("organisations") or []:
        values[f"fair_share:{row['organisation']}"] = row["deviation"]
    values["travel_km"] = (k.get("travel") or {}).get("total_km")
    values["buddy_changes"] = k.get("buddy_changes")
    return values


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: list[Any]
    deltas: list[Any] | None  # per column (base: None); None: no deltas for this row


@dataclass
class Comparison:
    columns: list[str]
    rows: list[Row]
    moves: dict[str, Moves]  # per variant column
    lang: str = "nl"
    notes: dict[str, list[str]] = field(default_factory=dict)  # per column, e.g. variant notes


def _delta(value: Any, base: Any) -> Any:
    numbers = (int, float)
    if isinstance(value, bool) or isinstance(base, bool):
        return None
    if not isinstance(value, numbers) or not isinstance(base, numbers):
        return None
    diff = value - base
    return round(diff, 3) if isinstance(diff, float) else diff


def build_comparison(dirs: list[PlanDir], lang: str = "nl") -> Comparison:
    """Base = ``dirs[0]``; deltas and moves of every other directory against it."""
    columns = [d.label for d in dirs]
    per = [kpi_values(d, lang) for d in dirs]
    moves: dict[str, Moves] = {}
    for d, values in zip(dirs[1:], per[1:], strict=True):
        if dirs[0].plan is not None and d.plan is not None:
            m = moves[d.label] = learner_moves(dirs[0].plan, d.plan)
            values |= {"moved": len(m.moved), "added": len(m.added), "removed": len(m.removed),
                       "moved_months": sum(mv.months for ms in m.moved.values() for mv in ms)}
    keys = [k for k in ROWS if k in set().union(*per)]
    orgs = sorted({k for v in per for k in v if k.startswith("fair_share:")})
    at = keys.index("fair_share_total") + 1 if "fair_share_total" in keys else len(keys)
    keys[at:at] = orgs
    rows = []
    for key in keys:
        vals = [v.get(key) for v in per]
        text = label("fair_share", lang, org=key.split(":", 1)[1]) if ":" in key \
            else label(key, lang)
        numeric = key not in NO_DELTA and any(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)
        deltas = [None, *(_delta(v, vals[0]) for v in vals[1:])] if numeric else None
        rows.append(Row(key, text, vals, deltas))
    return Comparison(columns, rows, moves, lang)


# ----- output ---------------------------------------------------------------------------
def _cell(value: Any, lang: str) -> str:
    """A value as the language writes it: ``0,912`` and ``1.234`` in Dutch."""
    return short(value, lang)


def _signed(value: Any, lang: str) -> str:
    return signed(value, lang)


def _header(c: Comparison) -> list[str]:
    out = [c.columns[0]]
    for col in c.columns[1:]:
        out += [col, f"Δ {col}"]
    return out


def shown(key: str, value: Any, lang: str) -> str:
    """A row's value for people: a plan's status in words (``optimaal``, ``geldig plan``),
    anything else as a number or text of the language."""
    if key == "status" and isinstance(value, str):
        return status_word(value, lang)
    return _cell(value, lang)


def _line(row: Row, lang: str) -> list[str]:
    out = [shown(row.key, row.values[0], lang)]
    for i, v in enumerate(row.values[1:], start=1):
        out += [shown(row.key, v, lang), _signed(row.deltas[i], lang) if row.deltas else ""]
    return out


def comparison_csv(c: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kpi", "label", *map(safe_cell, _header(c))])
    for row in c.rows:  # numbers stay numbers; deltas without a sign
        cells = [row.values[0]]
        for i, v in enumerate(row.values[1:], start=1):
            cells += [v, row.deltas[i] if row.deltas else None]
        writer.writerow([row.key, row.label, *("" if x is None else safe_cell(x) for x in cells)])
    return buffer.getvalue()


def moves_csv(c: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["variant", "learner", "change", "from_department", "to_department",
                     "first_month", "last_month", "months"])
    for variant, m in c.moves.items():
        for moves in m.moved.values():
            for mv in moves:
                writer.writerow([safe_cell(x) for x in (variant, mv.learner, "moved", mv.before,
                                 mv.after, mv.first, mv.last, mv.months)])
        for change, ids in (("added", m.added), ("removed", m.removed)):
            writer.writerows([safe_cell(variant), safe_cell(lid), change, "", "", "", "", ""]
                             for lid in ids)
    return buffer.getvalue()


def _move_text(mv: Move, lang: str) -> str:
    when = mv.first if mv.first == mv.last else f"{mv.first}..{mv.last}"
    nowhere = label("unplaced_cell", lang)
    return (f"{mv.before or nowhere} -> {mv.after or nowhere}  {when} "
            f"({label('months_short', lang, n=str(mv.months))})")


def render_text(c: Comparison, max_moves: int = 30) -> str:
    names = next((r.values for r in c.rows if r.key == "name"), [])
    out = [f"{col} = {name}" for col, name in zip(c.columns, names, strict=False)] + [""]
    header = ["", *_header(c)]
    lines = [[row.label, *_line(row, c.lang)] for row in c.rows
             if row.key not in ("name", "unplaced_reasons")]
    widths = [min(60, max(len(r[i]) for r in [header, *lines])) for i in range(len(header))]
    out += ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out += ["  ".join(x[:60].ljust(w) for x, w in zip(r, widths, strict=True)) for r in lines]
    reasons = next((r for r in c.rows if r.key == "unplaced_reasons"), None)
    for col, text in zip(c.columns, reasons.values if reasons else [], strict=False):
        if text:
            out.append(f"{col}: {label('unplaced_reasons', c.lang)}: {text}")
    for col, notes in c.notes.items():
        out += [label("note", c.lang, col=col, note=text_of(n, c.lang)) for n in notes]
    for variant, m in c.moves.items():
        out.append(f"\n{variant}: {len(m.moved)} {label('moved', c.lang)}, {len(m.added)} "
                   f"{label('added', c.lang)}, {len(m.removed)} {label('removed', c.lang)}")
        shown = [mv for moves in m.moved.values() for mv in moves]
        out += [f"  {mv.learner:<12} {_move_text(mv, c.lang)}" for mv in shown[:max_moves]]
        if len(shown) > max_moves:
            out.append("  " + label("more_moves", c.lang, n=str(len(shown) - max_moves)))
    return "\n".join(out)


_CSS = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,"
        "th:first-child{text-align:left}.d{color:#555;font-size:90%}")


def comparison_html(c: Comparison) -> str:
    e = html.escape
    head = "".join(f"<th{' class=d' if h.startswith('Δ') else ''}>{e(h)}</th>"
                   for h in _header(c))
    body = "".join(
        f"<tr><td>{e(row.label)}</td>"
        + "".join(f"<td>{e(x)}</td>" for x in _line(row, c.lang)) + "</tr>"
        for row in c.rows
    )
    parts = [f"<!DOCTYPE html><html lang='{e(c.lang)}'><head><meta charset='utf-8'>",
             f"<title>{e(label('title', c.lang))}</title><style>{_CSS}</style></head><body>",
             f"<h1>{e(label('title', c.lang))}</h1>",
             f"<table><tr><th></th>{head}</tr>{body}</table>",
             *(f"<p><b>{e(col)}</b>: {e(text_of(n, c.lang))}</p>"
               for col, ns in c.notes.items() for n in ns),
             f"<h2>{e(label('moves', c.lang))}</h2>"]
    for variant, m in c.moves.items():
        parts.append(f"<h3>{e(variant)}: {len(m.moved)} {e(label('moved', c.lang))}</h3>")
        rows = "".join(
            f"<tr><td>{e(mv.learner)}</td><td>{e(mv.before or '—')}</td><td>{e(mv.after or '—')}"
            f"</td><td>{e(mv.first)}</td><td>{e(mv.last)}</td><td>{mv.months}</td></tr>"
            for moves in m.moved.values() for mv in moves)
        parts.append(f"<table>{rows}</table>" if rows else f"<p>{e(label('none', c.lang))}</p>")
        for key, ids in (("added", m.added), ("removed", m.removed)):
            if ids:
                parts.append(f"<p>{e(label(key, c.lang))}: {e(', '.join(ids))}</p>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_comparison(folder: Path, c: Comparison) -> None:
    """comparison.csv, comparison.html and moves.csv into ``folder`` (each atomically)."""
    atomic_write_text(folder / "comparison.csv", comparison_csv(c))
    atomic_write_text(folder / "comparison.html", comparison_html(c))
    atomic_write_text(folder / "moves.csv", moves_csv(c))

