"""Every sentence of ``scheduler explain`` (and of the unplaced reasons in kpis.json), in
English and Dutch, in one place.

A sentence is a template key plus parameters (ids, months, numbers). Parameters stay
data until rendering, so ``explain.json`` carries both: the key and its parameters for
tools, the rendered text for people. Lists are joined (``A, B and 3 more``), a list of
months named ``*months`` becomes ranges (``2027-09..2027-11, 2028-02``), floats lose
trailing zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import RuleId, months_text, ordinal_month

LANGS = ("en", "nl")
MAX_IDS = 8

EN: dict[str, str] = {
    # ----- headings and status ----------------------------------------------------------
    "title": "Explanation: {scenario}",
    "screens": "Quick checks (no solver):",
    "status_ok": "All {n} learners can be placed; every hard rule holds.",
    "status_unplaced": "{placed} of {n} learners can be placed. {k} cannot: {learners}.",
    "status_unplaced_unproven": "{placed} of {n} learners were placed within the time limit "
    "(not proven to be the most). Not placed: {learners}.",
    "status_noplan": "No plan satisfies the hard rules.",
    "status_noplan_unknown": "No plan was found within the time limit (none proven impossible "
    "either); try a longer --time-limit.",
    "why_learners": "Why these learners cannot be placed:",
    "why_noplan": "What makes every plan impossible:",
    "to_place_all": "What it would take to place them all (the smallest change found):",
    "elastic_none": "Even with every rule relaxed no plan was found in time.",
    "elastic_free": "Nothing needs to change: the relaxed model places everyone without "
    "breaking a rule. The search ran out of time; try a longer --time-limit.",
    "stuck": "No relaxation of {rules} places {learners}.",
    "suggestions": "Suggestions (each applied to the scenario and checked with a new plan):",
    "no_suggestions": "No single change found that was checked to help.",
    "suggestions_skipped": "Suggestions skipped (--no-suggestions).",
    "written": "explain.json written to {path}",
    "and_more": "{items} and {n} more",
    "and": "and",
    # ----- one unplaced learner (the funnel, given the plan's occupancy) ----------------
    "row_travel": "{learner}, placement {placement} ({months}): no department within {limit} "
    "km{also} (nearest: {near_km} km at {near})",
    "row_level": "{learner}, placement {placement} ({months}): no department within reach "
    "accepts level {level}{near_text}",
    "row_starter": "{learner}, placement {placement} ({months}): starters work only in "
    "fixed-shift departments (geen wisseldiensten) in their first {starter} months, and "
    "there is none within reach",
    "row_distinct": "{learner}, placement {placement} ({months}): every department within "
    "reach was used before ({departments}; never the same department twice)",
    "history_repeats": "{learner}, placement {placement} ({months}): the learner's history "
    "already repeats {departments}, and the programme never repeats a department",
    "row_pin": "{learner}, placement {placement} ({months}): the pinned department "
    "{department} {why}",
    "row_freeze": "{learner}, placement {placement} ({months}): the frozen baseline months "
    "allow no department",
    "row_rules": "{learner}, placement {placement} ({months}): no department passes {rules} "
    "together",
    "row_full": "{learner}, placement {placement} ({months}): the {n} department(s) it may "
    "use ({departments}) have no free {what} in {full_months}{except_}",
    "row_full_except": "; {department} has room but {why}",
    "what_places": "places",
    "what_buddies": "buddies",
    "learner_carrousel_full": "{learner} needs {need} placement(s) away from {home} "
    "(Carrousel), but the departments of other organisations it may use ({departments}) "
    "are full",
    "learner_carrousel_none": "{learner} needs {need} placement(s) away from {home} "
    "(Carrousel), but no department of another organisation is within reach",
    "learner_sector_none": "No {sector} department within {limit} km of learner {learner}"
    "{near_text}",
    "learner_sector_full": "{learner} needs a {sector} placement, but the {sector} "
    "departments it may use ({departments}) are full",
    "learner_distinct": "{learner} has {n} placements but can only use {departments} (never "
    "the same department twice)",
    "learner_fair_share": "placing {learner} would take {organisations} beyond the fair-share "
    "tolerance (±{pct} %)",
    "learner_combination": "no combination of free places meets capacity, Carrousel and "
    "sector rules together; placing {learner} would displace another learner",
    "learner_freeze": "{learner} is unplaced in the frozen months of the baseline",
    "near_none": " (none in the region)",
    "near_at": " (nearest: {near_km} km at {near})",
    "near_level": "; {department} accepts levels {levels}",
    "also_fixed": " with fixed shifts",
    "also_level": " accepting level {level}",
    "also_both": " with fixed shifts accepting level {level}",
    "why_travel": "is {km} km away (limit {limit} km)",
    "why_level": "does not accept level {level}",
    "why_starter": "has rotating shifts (starters: fixed shifts only in the first {starter} "
    "months)",
    "why_distinct": "was used before",
    "why_pin": "is not the pinned department",
    "why_freeze": "is not the department of the frozen baseline",
    "why_pinned_by": "is excluded by {rules}",
    # ----- the elastic model's broken rules ----------------------------------------------
    "break_capacity": "{department} would need {value} place(s) in {months}; capacity {limit} "
    "({learners})",
    "break_pins_capacity": "Pins of {learners} put {value} learners in {department} in "
    "{months}; capacity {limit}",
    "break_buddy": "The buddies of {department} can guide {limit} learner(s) in {months}"
    "{away}; {value} need one ({learners})",
    "break_buddy_only": "Buddy {buddy} is the only buddy of {department} and is away "
    "{away_months}; {value} learner(s) need one in {months} ({learners})",
    "break_buddy_none": "{department} has no buddy (werkbegeleider); {value} learner(s) "
    "need one in {months} ({learners})",
    "buddy_away": " ({buddies} away)",
    "break_travel": "{learner}: placement {placement} at {department}{pinned} is {km} km away; "
    "limit {limit} km",
    "break_level": "{learner} (level {level}) in placement {placement} at {department}"
    "{pinned}, which accepts levels {levels}",
    "break_starter_shifts": "{learner}: starter months {months} at {department}{pinned}, which "
    "has rotating shifts (wisseldiensten)",
    "break_distinct_departments": "{learner} would be in {department} twice{pinned}",
    "break_carrousel": "{learner} would have {amount} placement(s) too few away from {home} "
    "(Carrousel: at least {need})",
    "break_required_sectors": "{learner} would have no {sector} placement",
    "break_fair_share_max": "{organisation} would host {value} learner-months, {amount} more "
    "than its fair share allows (±{pct} %)",
    "break_fair_share_min": "{organisation} would host {value} learner-months, {amount} fewer "
    "than its fair share requires (±{pct} %)",
    "break_pin": "the pin of {learner} in {department} ({months}) cannot hold{because}",
    "pin_because": ": {department} {why}",
    "pinned_note": " (pinned)",
    # ----- suggestions -------------------------------------------------------------------
    "op_add_capacity": "add {amount} places at {department} in {months}",
    "op_add_capacity_1": "add 1 place at {department} in {months}",
    "op_add_buddies": "add {count} buddies (werkbegeleiders, up to {max_learners} learners "
    "each) to {department}",
    "op_add_buddies_1": "add a buddy (werkbegeleider, up to {max_learners} learners) to "
    "{department}",
    "op_buddy_available": "have buddy {buddy} available in {months}",
    "op_set_learner": "raise the travel limit of {learner} to {max_travel_km} km",
    "op_add_level": "let {department} accept level {level}",
    "op_remove_pin": "drop the pin of {learner} in {department} ({months})",
    "op_set_policy": "widen the fair-share tolerance to ±{pct} %",
    "outcome_places": "places {k} more learner(s); {left} still unplaced",
    "outcome_places_all": "places all {k} unplaced learners",
    "outcome_places_one": "places the unplaced learner",
    "outcome_plan": "then a plan exists: {placed} of {n} learners placed (not: {learners})",
    "outcome_all": "then all {n} learners can be placed",
}

NL: dict[str, str] = {
    "title": "Uitleg: {scenario}",
    "screens": "Snelle controles (zonder solver):",
    "status_ok": "Alle {n} leerlingen kunnen geplaatst worden; elke harde regel "
    "geldt.",
    "status_unplaced": "{placed} van de {n} leerlingen kunnen geplaatst worden. {k} niet: "
    "{learners}.",
    "status_unplaced_unproven": "{placed} van de {n} leerlingen zijn binnen de tijdslimiet "
    "geplaatst (niet bewezen het maximum). Niet geplaatst: {learners}.",
    "status_noplan": "Geen enkele planning voldoet aan de harde regels.",
    "status_noplan_unknown": "Binnen de tijdslimiet is geen planning gevonden (en ook niet "
    "bewezen dat er geen is); probeer een langere --time-limit.",
    "why_learners": "Waarom deze leerlingen niet geplaatst kunnen worden:",
    "why_noplan": "Waardoor elke planning onmogelijk is:",
    "to_place_all": "Wat er nodig is om ze allemaal te plaatsen (de kleinste gevonden "
    "wijziging):",
    "elastic_none": "Zelfs met alle regels versoepeld is binnen de tijd geen planning "
    "gevonden.",
    "elastic_free": "Er hoeft niets te veranderen: het versoepelde model plaatst iedereen "
    "zonder een regel te breken. De zoektocht liep tegen de tijdslimiet; probeer een langere "
    "--time-limit.",
    "stuck": "Geen versoepeling van {rules} plaatst {learners}.",
    "suggestions": "Voorstellen (elk toegepast op het scenario en gecontroleerd met een nieuwe "
    "planning):",
    "no_suggestions": "Geen enkele wijziging gevonden waarvan gecontroleerd is dat ze helpt.",
    "suggestions_skipped": "Voorstellen overgeslagen (--no-suggestions).",
    "written": "explain.json geschreven naar {path}",
    "and_more": "{items} en {n} meer",
    "and": "en",
    "row_travel": "{learner}, plaatsing {placement} ({months}): geen afdeling binnen {limit} "
    "km{also} (dichtstbij: {near_km} km bij {near})",
    "row_level": "{learner}, plaatsing {placement} ({months}): geen afdeling binnen bereik "
    "neemt niveau {level} aan{near_text}",
    "row_starter": "{learner}, plaatsing {placement} ({months}): starters werken de eerste "
    "{starter} maanden alleen op afdelingen met vaste diensten (geen wisseldiensten), en "
    "die is er niet binnen bereik",
    "row_distinct": "{learner}, plaatsing {placement} ({months}): elke afdeling binnen bereik "
    "is al eerder gebruikt ({departments}; nooit twee keer dezelfde afdeling)",
    "history_repeats": "{learner}, plaatsing {placement} ({months}): de historie herhaalt al "
    "{departments}, en het programma herhaalt nooit een afdeling",
    "row_pin": "{learner}, plaatsing {placement} ({months}): de vastgezette afdeling "
    "{department} {why}",
    "row_freeze": "{learner}, plaatsing {placement} ({months}): de bevroren maanden van de "
    "basisplanning laten geen afdeling toe",
    "row_rules": "{learner}, plaatsing {placement} ({months}): geen afdeling voldoet aan "
    "{rules} samen",
    "row_full": "{learner}, plaatsing {placement} ({months}): de {n} afdeling(en) die in "
    "aanmerking komen ({departments}) hebben geen vrije {what} in {full_months}{except_}",
    "row_full_except": "; {department} heeft ruimte maar {why}",
    "what_places": "plekken",
    "what_buddies": "werkbegeleiders",
    "learner_carrousel_full": "{learner} moet {need} plaatsing(en) buiten {home} doen "
    "(Carrousel), maar de afdelingen van andere organisaties die in aanmerking komen "
    "({departments}) zijn vol",
    "learner_carrousel_none": "{learner} moet {need} plaatsing(en) buiten {home} doen "
    "(Carrousel), maar er is geen afdeling van een andere organisatie binnen bereik",
    "learner_sector_none": "Geen {sector}-afdeling binnen {limit} km van leerling {learner}"
    "{near_text}",
    "learner_sector_full": "{learner} heeft een {sector}-plaatsing nodig, maar de "
    "{sector}-afdelingen die in aanmerking komen ({departments}) zijn vol",
    "learner_distinct": "{learner} heeft {n} plaatsingen maar kan alleen terecht bij "
    "{departments} (nooit twee keer dezelfde afdeling)",
    "learner_fair_share": "{learner} plaatsen brengt {organisations} buiten de marge van de "
    "evenredige verdeling (±{pct} %)",
    "learner_combination": "geen combinatie van vrije plekken voldoet tegelijk aan "
    "capaciteit, Carrousel en sectoren; {learner} plaatsen verdringt een andere leerling",
    "learner_freeze": "{learner} is ongeplaatst in de bevroren maanden van de basisplanning",
    "near_none": " (geen in de regio)",
    "near_at": " (dichtstbij: {near_km} km bij {near})",
    "near_level": "; {department} neemt niveaus {levels} aan",
    "also_fixed": " met vaste diensten",
    "also_level": " die niveau {level} aanneemt",
    "also_both": " met vaste diensten die niveau {level} aanneemt",
    "why_travel": "ligt op {km} km (grens {limit} km)",
    "why_level": "neemt niveau {level} niet aan",
    "why_starter": "heeft wisseldiensten (starters: de eerste {starter} maanden alleen vaste "
    "diensten)",
    "why_distinct": "is al eerder gebruikt",
    "why_pin": "is niet de vastgezette afdeling",
    "why_freeze": "is niet de afdeling van de bevroren basisplanning",
    "why_pinned_by": "valt af door {rules}",
    "break_capacity": "{department} zou {value} plek(ken) nodig hebben in {months}; "
    "capaciteit {limit} ({learners})",
    "break_pins_capacity": "Vastgezette plaatsingen van {learners} zetten {value} leerlingen "
    "op {department} in {months}; capaciteit {limit}",
    "break_buddy": "De werkbegeleiders van {department} kunnen {limit} leerling(en) begeleiden "
    "in {months}{away}; {value} hebben er een nodig ({learners})",
    "break_buddy_only": "Werkbegeleider {buddy} is de enige van {department} en is afwezig "
    "{away_months}; {value} leerling(en) hebben begeleiding nodig in {months} ({learners})",
    "break_buddy_none": "{department} heeft geen werkbegeleider; {value} leerling(en) hebben "
    "er een nodig in {months} ({learners})",
    "buddy_away": " ({buddies} afwezig)",
    "break_travel": "{learner}: plaatsing {placement} bij {department}{pinned} ligt op {km} km; "
    "grens {limit} km",
    "break_level": "{learner} (niveau {level}) in plaatsing {placement} bij {department}"
    "{pinned}, dat niveaus {levels} aanneemt",
    "break_starter_shifts": "{learner}: startmaanden {months} bij {department}{pinned}, met "
    "wisseldiensten",
    "break_distinct_departments": "{learner} zou twee keer op {department} zitten{pinned}",
    "break_carrousel": "{learner} zou {amount} plaatsing(en) te weinig buiten {home} hebben "
    "(Carrousel: minstens {need})",
    "break_required_sectors": "{learner} zou geen {sector}-plaatsing hebben",
    "break_fair_share_max": "{organisation} zou {value} leerling-maanden opleiden, {amount} "
    "meer dan de evenredige verdeling toelaat (±{pct} %)",
    "break_fair_share_min": "{organisation} zou {value} leerling-maanden opleiden, {amount} "
    "minder dan de evenredige verdeling vraagt (±{pct} %)",
    "break_pin": "de vastgezette plaatsing van {learner} op {department} ({months}) kan niet "
    "blijven{because}",
    "pin_because": ": {department} {why}",
    "pinned_note": " (vastgezet)",
    "op_add_capacity": "voeg {amount} plekken toe bij {department} in {months}",
    "op_add_capacity_1": "voeg 1 plek toe bij {department} in {months}",
    "op_add_buddies": "voeg {count} werkbegeleiders (elk tot {max_learners} leerlingen) toe "
    "aan {department}",
    "op_add_buddies_1": "voeg een werkbegeleider (tot {max_learners} leerlingen) toe aan "
    "{department}",
    "op_buddy_available": "laat werkbegeleider {buddy} beschikbaar zijn in {months}",
    "op_set_learner": "verhoog de maximale reisafstand van {learner} naar {max_travel_km} km",
    "op_add_level": "laat {department} niveau {level} aannemen",
    "op_remove_pin": "laat de vastgezette plaatsing van {learner} op {department} ({months}) "
    "los",
    "op_set_policy": "verruim de marge van de evenredige verdeling naar ±{pct} %",
    "outcome_places": "plaatst {k} leerling(en) meer; nog {left} ongeplaatst",
    "outcome_places_all": "plaatst alle {k} ongeplaatste leerlingen",
    "outcome_places_one": "plaatst de ongeplaatste leerling",
    "outcome_plan": "dan bestaat er een planning: {placed} van de {n} leerlingen geplaatst "
    "(niet: {learners})",
    "outcome_all": "dan kunnen alle {n} leerlingen geplaatst worden",
}

TEMPLATES = {"en": EN, "nl": NL}

RULE_NAMES = {
    "en": {
        RuleId.PLACEMENT: "placement", RuleId.PIN: "pins", RuleId.CAPACITY: "capacity",
        RuleId.BUDDY: "buddies", RuleId.STARTER_SHIFTS: "starter rule (fixed shifts)",
        RuleId.CARROUSEL: "Carrousel", RuleId.REQUIRED_SECTORS: "required sectors",
        RuleId.DISTINCT_DEPARTMENTS: "distinct departments", RuleId.LEVEL: "level",
        RuleId.TRAVEL: "travel distance", RuleId.FAIR_SHARE: "fair-share tolerance",
    },
    "nl": {
        RuleId.PLACEMENT: "plaatsing", RuleId.PIN: "vastgezette plaatsingen",
        RuleId.CAPACITY: "capaciteit", RuleId.BUDDY: "werkbegeleiders",
        RuleId.STARTER_SHIFTS: "startersregel (vaste diensten)", RuleId.CARROUSEL: "Carrousel",
        RuleId.REQUIRED_SECTORS: "verplichte sectoren",
        RuleId.DISTINCT_DEPARTMENTS: "steeds een andere afdeling", RuleId.LEVEL: "niveau",
        RuleId.TRAVEL: "reisafstand", RuleId.FAIR_SHARE: "marge evenredige verdeling",
    },
}  # fmt: skip


def month_list(months: Iterable[int]) -> list[str]:
    return [ordinal_month(o) for o in sorted(set(months))]


def ids_text(items: Iterable[Any], lang: str = "en", limit: int = MAX_IDS) -> str:
    items = [str(i) for i in items]
    if len(items) <= limit:
        if len(items) > 1:
            return f"{', '.join(items[:-1])} {TEMPLATES[lang]['and']} {items[-1]}"
        return "".join(items)
    return TEMPLATES[lang]["and_more"].format(items=", ".join(items[:limit]),
                                              n=len(items) - limit)


def number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def rule_names(rules: Iterable[RuleId | str], lang: str) -> str:
    return ids_text([RULE_NAMES[lang][RuleId(r)] for r in rules], lang)


@dataclass(frozen=True)
class Sub:
    """A sentence part rendered in the language of the sentence it sits in."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _show(name: str, value: Any, lang: str) -> str:
    if isinstance(value, Sub):
        return render(value.key, lang, **value.params)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, Sub) for v in value):
            sep = f" {TEMPLATES[lang]['and']} "
            return sep.join(render(v.key, lang, **v.params) for v in value)
        if value and all(isinstance(v, RuleId) for v in value):
            return rule_names(value, lang)
        return months_text(value) if name.endswith("months") else ids_text(value, lang)
    if isinstance(value, float):
        return number(value)
    return str(value)


def render(key: str, lang: str = "en", **params: Any) -> str:
    """The sentence ``key`` in ``lang`` with its parameters formatted."""
    lang = lang if lang in TEMPLATES else "en"
    shown = {name: _show(name, value, lang) for name, value in params.items()}
    return TEMPLATES[lang][key].format(**shown)


def jsonable(value: Any) -> Any:
    """Parameters as plain JSON data (parts as ``{key, params}``)."""
    if isinstance(value, Sub):
        return {"key": value.key, "params": {k: jsonable(v) for k, v in value.params.items()}}
    if isinstance(value, RuleId):
        return value.value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Cause:
    """One statement of an explanation: the rules it names and its data."""

    rule: RuleId  # the rule it is mainly about
    key: str  # template key
    params: Mapping[str, Any] = field(default_factory=dict)
    rules: tuple[RuleId, ...] = ()  # every rule it names, ``rule`` first
    learners: tuple[str, ...] = ()  # the learners it is about

    @property
    def all_rules(self) -> tuple[RuleId, ...]:
        return self.rules or (self.rule,)

    def text(self, lang: str = "en") -> str:
        return render(self.key, lang, **self.params)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "section": self.rule.spec_section,
            "rules": [r.value for r in self.all_rules],
            "learners": list(self.learners),
            "key": self.key,
            "params": jsonable(dict(self.params)),
            "text": self.text(lang),
        }
