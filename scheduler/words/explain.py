"""Every sentence of ``scheduler explain`` and of the unplaced reasons (kpis.json, report).

A sentence is a key plus parameters (ids, months, numbers). Parameters stay data until
rendering, so ``explain.json`` and ``kpis.json`` carry both: the key and its parameters for
tools (and for drawing the report again in the other language), the rendered text for
people. Lists are joined (``A, B en 3 meer``), a list named ``*months`` becomes ranges
(``2027-09..2027-11, 2028-02``), a list named ``rules`` the rules' names, floats lose
trailing zeros and take the language's decimal comma.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from . import LANGUAGES, Table, check_lang
from .format import AND, ids_text, months_text, short
from .glossary import rule_name

SENTENCES: Table = {  # key: (Dutch, English)
    # ----- headings and status ----------------------------------------------------------
    "title": (
        "Uitleg: {scenario}",
        "Explanation: {scenario}",
    ),
    "screens": (
        "Snelle controles (zonder solver):",
        "Quick checks (no solver):",
    ),
    "status_ok": (
        "Alle {n} leerlingen kunnen geplaatst worden; elke harde regel "
        "geldt.",
        "All {n} learners can be placed; every hard rule holds.",
    ),
    "status_unplaced": (
        "{placed} van de {n} leerlingen kunnen geplaatst worden. {k} niet: {learners}.",
        "{placed} of {n} learners can be placed. {k} cannot: {learners}.",
    ),
    "status_unplaced_unproven": (
        "{placed} van de {n} leerlingen zijn binnen de tijdslimiet geplaatst (niet "
        "bewezen het maximum). Niet geplaatst: {learners}.",
        "{placed} of {n} learners were placed within the time limit (not proven to be "
        "the most). Not placed: {learners}.",
    ),
    "status_noplan": (
        "Geen enkele planning voldoet aan de harde regels.",
        "No plan satisfies the hard rules.",
    ),
    "status_noplan_unknown": (
        "Binnen de tijdslimiet is geen planning gevonden (en ook niet bewezen dat er "
        "geen is); probeer een langere --time-limit.",
        "No plan was found within the time limit (none proven impossible either); try "
        "a longer --time-limit.",
    ),
    "why_learners": (
        "Waarom deze leerlingen niet geplaatst kunnen worden:",
        "Why these learners cannot be placed:",
    ),
    "why_noplan": (
        "Waardoor elke planning onmogelijk is:",
        "What makes every plan impossible:",
    ),
    "to_place_all": (
        "Wat er nodig is om ze allemaal te plaatsen (de kleinste gevonden wijziging):",
        "What it would take to place them all (the smallest change found):",
    ),
    "elastic_none": (
        "Zelfs met alle regels versoepeld is binnen de tijd geen planning gevonden.",
        "Even with every rule relaxed no plan was found in time.",
    ),
    "elastic_free": (
        "Er hoeft niets te veranderen: het versoepelde model plaatst iedereen zonder "
        "een regel te breken. De zoektocht liep tegen de tijdslimiet; probeer een "
        "langere --time-limit.",
        "Nothing needs to change: the relaxed model places everyone without breaking a "
        "rule. The search ran out of time; try a longer --time-limit.",
    ),
    "stuck": (
        "Geen versoepeling van {rules} plaatst {learners}.",
        "No relaxation of {rules} places {learners}.",
    ),
    "suggestions": (
        "Voorstellen (elk toegepast op het scenario en gecontroleerd met een nieuwe "
        "planning):",
        "Suggestions (each applied to the scenario and checked with a new plan):",
    ),
    "no_suggestions": (
        "Geen enkele wijziging gevonden waarvan gecontroleerd is dat ze helpt.",
        "No single change found that was checked to help.",
    ),
    "suggestions_skipped": (
        "Voorstellen overgeslagen (--no-suggestions).",
        "Suggestions skipped (--no-suggestions).",
    ),
    "written": (
        "explain.json geschreven naar {path}",
        "explain.json written to {path}",
    ),
    # ----- one unplaced learner (the funnel, given the plan's occupancy) ----------------
    "row_travel": (
        "{learner}, plaatsing {placement} ({months}): geen afdeling binnen {limit} "
        "km{also} (dichtstbij: {near_km} km bij {near})",
        "{learner}, placement {placement} ({months}): no department within {limit} "
        "km{also} (nearest: {near_km} km at {near})",
    ),
    "row_level": (
        "{learner}, plaatsing {placement} ({months}): geen afdeling binnen bereik "
        "neemt niveau {level} aan{near_text}",
        "{learner}, placement {placement} ({months}): no department within reach "
        "accepts level {level}{near_text}",
    ),
    "row_starter": (
        "{learner}, plaatsing {placement} ({months}): starters werken de eerste "
        "{starter} maanden alleen op afdelingen met vaste diensten (geen "
        "wisseldiensten), en die is er niet binnen bereik",
        "{learner}, placement {placement} ({months}): starters work only in "
        "fixed-shift departments (geen wisseldiensten) in their first {starter} "
        "months, and there is none within reach",
    ),
    "row_distinct": (
        "{learner}, plaatsing {placement} ({months}): elke afdeling binnen bereik is "
        "al eerder gebruikt ({departments}; nooit twee keer dezelfde afdeling)",
        "{learner}, placement {placement} ({months}): every department within reach "
        "was used before ({departments}; never the same department twice)",
    ),
    "history_repeats": (
        "{learner}, plaatsing {placement} ({months}): de historie herhaalt al "
        "{departments}, en het programma herhaalt nooit een afdeling",
        "{learner}, placement {placement} ({months}): the learner's history already "
        "repeats {departments}, and the programme never repeats a department",
    ),
    "row_pin": (
        "{learner}, plaatsing {placement} ({months}): de vastgezette afdeling "
        "{department} {why}",
        "{learner}, placement {placement} ({months}): the pinned department "
        "{department} {why}",
    ),
    "row_freeze": (
        "{learner}, plaatsing {placement} ({months}): de bevroren maanden van de "
        "basisplanning laten geen afdeling toe",
        "{learner}, placement {placement} ({months}): the frozen baseline months allow "
        "no department",
    ),
    "row_rules": (
        "{learner}, plaatsing {placement} ({months}): geen afdeling voldoet aan "
        "{rules} samen",
        "{learner}, placement {placement} ({months}): no department passes {rules} "
        "together",
    ),
    "row_full": (
        "{learner}, plaatsing {placement} ({months}): de {n} afdeling(en) die in "
        "aanmerking komen ({departments}) hebben geen vrije {what} in "
        "{full_months}{except_}",
        "{learner}, placement {placement} ({months}): the {n} department(s) it may use "
        "({departments}) have no free {what} in {full_months}{except_}",
    ),
    "row_full_except": (
        "; {department} heeft ruimte maar {why}",
        "; {department} has room but {why}",
    ),
    "what_places": (
        "plekken",
        "places",
    ),
    "what_buddies": (
        "werkbegeleiders",
        "buddies",
    ),
    "learner_carrousel_full": (
        "{learner} moet {need} plaatsing(en) buiten {home} doen (Carrousel), maar de "
        "afdelingen van andere organisaties die in aanmerking komen ({departments}) "
        "zijn vol",
        "{learner} needs {need} placement(s) away from {home} (Carrousel), but the "
        "departments of other organisations it may use ({departments}) are full",
    ),
    "learner_carrousel_none": (
        "{learner} moet {need} plaatsing(en) buiten {home} doen (Carrousel), maar er "
        "is geen afdeling van een andere organisatie binnen bereik",
        "{learner} needs {need} placement(s) away from {home} (Carrousel), but no "
        "department of another organisation is within reach",
    ),
    "learner_sector_none": (
        "Geen {sector}-afdeling binnen {limit} km van leerling {learner}{near_text}",
        "No {sector} department within {limit} km of learner {learner}{near_text}",
    ),
    "learner_sector_full": (
        "{learner} heeft een {sector}-plaatsing nodig, maar de {sector}-afdelingen die "
        "in aanmerking komen ({departments}) zijn vol",
        "{learner} needs a {sector} placement, but the {sector} departments it may use "
        "({departments}) are full",
    ),
    "learner_distinct": (
        "{learner} heeft {n} plaatsingen maar kan alleen terecht bij {departments} "
        "(nooit twee keer dezelfde afdeling)",
        "{learner} has {n} placements but can only use {departments} (never the same "
        "department twice)",
    ),
    "learner_fair_share": (
        "{learner} plaatsen brengt {organisations} buiten de marge van de evenredige "
        "verdeling (±{pct} %)",
        "placing {learner} would take {organisations} beyond the fair-share tolerance "
        "(±{pct} %)",
    ),
    "learner_combination": (
        "geen combinatie van vrije plekken voldoet tegelijk aan capaciteit, Carrousel "
        "en sectoren; {learner} plaatsen verdringt een andere leerling",
        "no combination of free places meets capacity, Carrousel and sector rules "
        "together; placing {learner} would displace another learner",
    ),
    "learner_freeze": (
        "{learner} is ongeplaatst in de bevroren maanden van de basisplanning",
        "{learner} is unplaced in the frozen months of the baseline",
    ),
    "near_none": (
        " (geen in de regio)",
        " (none in the region)",
    ),
    "near_at": (
        " (dichtstbij: {near_km} km bij {near})",
        " (nearest: {near_km} km at {near})",
    ),
    "near_level": (
        "; {department} neemt niveaus {levels} aan",
        "; {department} accepts levels {levels}",
    ),
    "also_fixed": (
        " met vaste diensten",
        " with fixed shifts",
    ),
    "also_level": (
        " die niveau {level} aanneemt",
        " accepting level {level}",
    ),
    "also_both": (
        " met vaste diensten die niveau {level} aanneemt",
        " with fixed shifts accepting level {level}",
    ),
    "why_travel": (
        "ligt op {km} km (grens {limit} km)",
        "is {km} km away (limit {limit} km)",
    ),
    "why_level": (
        "neemt niveau {level} niet aan",
        "does not accept level {level}",
    ),
    "why_starter": (
        "heeft wisseldiensten (starters: de eerste {starter} maanden alleen vaste "
        "diensten)",
        "has rotating shifts (starters: fixed shifts only in the first {starter} "
        "months)",
    ),
    "why_distinct": (
        "is al eerder gebruikt",
        "was used before",
    ),
    "why_pin": (
        "is niet de vastgezette afdeling",
        "is not the pinned department",
    ),
    "why_freeze": (
        "is niet de afdeling van de bevroren basisplanning",
        "is not the department of the frozen baseline",
    ),
    "why_pinned_by": (
        "valt af door {rules}",
        "is excluded by {rules}",
    ),
    # ----- the elastic model's broken rules ----------------------------------------------
    "break_capacity": (
        "{department} zou {value} plek(ken) nodig hebben in {months}; capaciteit "
        "{limit} ({learners})",
        "{department} would need {value} place(s) in {months}; capacity {limit} "
        "({learners})",
    ),
    "break_pins_capacity": (
        "Vastgezette plaatsingen van {learners} zetten {value} leerlingen op "
        "{department} in {months}; capaciteit {limit}",
        "Pins of {learners} put {value} learners in {department} in {months}; capacity "
        "{limit}",
    ),
    "break_buddy": (
        "De werkbegeleiders van {department} kunnen {limit} leerling(en) begeleiden in "
        "{months}{away}; {value} hebben er een nodig ({learners})",
        "The buddies of {department} can guide {limit} learner(s) in {months}{away}; "
        "{value} need one ({learners})",
    ),
    "break_buddy_only": (
        "Werkbegeleider {buddy} is de enige van {department} en is afwezig "
        "{away_months}; {value} leerling(en) hebben begeleiding nodig in {months} "
        "({learners})",
        "Buddy {buddy} is the only buddy of {department} and is away {away_months}; "
        "{value} learner(s) need one in {months} ({learners})",
    ),
    "break_buddy_none": (
        "{department} heeft geen werkbegeleider; {value} leerling(en) hebben er een "
        "nodig in {months} ({learners})",
        "{department} has no buddy (werkbegeleider); {value} learner(s) need one in "
        "{months} ({learners})",
    ),
    "buddy_away": (
        " ({buddies} afwezig)",
        " ({buddies} away)",
    ),
    "break_travel": (
        "{learner}: plaatsing {placement} bij {department}{pinned} ligt op {km} km; "
        "grens {limit} km",
        "{learner}: placement {placement} at {department}{pinned} is {km} km away; "
        "limit {limit} km",
    ),
    "break_level": (
        "{learner} (niveau {level}) in plaatsing {placement} bij {department}{pinned}, "
        "dat niveaus {levels} aanneemt",
        "{learner} (level {level}) in placement {placement} at {department}{pinned}, "
        "which accepts levels {levels}",
    ),
    "break_starter_shifts": (
        "{learner}: startmaanden {months} bij {department}{pinned}, met wisseldiensten",
        "{learner}: starter months {months} at {department}{pinned}, which has "
        "rotating shifts (wisseldiensten)",
    ),
    "break_distinct_departments": (
        "{learner} zou twee keer op {department} zitten{pinned}",
        "{learner} would be in {department} twice{pinned}",
    ),
    "break_carrousel": (
        "{learner} zou {amount} plaatsing(en) te weinig buiten {home} hebben "
        "(Carrousel: minstens {need})",
        "{learner} would have {amount} placement(s) too few away from {home} "
        "(Carrousel: at least {need})",
    ),
    "break_required_sectors": (
        "{learner} zou geen {sector}-plaatsing hebben",
        "{learner} would have no {sector} placement",
    ),
    "break_fair_share_max": (
        "{organisation} zou {value} leerling-maanden opleiden, {amount} meer dan de "
        "evenredige verdeling toelaat (±{pct} %)",
        "{organisation} would host {value} learner-months, {amount} more than its fair "
        "share allows (±{pct} %)",
    ),
    "break_fair_share_min": (
        "{organisation} zou {value} leerling-maanden opleiden, {amount} minder dan de "
        "evenredige verdeling vraagt (±{pct} %)",
        "{organisation} would host {value} learner-months, {amount} fewer than its "
        "fair share requires (±{pct} %)",
    ),
    "break_pin": (
        "de vastgezette plaatsing van {learner} op {department} ({months}) kan niet "
        "blijven{because}",
        "the pin of {learner} in {department} ({months}) cannot hold{because}",
    ),
    "pin_because": (
        ": {department} {why}",
        ": {department} {why}",
    ),
    "pinned_note": (
        " (vastgezet)",
        " (pinned)",
    ),
    # ----- suggestions -------------------------------------------------------------------
    "op_add_capacity": (
        "voeg {amount} plekken toe bij {department} in {months}",
        "add {amount} places at {department} in {months}",
    ),
    "op_add_capacity_1": (
        "voeg 1 plek toe bij {department} in {months}",
        "add 1 place at {department} in {months}",
    ),
    "op_add_buddies": (
        "voeg {count} werkbegeleiders (elk tot {max_learners} leerlingen) toe aan "
        "{department}",
        "add {count} buddies (werkbegeleiders, up to {max_learners} learners each) to "
        "{department}",
    ),
    "op_add_buddies_1": (
        "voeg een werkbegeleider (tot {max_learners} leerlingen) toe aan {department}",
        "add a buddy (werkbegeleider, up to {max_learners} learners) to {department}",
    ),
    "op_buddy_available": (
        "laat werkbegeleider {buddy} beschikbaar zijn in {months}",
        "have buddy {buddy} available in {months}",
    ),
    "op_set_learner": (
        "verhoog de maximale reisafstand van {learner} naar {max_travel_km} km",
        "raise the travel limit of {learner} to {max_travel_km} km",
    ),
    "op_add_level": (
        "laat {department} niveau {level} aannemen",
        "let {department} accept level {level}",
    ),
    "op_remove_pin": (
        "laat de vastgezette plaatsing van {learner} op {department} ({months}) los",
        "drop the pin of {learner} in {department} ({months})",
    ),
    "op_buddy_unavailable": (
        "werkbegeleider {buddy} afwezig in {months}",
        "buddy {buddy} away in {months}",
    ),
    "op_add_learners": (
        "{count} leerlingen meer ({programme}, start {start})",
        "{count} more learners ({programme}, starting {start})",
    ),
    "op_add_learners_1": (
        "1 leerling meer ({programme}, start {start})",
        "1 more learner ({programme}, starting {start})",
    ),
    "op_set_policy": (
        "verruim de marge van de evenredige verdeling naar ±{pct} %",
        "widen the fair-share tolerance to ±{pct} %",
    ),
    "outcome_places": (
        "plaatst {k} leerling(en) meer; nog {left} ongeplaatst",
        "places {k} more learner(s); {left} still unplaced",
    ),
    "outcome_places_all": (
        "plaatst alle {k} ongeplaatste leerlingen",
        "places all {k} unplaced learners",
    ),
    "outcome_places_one": (
        "plaatst de ongeplaatste leerling",
        "places the unplaced learner",
    ),
    "outcome_plan": (
        "dan bestaat er een planning: {placed} van de {n} leerlingen geplaatst (niet: "
        "{learners})",
        "then a plan exists: {placed} of {n} learners placed (not: {learners})",
    ),
    "outcome_all": (
        "dan kunnen alle {n} leerlingen geplaatst worden",
        "then all {n} learners can be placed",
    ),
    # ----- suggestions as variant files (explain --out DIR) -------------------------------
    "variant_file": ("suggestie-{k}.yaml", "suggestion-{k}.yaml"),
    "variant_name": ("suggestie {k}", "suggestion {k}"),
    "variant_try": (
        "Proberen: scheduler whatif {base} {file} --out VERGELIJKING",
        "Try it: scheduler whatif {base} {file} --out COMPARISON",
    ),
    "variant_written": ("Voorstel {k} als variant: {path}", "Suggestion {k} as a variant: {path}"),
    "variant_hint": (
        "Met --out MAP schrijft explain elk voorstel als variantbestand voor whatif.",
        "With --out DIR explain writes each suggestion as a variant file for whatif.",
    ),
}


@dataclass(frozen=True)
class Sub:
    """A sentence part rendered in the language of the sentence it sits in."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def rule_list(rules: Iterable[object], lang: str) -> str:
    return ids_text([rule_name(str(r), lang) for r in rules], lang)


def _show(name: str, value: Any, lang: str) -> str:
    if isinstance(value, Sub):
        return render(value.key, lang, **value.params)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, Sub) for v in value):
            return f" {AND[lang]} ".join(render(v.key, lang, **v.params) for v in value)
        if name == "rules" or (value and all(isinstance(v, Enum) for v in value)):
            return rule_list(value, lang)
        return months_text(value) if name.endswith("months") else ids_text(value, lang)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return short(value, lang, 1)
    return str(value)


def render(key: str, lang: str = "nl", **params: Any) -> str:
    """The sentence ``key`` in ``lang`` with its parameters formatted."""
    text = SENTENCES[key][LANGUAGES.index(check_lang(lang))]
    return text.format(**{name: _show(name, value, lang) for name, value in params.items()})


def jsonable(value: Any) -> Any:
    """Parameters as plain JSON data (parts as ``{key, params}``, rules as their ids)."""
    if isinstance(value, Sub):
        return {"key": value.key, "params": {k: jsonable(v) for k, v in value.params.items()}}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def from_json(value: Any) -> Any:
    """The inverse of :func:`jsonable` as far as rendering needs it (parts back to Subs)."""
    if isinstance(value, dict):
        if set(value) == {"key", "params"} and value["key"] in SENTENCES:
            return Sub(value["key"], {k: from_json(v) for k, v in value["params"].items()})
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def reason_text(entry: Mapping[str, Any], lang: str = "nl") -> str:
    """The reason of one ``unplaced_learners`` entry of kpis.json in ``lang``: rendered
    again from its key and parameters, or the stored text (a kpis.json of another kind)."""
    key, params = entry.get("key"), entry.get("params")
    if isinstance(key, str) and key in SENTENCES and isinstance(params, dict):
        try:
            return render(key, lang, **from_json(params))
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            pass
    return str(entry.get("reason", ""))


__all__ = ["SENTENCES", "Sub", "from_json", "jsonable", "reason_text", "render", "rule_list"]
