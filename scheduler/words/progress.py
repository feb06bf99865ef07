"""What ``scheduler solve`` says while it runs and when it ends (issue 23, points 4 and 5).

A progress line says in plain words how far the plan is: when, what runs, how many
learners the best plan so far places, the most any plan can place where that is proven,
and its quality against the best possible. The solver's own figures (objective, bound,
gap) follow after ``details:`` (on the closing status line only with ``--details``); they
stay in kpis.json and the report as they were. Lines take a ``ProgressEvent``
(``scheduler.models.progress``), read here by its fields only, since this package imports
nothing else of ``scheduler``.
"""

from __future__ import annotations

from typing import Any, Protocol

from . import Table, say
from .format import DASH, num, up

# A gap above this (a weak bound early on) says nothing a reader can use: "not yet known".
MAX_SHOWN_GAP = 0.20
PROVEN = 1e-9  # a gap this small: the best possible, proven

PROGRESS: Table = {
    # ----- what runs (heartbeats and the plans of each phase) ------------------------------
    "phase_build": ("model bouwen en eerste plan zoeken", "building the model and a first plan"),
    "phase_first_plan": ("eerste plan", "first plan"),
    "phase_placement": ("zoeken wie er geplaatst kunnen worden",
                        "finding out who can be placed"),
    "phase_lp": ("plan verbeteren met de LP-relaxatie", "improving the plan with the LP"),
    "phase_support": ("plan verbeteren vanuit de LP-oplossing",
                      "improving the plan from the LP's solution"),
    "phase_highs": ("exact zoeken (HiGHS)", "exact search (HiGHS)"),
    "phase_cp_sat": ("zoeken naar betere plannen (CP-SAT)", "searching for better plans (CP-SAT)"),
    "phase_unplaced": ("zoeken naar een plan met zo min mogelijk ongeplaatsten (CP-SAT)",
                       "searching for the fewest unplaced learners (CP-SAT)"),
    "phase_done": ("zoeken klaar", "search done"),
    "phase_writing": ("plan wegschrijven", "writing the plan"),
    # the plan a phase ended with
    "plan_first_plan": ("eerste plan", "first plan"),
    "plan_placement": ("plan na het zoeken wie er geplaatst kunnen worden",
                       "plan after finding out who can be placed"),
    "plan_lp": ("plan na de LP-relaxatie", "plan after the LP"),
    "plan_support": ("plan uit de LP-oplossing", "plan from the LP's solution"),
    "plan_highs": ("exact zoeken (HiGHS)", "exact search (HiGHS)"),
    "plan_cp_sat": ("plan {k}", "plan {k}"),
    "plan_unplaced": ("plan {k} (eerst zo min mogelijk ongeplaatsten)",
                      "plan {k} (fewest unplaced first)"),
    "plan_done": ("beste plan", "best plan"),
    # ----- the parts of a line -------------------------------------------------------------
    "at": ("{t} s: ", "{t} s: "),
    "start": ("bezig: {n} leerlingen, {orgs} organisaties ingelezen; model bouwen en eerste "
              "plan zoeken", "busy: {n} learners, {orgs} organisations read; building the "
              "model and a first plan"),
    "limits": (" (tijdslimiet {limit} s, {workers} workers)",
               " (time limit {limit} s, {workers} workers)"),
    "reading": ("bezig: {file} inlezen …", "busy: reading {file} …"),
    "busy": ("bezig: {phase} …", "busy: {phase} …"),
    "so_far": (" (tot nu toe {placed} van {n} geplaatst)", " (so far {placed} of {n} placed)"),
    "placed": ("{placed} van {n} leerlingen geplaatst", "{placed} of {n} learners placed"),
    "most_reached": (" (meer kan niet)", " (no plan can place more)"),
    "most": (" (hoogstens {most} mogelijk)", " (at most {most} possible)"),
    "quality_best": ("kwaliteit: het best mogelijke (bewezen)",
                     "quality: the best possible (proven)"),
    "quality_within": ("kwaliteit: binnen {gap} van het best mogelijke",
                       "quality: within {gap} of the best possible"),
    "quality_unknown": ("kwaliteit: nog niet te zeggen", "quality: not yet known"),
    "details": ("details: ", "details: "),
    "objective": ("doelfunctie {value}", "objective {value}"),
    "bound": ("grens {value}", "bound {value}"),
    "gap": ("gat {value}", "gap {value}"),
    # ----- when the plan is written --------------------------------------------------------
    "summary": (
        "{placed} van {n} leerlingen geplaatst ({unplaced} niet geplaatst{most}), eerste keus "
        "{first}, afwijking van de evenredige verdeling {dev} leerling-maanden (hoogstens "
        "{dev_pct})",
        "placed {placed}/{n} learners ({unplaced} unplaced{most}), first choice {first}, "
        "fair-share deviation {dev} learner-months (max {dev_pct})",
    ),
    "summary_most": ("; meer dan {most} kan geen plan plaatsen",
                     "; no plan can place more than {most}"),
    "status_optimal": ("optimaal", "optimal"),
    "status_feasible": ("geldig plan", "feasible"),
    "status_interrupted": ("onderbroken", "interrupted"),
    "status_infeasible": ("geen plan mogelijk", "infeasible"),
    "status_unknown": ("geen plan gevonden", "unknown"),
    "status_line": ("status {status}; {quality}; bouwen {build} s, zoeken {solve} s",
                    "status {status}; {quality}; build {build} s, solve {solve} s"),
    "status_details": ("details: doelfunctie {objective}, gat {gap}",
                       "details: objective {objective}, gap {gap}"),
    "written": ("plan geschreven naar {dir}/", "plan written to {dir}/"),
    "no_plan": ("status {status}: geen plan; details in {dir}",
                "status {status}: no plan; details in {dir}"),
    "unplaced_line": ("  niet geplaatst {learner}: {reason} [{rule}]",
                      "  unplaced {learner}: {reason} [{rule}]"),
    "unplaced_more": ("  … en {n} meer (kpis.json)", "  ... and {n} more (kpis.json)"),
    "replanning": (
        "opnieuw plannen met zo min mogelijk wijzigingen ten opzichte van het vorige plan in "
        "{dir} (--fresh voor een plan vanaf nul)",
        "re-planning with minimal change against the previous plan in {dir} (--fresh for a "
        "plan from scratch)",
    ),
    "moved": (
        "verschoven ten opzichte van het basisplan: {months} leerling-maanden van {n} "
        "leerlingen; {added} leerlingen nieuw, {removed} weg",
        "moved against the baseline: {months} learner-months of {n} learners; {added} "
        "learners new, {removed} gone",
    ),
    "interrupted_no_plan": (
        "onderbroken voordat er een geldig plan was; alleen kpis.json geschreven",
        "interrupted before any valid plan was found; nothing but kpis.json written",
    ),
}  # fmt: skip


class Event(Protocol):
    """The fields of ``scheduler.models.progress.ProgressEvent`` a line reads."""

    seconds: float
    phase: str
    learners: int
    placed: int | None
    most: int | None
    objective: float | None
    bound: float | None
    gap: float | None
    heartbeat: bool
    plans: int
    organisations: int | None


def seconds_text(seconds: float, lang: str) -> str:
    return num(seconds, lang, 1)


def gap_text(gap: float, lang: str) -> str:
    """0.0398 → '4 %'; below 1 % one decimal: '0,4 %'; rounded up, as it reads "within"
    (0.0148 → '2 %')."""
    value = 100 * gap
    digits = 1 if value < 1 else 0
    return f"{num(up(value, digits), lang, digits)} %"


def quality(gap: float | None, lang: str) -> str:
    """The plan's quality against the best possible, from the relative gap."""
    if gap is None or gap > MAX_SHOWN_GAP:
        return say(PROGRESS, "quality_unknown", lang)
    if gap <= PROVEN:
        return say(PROGRESS, "quality_best", lang)
    return say(PROGRESS, "quality_within", lang, gap=gap_text(gap, lang))


def placed_text(placed: int, learners: int, most: int | None, lang: str) -> str:
    """'965 van 1.000 leerlingen geplaatst (hoogstens 990 mogelijk)'."""
    text = say(PROGRESS, "placed", lang, placed=num(placed, lang, 0), n=num(learners, lang, 0))
    if most is not None and most <= placed:
        text += say(PROGRESS, "most_reached", lang)
    elif most is not None:
        text += say(PROGRESS, "most", lang, most=num(most, lang, 0))
    return text


def details_text(event: Event, lang: str) -> str:
    """'details: doelfunctie -4.025,13, grens -4.192,15, gat 3,98 %' (empty: no figures)."""
    parts = [say(PROGRESS, key, lang, value=num(value, lang, 2))
             for key, value in (("objective", event.objective), ("bound", event.bound))
             if value is not None]
    if event.gap is not None:
        parts.append(say(PROGRESS, "gap", lang, value=f"{num(100 * event.gap, lang, 2)} %"))
    return say(PROGRESS, "details", lang) + ", ".join(parts) if parts else ""


def progress_line(event: Event, lang: str = "nl", details: bool = False,
                  limit: float | None = None, workers: int | None = None) -> str:
    """One progress line in plain words; the solver's figures after 'details:' on request.
    ``limit`` and ``workers`` complete the first line (phase build, no heartbeat)."""
    at = say(PROGRESS, "at", lang, t=seconds_text(event.seconds, lang))
    n = num(event.learners, lang, 0)
    if event.heartbeat:
        text = say(PROGRESS, "busy", lang, phase=say(PROGRESS, f"phase_{event.phase}", lang))
        if event.placed is not None:
            text += say(PROGRESS, "so_far", lang, placed=num(event.placed, lang, 0), n=n)
        return at + text
    if event.phase == "build":
        text = say(PROGRESS, "start", lang, n=n, orgs=num(event.organisations, lang, 0))
        if limit is not None and workers is not None:
            text += say(PROGRESS, "limits", lang, limit=num(limit, lang, 0 if
                                                             float(limit).is_integer() else 1),
                        workers=workers)
        return at + text
    if event.phase == "writing":
        return at + say(PROGRESS, "phase_writing", lang) + " …"
    parts = [say(PROGRESS, f"plan_{event.phase}", lang, k=event.plans)]
    head = parts[0] + ": "
    body: list[str] = []
    if event.placed is not None:
        body.append(placed_text(event.placed, event.learners, event.most, lang))
    if event.phase != "unplaced" and (event.objective is not None or event.gap is not None):
        body.append(quality(event.gap, lang))
    text = at + head + "; ".join(body)
    extra = details_text(event, lang) if details else ""
    return f"{text} — {extra}" if extra else text


def reading_line(seconds: float, file: str, lang: str = "nl") -> str:
    return say(PROGRESS, "at", lang, t=seconds_text(seconds, lang)) + \
        say(PROGRESS, "reading", lang, file=file)


def _pct(value: Any, lang: str) -> str:
    return DASH if value is None else f"{num(float(value), lang, 1)} %"


def summary_lines(doc: dict[str, Any], target: str, status: str, lang: str = "nl",
                  details: bool = False) -> list[str]:
    """What ``scheduler solve`` prints when the plan is written (stdout): placed, first
    choice and fair share; the status and quality in words (the objective and gap after
    'details:' with ``details``); where the plan is; the unplaced learners."""
    if "counts" not in doc:
        return [say(PROGRESS, "no_plan", lang, status=status_word(status, lang), dir=target)]
    c, p, f = doc["counts"], doc["preferences"], doc["fair_share"]
    upper = doc.get("placed_upper_bound")
    most = "" if upper is None else say(PROGRESS, "summary_most", lang, most=num(upper, lang, 0))
    lines = [say(PROGRESS, "summary", lang, placed=num(c["placed"], lang, 0),
                 n=num(c["learners"], lang, 0), unplaced=num(c["unplaced"], lang, 0), most=most,
                 first=_pct(p["first_choice_pct"], lang),
                 dev=_number(f["total_abs_deviation"], lang),
                 dev_pct=_pct(f["max_abs_deviation_pct"], lang))]
    gap = doc.get("gap")
    text = say(PROGRESS, "status_line", lang, status=status_word(status, lang),
               quality=quality(0.0 if status == "optimal" else gap, lang),
               build=num(doc["build_seconds"], lang, 1), solve=num(doc["solve_seconds"], lang, 1))
    if details:
        text += " — " + say(PROGRESS, "status_details", lang,
                            objective=num(doc["objective"], lang, 2),
                            gap=DASH if gap is None else f"{num(100 * gap, lang, 2)} %")
    lines += [text, say(PROGRESS, "written", lang, dir=target)]
    for u in doc["unplaced_learners"][:20]:
        lines.append(say(PROGRESS, "unplaced_line", lang, learner=u["learner"],
                         reason=u["reason"], rule=u["rule"]))
    if len(doc["unplaced_learners"]) > 20:
        lines.append(say(PROGRESS, "unplaced_more", lang, n=len(doc["unplaced_learners"]) - 20))
    return lines


def status_word(status: str, lang: str) -> str:
    """A plan's status (kpis.json's ``status``) in words; an unknown one as it is."""
    key = f"status_{status}"
    return say(PROGRESS, key, lang) if key in PROGRESS else status


def _number(value: Any, lang: str) -> str:
    if not isinstance(value, (int, float)):
        return str(value)
    return num(value, lang, 0) if float(value).is_integer() else num(value, lang, 2)


def line(key: str, lang: str = "nl", **values: object) -> str:
    """Another line of ``scheduler solve`` (``replanning``, ``moved``, …)."""
    return say(PROGRESS, key, lang, **values)


__all__ = ["PROGRESS", "Event", "gap_text", "line", "placed_text", "progress_line", "quality",
           "reading_line", "summary_lines"]
