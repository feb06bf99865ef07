"""``scheduler explain``: why learners cannot be placed, or why no plan exists.

Four steps, each naming hard rules (docs/rules.md) with ids, months and numbers:

1. **Quick checks** (``validate.screen``): necessary conditions counted without a solver.
2. **Solve for the fewest unplaced learners** (only the ``unplaced`` weight: fast and
   exact). No plan → exit 2; otherwise the unplaced learners get a one-line cause each
   from the funnel of ``solver/reasons.py`` (the rule that removes their last department
   with room, given the plan's occupancy).
3. **Elastic model** (``solver/diagnosis/elastic.py``): every rule family relaxable at a price;
   its broken rules are the smallest combined change that places everyone (with a plan)
   or makes a plan possible (without one), e.g. "Pins of L1 and L2 put 2 learners in A-1
   in 2027-10; capacity 1".
4. **Suggestions** (``solver/diagnosis/suggest.py``): concrete changes, each checked by solving
   the changed scenario again, with the number of learners it places.

The command (``scheduler.commands.explain``) prints the text (Dutch, or English with
``--lang en``; sentences in ``words/explain.py``); ``--out DIR`` also writes
``DIR/explain.json`` atomically. Exit code 0 when a plan exists (unplaced learners listed),
2 when none does.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .explain_variants import change_text, hint, write_variants
from .io import atomic_write_text
from .models import RuleId, Scenario
from .models.cause import Cause
from .solver.budget import Budget
from .solver.diagnosis.elastic import Break, Relaxation, Request, masked_index, relax
from .solver.diagnosis.suggest import Suggestion, solve_min_unplaced, suggest
from .solver.options import default_workers
from .solver.reasons import unplaced_causes
from .validate import Finding, screen
from .words.explain import Sub, jsonable, render
from .words.format import month_list
from .words.messages import level_name, text_of

Status = Literal["ok", "unplaced", "no_plan"]
R = RuleId
SOLVE_SHARE, ELASTIC_SHARE = 0.35, 0.15  # of the time limit; suggestions get the rest


@dataclass
class Explanation:
    scenario: Scenario
    screens: list[Finding]
    status: Status
    solve_status: str
    proven: bool  # the count of unplaced learners (or "no plan") is proven
    placed: list[str]
    unplaced: list[str]
    causes: dict[str, Cause] = field(default_factory=dict)  # per unplaced learner
    relaxation: Relaxation | None = None
    breaks: list[tuple[Break, Cause]] = field(default_factory=list)
    suggestions: list[Suggestion] | None = None  # None: not asked for
    checked: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 2 if self.status == "no_plan" else 0


# ===== the analysis ======================================================================
def explain(
    scenario: Scenario,
    *,
    time_limit: float = 30.0,
    workers: int | None = None,
    suggestions: bool = True,
) -> Explanation:
    start = time.perf_counter()
    budget = Budget.seconds(time_limit)
    workers = workers or default_workers()
    result = solve_min_unplaced(scenario, budget.share(SOLVE_SHARE), workers)
    plan = result.plan
    proven = result.status == "optimal" or (result.status == "infeasible")
    if plan is None:
        ex = Explanation(scenario, screen(scenario), "no_plan", result.status, proven, [], [])
        request = Request()
    else:
        placed, unplaced = plan.placed_learners(), plan.unplaced_learners()
        ex = Explanation(scenario, screen(scenario), "unplaced" if unplaced else "ok",
                         result.status, proven, sorted(placed), sorted(unplaced))
        ex.causes = unplaced_causes(masked_index(scenario), plan)
        request = Request(keep=frozenset(placed), focus=frozenset(unplaced))
    if ex.status != "ok":
        ex.relaxation = relax(scenario, request, time_limit=budget.share(ELASTIC_SHARE),
                              hint=plan)
        ex.breaks = [(b, break_cause(scenario, b)) for b in ex.relaxation.breaks]
        if suggestions:
            left = budget.left(at_least=0.5)  # the suggestions try something at least
            before = None if plan is None else set(ex.unplaced)
            ex.suggestions, ex.checked = suggest(
                scenario, request, ex.relaxation, before=before, seconds=left,
                workers=workers, hint=plan)
    ex.seconds = time.perf_counter() - start
    return ex


def break_cause(s: Scenario, b: Break) -> Cause:
    """A broken rule of the relaxed plan as a sentence with its data."""
    months = month_list(b.months)
    p: dict[str, Any] = {"learner": b.learner, "department": b.department, "months": months,
                         "amount": b.amount, "value": _num(b.value), "limit": _num(b.limit),
                         "learners": list(b.learners)}
    who = tuple(b.learners) or ((b.learner,) if b.learner else ())
    p["pinned"] = Sub("pinned_note") if b.info.get("pinned") is True and b.learner else ""
    rules: tuple[RuleId, ...] = (b.rule,)
    if b.rule is R.CAPACITY:
        key = "break_pins_capacity" if b.info.get("pinned") else "break_capacity"
        rules = (R.PIN, R.CAPACITY) if b.info.get("pinned") else rules
    elif b.rule is R.BUDDY:
        key, away = "break_buddy", b.info.get("away", [])
        p["away"] = Sub("buddy_away", {"buddies": away}) if away else ""
        if not b.info.get("buddies"):
            key = "break_buddy_none"
        elif len(b.info["buddies"]) == 1 and away:
            key, p["buddy"] = "break_buddy_only", away[0]
            p["away_months"] = month_list(s.buddy_unavailable[away[0]])
    elif b.rule is R.TRAVEL:
        key = "break_travel"
        p.update(placement=b.placement, km=f"{b.value:.1f}")
    elif b.rule is R.LEVEL:
        key = "break_level"
        p.update(placement=b.placement, level=int(b.value), levels=b.info.get("levels", []))
    elif b.rule is R.CARROUSEL:
        key = "break_carrousel"
        p.update(home=b.info.get("home") or "-", need=b.info.get("need", 0))
    elif b.rule is R.REQUIRED_SECTORS:
        key, p["sector"] = "break_required_sectors", b.info.get("sector", "")
    elif b.rule is R.FAIR_SHARE:
        key = f"break_fair_share_{b.info.get('side', 'max')}"
        p.update(organisation=b.organisation, pct=b.info.get("pct", 0))
    elif b.rule is R.PIN:
        key, why = "break_pin", b.info.get("why") or []
        p["because"] = Sub("pin_because", {"department": b.department, "why": why}) if why else ""
    else:  # starter shifts, distinct departments
        key = f"break_{b.rule.value}"
    return Cause(rules[0], key, p, rules, who)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 1)


# ===== output ============================================================================
def _tag(rule: RuleId) -> str:
    return f"[{rule.value}]"


def suggestion_text(sug: Suggestion, ex: Explanation, lang: str) -> str:
    what = "; ".join(change_text(c, lang) for c in sug.changes)
    n = len(ex.scenario.learners)
    if ex.status == "no_plan":
        outcome = (render("outcome_all", lang, n=n) if sug.placed == n
                   else render("outcome_plan", lang, placed=sug.placed, n=n,
                               learners=sug.unplaced_after))
    else:
        left = len(sug.unplaced_after)
        key = "outcome_places" if left else (
            "outcome_places_one" if sug.gain == 1 else "outcome_places_all")
        outcome = render(key, lang, k=sug.gain, left=left)
    return f"{what} → {outcome}"


def render_text(ex: Explanation, lang: str = "en") -> str:
    s = ex.scenario
    lines = [render("title", lang, scenario=s.name or "-")]
    if ex.screens:
        lines.append(render("screens", lang))
        for f in ex.screens:
            tag = f" {_tag(f.rule)}" if f.rule else ""
            lines.append(f"  {level_name(f.level, lang)}{tag}: {text_of(f.message, lang)}")
    lines.append("")
    n = len(s.learners)
    if ex.status == "ok":
        lines.append(render("status_ok", lang, n=n))
        return "\n".join(lines) + "\n"
    if ex.status == "no_plan":
        lines.append(render("status_noplan" if ex.proven else "status_noplan_unknown", lang))
    else:
        key = "status_unplaced" if ex.proven else "status_unplaced_unproven"
        lines.append(render(key, lang, placed=len(ex.placed), n=n, k=len(ex.unplaced),
                            learners=ex.unplaced))
        lines += ["", render("why_learners", lang)]
        for lid, cause in ex.causes.items():
            lines.append(f"  - {lid} {_tag(cause.rule)}: {cause.text(lang)}")
    lines += _relaxation_lines(ex, lang)
    lines += _suggestion_lines(ex, lang)
    return "\n".join(lines) + "\n"


def _relaxation_lines(ex: Explanation, lang: str) -> list[str]:
    rel = ex.relaxation
    head = render("why_noplan" if ex.status == "no_plan" else "to_place_all", lang)
    if rel is None:
        return []
    if not rel.found:
        return ["", head, "  " + render("elastic_none", lang)]
    lines = ["", head]
    for _, cause in ex.breaks:
        lines.append(f"  - {_tag(cause.rule)} {cause.text(lang)}")
    if not ex.breaks and not rel.stuck:
        lines.append("  " + render("elastic_free", lang))
    if rel.stuck:
        lines.append("  " + render("stuck", lang, rules=sorted(Request().relax),
                                   learners=rel.stuck))
    return lines


def _suggestion_lines(ex: Explanation, lang: str) -> list[str]:
    if ex.suggestions is None:
        return ["", render("suggestions_skipped", lang)]
    if not ex.suggestions:
        return ["", render("no_suggestions", lang)]
    lines = ["", render("suggestions", lang)]
    for k, sug in enumerate(ex.suggestions, start=1):
        lines.append(f"  {k}. {_tag(sug.rule)} {suggestion_text(sug, ex, lang)}")
    return lines


def to_json(ex: Explanation, lang: str = "en") -> dict[str, Any]:
    s = ex.scenario
    doc: dict[str, Any] = {
        "scenario": s.name,
        "status": ex.status,
        "exit_code": ex.exit_code,
        "solve_status": ex.solve_status,
        "proven": ex.proven,
        "lang": lang,
        "learners": len(s.learners),
        "placed": len(ex.placed),
        "unplaced": ex.unplaced,
        "screens": [{"level": f.level, "rule": f.rule.value if f.rule else None,
                     "message": text_of(f.message, lang)} for f in ex.screens],
        "unplaced_learners": [{"learner": lid, **c.as_dict(lang)} for lid, c in ex.causes.items()],
    }
    rel = ex.relaxation
    if rel is not None:
        doc["relaxation"] = {
            "found": rel.found, "proven": rel.proven, "cost": rel.cost, "stuck": rel.stuck,
            "breaks": [{**c.as_dict(lang), "amount": b.amount} for b, c in ex.breaks],
        }
    if ex.suggestions is not None:
        doc["suggestions"] = [
            {"rank": k, "rule": g.rule.value, "changes": jsonable(g.changes),
             "text": suggestion_text(g, ex, lang), "effort": g.effort,
             "plan_exists": g.plan_exists, "placed": g.placed, "gain": g.gain,
             "places": g.places, "unplaced_after": g.unplaced_after}
            for k, g in enumerate(ex.suggestions, start=1)]
        doc["suggestions_checked"] = ex.checked
    doc["seconds"] = round(ex.seconds, 3)
    return doc


def write_explanation(ex: Explanation, scenario_path: Path, out: Path | None,
                      lang: str) -> str:
    """The text to print; with ``out`` also ``out/explain.json`` and each suggestion as a
    variant file there (``scheduler whatif`` takes them as they are)."""
    text = render_text(ex, lang)
    if out is not None:
        target = out / "explain.json"
        doc = json.dumps(to_json(ex, lang), indent=2, ensure_ascii=False)
        atomic_write_text(target, doc + "\n")
        text += render("written", lang, path=target) + "\n"
        variants = [(suggestion_text(sug, ex, lang), sug.changes) for sug in ex.suggestions or []]
        text += "".join(line + "\n" for line in write_variants(variants, scenario_path, out, lang))
    elif ex.suggestions:
        text += hint(lang) + "\n"
    return text
