"""Every label of the workbench, Dutch first, English with ?lang=en."""

from __future__ import annotations

from typing import Any

from . import LANGUAGES, Table, column
from .messages import text_of

LANGS = LANGUAGES

TEXT: Table = {  # key: (nl, en)
    "app": ("Planningswerkbank", "Planning workbench"),
    "workspace": ("Werkmap", "Workspace"),
    "scenarios": ("Scenario's in de werkmap", "Scenarios in the workspace"),
    "no_scenarios": ("Nog geen scenario's: open een meegeleverd scenario, begin met een "
                     "sjabloon of upload er een.",
                     "No scenarios yet: open a shipped scenario, start from a template or "
                     "upload one."),
    "shipped": ("Meegeleverde scenario's", "Shipped scenarios"),
    "open": ("Openen", "Open"),
    "upload": ("Scenario uploaden", "Upload a scenario"),
    "upload_hint": ("YAML, een zip met YAML en CSV-tabellen, of een Excel-werkmap (.xlsx); "
                    "hoogstens 20 MB.",
                    "YAML, a zip of YAML and CSV tables, or an Excel workbook (.xlsx); "
                    "at most 20 MB."),
    "upload_failed": ("Het bestand is niet ingelezen. Wat er mis is:",
                      "The file was not read. What is wrong:"),
    "template": ("Begin met een sjabloon", "Start from a template"),
    "template_hint": ("Een kleine voorbeeldregio om met uw eigen gegevens in te vullen: "
                      "organisaties, afdelingen met hun plaatsen, werkbegeleiders, een "
                      "opleiding en een paar leerlingen. Of download het, vul het in Excel in "
                      "en upload het hiernaast:",
                      "A small example region to fill in with your own data: organisations, "
                      "departments with their places, buddies, a programme and a few "
                      "learners. Or download it, fill it in in Excel and upload it here:"),
    "template_name": ("Naam in de werkmap", "Name in the workspace"),
    "template_name_rule": ("letters, cijfers, '-' en '_'; de eerste een letter of cijfer",
                           "letters, digits, '-' and '_'; the first a letter or digit"),
    "template_start": ("Maken en openen", "Create and open"),
    "template_default": ("mijn-regio", "my-region"),
    "template_file": ("sjabloon", "template"),
    "template_xlsx": ("sjabloon als Excel-werkmap", "template as Excel workbook"),
    "template_yaml": ("als YAML", "as YAML"),
    "template_failed": ("Het sjabloon is niet geopend. Wat er mis is:",
                        "The template was not opened. What is wrong:"),
    "table": ("tabel", "table"),
    "row": ("rij", "row"),
    "field": ("veld", "field"),
    "general": ("algemeen", "general"),
    "learners": ("leerlingen", "learners"),
    "departments": ("afdelingen", "departments"),
    "organisations": ("organisaties", "organisations"),
    "buddies": ("werkbegeleiders", "buddies"),
    "pins": ("vastgezette plaatsingen", "pins"),
    "months": ("maanden", "months"),
    "from": ("van", "from"),
    "to": ("t/m", "to"),
    "checks": ("Controle van het scenario", "Scenario checks"),
    "checks_ok": ("Geen problemen gevonden.", "No problems found."),
    "error": ("fout", "error"),
    "warning": ("waarschuwing", "warning"),
    "solve": ("Plannen", "Plan"),
    "time_limit": ("Rekentijd (seconden)", "Time limit (seconds)"),
    "start_solve": ("Plan maken", "Make a plan"),
    "runs": ("Plannen van dit scenario", "Plans of this scenario"),
    "run": ("Plan", "Plan"),
    "no_runs": ("Nog geen plannen.", "No plans yet."),
    "capacity": ("Capaciteit per maand aanpassen", "Change capacity per month"),
    "department": ("Afdeling", "Department"),
    "new_capacity": ("Plaatsen", "Places"),
    "save": ("Opslaan", "Save"),
    "edit_section": ("Scenario aanpassen", "Edit the scenario"),
    "buddy_leave": ("Verlof van een werkbegeleider", "A buddy's leave"),
    "leave_away": ("afwezig", "away"),
    "leave_back": ("weer beschikbaar", "available again"),
    "learner_edit": ("Start en voorkeuren van een leerling", "A learner's start and preferences"),
    "learner_add": ("Leerling toevoegen", "Add a learner"),
    "learner_remove": ("Leerling verwijderen", "Remove a learner"),
    "preferences_hint": ("afdelingen, eerste keus eerst, met komma's ertussen",
                         "departments, first choice first, separated by commas"),
    "id": ("Code", "Id"),
    "programme": ("Opleiding", "Programme"),
    "home": ("Werkgever", "Home organisation"),
    "start": ("Start", "Start"),
    "preferences": ("Voorkeuren", "Preferences"),
    "none": ("geen", "none"),
    "remove": ("Verwijderen", "Remove"),
    "add": ("Toevoegen", "Add"),
    "done_leave": ("Verlof van {id} opgeslagen.", "Leave of {id} saved."),
    "done_back": ("{id} is weer beschikbaar in die maanden.",
                  "{id} is available again in those months."),
    "done_learner": ("Start en voorkeuren van {id} opgeslagen.",
                     "Start and preferences of {id} saved."),
    "done_added": ("Leerling {id} toegevoegd.", "Learner {id} added."),
    "done_removed": ("Leerling {id} verwijderd (met vastgezette plaatsingen).",
                     "Learner {id} removed (with their pins)."),
    "saved_capacity": ("Capaciteit van {dept} aangepast ({first} t/m {last}: {n}).",
                       "Capacity of {dept} changed ({first} to {last}: {n})."),
    "state_running": ("bezig", "running"),
    "state_done": ("klaar", "done"),
    "state_stopped": ("gestopt; beste plan bewaard", "stopped; best plan kept"),
    "state_stopped_no_plan": ("gestopt voordat er een plan was", "stopped before any plan"),
    "state_no_plan": ("geen plan mogelijk binnen de harde regels",
                      "no plan satisfies the hard rules"),
    "state_failed": ("mislukt", "failed"),
    "state_killed": ("afgebroken (het rekenproces stopte onverwacht)",
                     "cut off (the solve process ended unexpectedly)"),
    "state_queued": ("wacht", "waiting"),
    "server_stopped": ("de server stopte tijdens het rekenen",
                       "the server stopped during the solve"),
    "stop": ("Stoppen (beste plan bewaren)", "Stop (keep the best plan)"),
    "progress_start": ("Het rekenproces start …", "The solve is starting …"),
    "progress_build": ("{t} s: het model voor {n} leerlingen wordt opgebouwd en een eerste plan "
                       "gezocht (nog hoogstens {left} s) …",
                       "{t} s: building the model for {n} learners and looking for a first "
                       "plan (at most {left} s left) …"),
    "progress_plan": ("{t} s: plan {k} gevonden; nog aan het verbeteren (nog hoogstens {left} s).",
                      "{t} s: plan {k} found; still improving (at most {left} s left)."),
    "progress_gap": (" Hoogstens {gap} % van het best mogelijke.",
                     " At most {gap} % from the best possible."),
    "progress_writing": ("Plan wordt weggeschreven …", "Writing the plan …"),
    "lang": ("nl", "en"),  # the page's language: numbers are written its way
    "progress_placed": ("{placed} van {n} geplaatst", "{placed} of {n} placed"),
    "progress_most": ("; hoogstens {most} mogelijk", "; at most {most} possible"),
    "placed_of": ("{placed} van {n} geplaatst", "{placed} of {n} placed"),
    "kpis": ("Kerncijfers", "Key figures"),
    "status": ("status", "status"),
    "first_choice": ("eerste keus", "first choice"),
    "fair_dev": ("afwijking evenredige verdeling (leerling-maanden)",
                 "fair-share deviation (learner-months)"),
    "travel": ("reisafstand totaal (km)", "travel, total (km)"),
    "buddy_changes": ("wisselingen werkbegeleider", "buddy changes"),
    "solve_seconds": ("rekentijd (s)", "solve time (s)"),
    "fair_share": ("Bezetting en evenredige verdeling per organisatie",
                   "Occupancy and fair share per organisation"),
    "fte": ("fte zorg", "care FTE"),
    "occupancy": ("bezetting", "occupancy"),
    "of_places": ("van {n}", "of {n}"),
    "target": ("evenredig deel", "fair share"),
    "hosted": ("ontvangen leerling-maanden", "hosted learner-months"),
    "deviation": ("afwijking", "deviation"),
    "unplaced": ("Niet geplaatst", "Unplaced"),
    "nobody_unplaced": ("Iedereen is geplaatst.", "Everyone is placed."),
    "reason": ("reden", "reason"),
    "rule": ("regel", "rule"),
    "gantt": ("Planning (Gantt)", "Plan (Gantt)"),
    "by_learner": ("per leerling", "per learner"),
    "by_department": ("per organisatie en afdeling", "per organisation and department"),
    "filter": ("Zoeken (id, naam, organisatie, afdeling)",
               "Filter (id, name, organisation, department)"),
    "zoom": ("Zoom", "Zoom"),
    "move": ("Leerling verplaatsen of vastzetten", "Move or pin a learner"),
    "move_hint": ("De controle draait meteen; het plan wordt pas herberekend als u opnieuw "
                  "plant.", "The check runs at once; nothing is solved until you re-plan."),
    "learner": ("Leerling", "Learner"),
    "placement": ("Plaatsing", "Placement"),
    "check_move": ("Verplaatsen en controleren", "Move and check"),
    "draft_ok": ("Het aangepaste plan voldoet aan alle harde regels.",
                 "The edited plan keeps every hard rule."),
    "draft_bad": ("Het aangepaste plan breekt {n} harde regel(s):",
                  "The edited plan breaks {n} hard rule(s):"),
    "draft_pin": ("{learner} is vastgezet op {dept} ({first} t/m {last}); opnieuw plannen "
                  "houdt dat vast.",
                  "{learner} is pinned to {dept} ({first} to {last}); re-planning keeps it."),
    "discard": ("Handmatige wijzigingen ongedaan maken", "Undo the hand moves"),
    "replan": ("Opnieuw plannen", "Re-plan"),
    "replan_hint": ("Met zo min mogelijk wijzigingen ten opzichte van dit plan.",
                    "With as few changes as possible against this plan."),
    "fresh": ("Helemaal opnieuw (zonder vergelijkingsplan)", "From scratch (no baseline)"),
    "moved": ("Ten opzichte van plan {base}: {learners} leerling(en) verplaatst, "
              "{months} leerling-maand(en).",
              "Against plan {base}: {learners} learner(s) moved, {months} learner-month(s)."),
    "who_moved": ("Wie verhuist waarheen", "Who moved where"),
    "downloads": ("Downloads", "Downloads"),
    "reports_pending": ("plan.xlsx en report.html worden nog gemaakt …",
                        "plan.xlsx and report.html are still being made …"),
    "scenario_yaml": ("scenario als YAML", "scenario as YAML"),
    "scenario_xlsx": ("scenario als Excel-werkmap", "scenario as Excel workbook"),
    "back": ("terug", "back"),
    "log": ("Verloop van het rekenen", "Solve log"),
    "unavailable": ("afwezig", "away"),
    "pref_rank": ("voorkeur {k}", "preference {k}"),
    "pref_none": ("geen voorkeur", "no preference"),
    "buddy": ("werkbegeleider", "buddy"),
    "capacity_short": ("capaciteit", "capacity"),
    "shown": ("{n} van {total} getoond", "{n} of {total} shown"),
    "variant": ("Wat als …? Een variant van dit scenario",
                "What if …? A variant of this scenario"),
    "variant_places": ("Extra plaatsen op een afdeling", "Extra places in a department"),
    "variant_leave": ("Een werkbegeleider afwezig", "A buddy away"),
    "variant_learners": ("Meer leerlingen (zoals een bestaande opleiding en start)",
                         "More learners (like an existing programme and start)"),
    "count": ("Aantal", "Number"),
    "suggestions": ("Voorstellen om meer leerlingen te plaatsen",
                    "Suggestions to place more learners"),
    "suggestions_hint": ("Dezelfde analyse als scheduler explain: elk voorstel is "
                         "nagerekend door het veranderde scenario opnieuw te plannen. Het "
                         "rekenen gebeurt buiten de werkbank; de pagina blijft bruikbaar.",
                         "The same analysis as scheduler explain: each suggestion is "
                         "checked by planning the changed scenario again. It runs outside "
                         "the workbench; the page stays usable."),
    "find_suggestions": ("Voorstellen zoeken", "Look for suggestions"),
    "find_again": ("Opnieuw zoeken", "Look again"),
    "suggestions_running": ("Voorstellen worden gezocht en nagerekend …",
                            "Looking for suggestions and checking them …"),
    "suggestions_found": ("{n} nagerekend(e) voorstel(len) ({checked} geprobeerd):",
                          "{n} checked suggestion(s) ({checked} tried):"),
    "no_suggestions": ("Geen voorstel gevonden dat meer leerlingen plaatst.",
                       "No suggestion found that places more learners."),
    "suggestions_failed": ("Het zoeken naar voorstellen is mislukt; zie explain/solve.log "
                           "bij dit plan.",
                           "Looking for suggestions failed; see explain/solve.log of this "
                           "plan."),
    "try_suggestion": ("Als variant plannen en vergelijken",
                       "Plan as a variant and compare"),
    "suggestion_gain": ("Verwacht volgens het voorstel: {outcome}.",
                        "Expected from the suggestion: {outcome}."),
    "variant_hint": ("Maakt een nieuw scenario naast dit (dit scenario blijft zoals het is); "
                     "plan daar basis en variant naast elkaar en vergelijk ze.",
                     "Makes a new scenario beside this one (which stays as it is); plan base "
                     "and variant side by side there and compare them."),
    "extra_places": ("Extra plaatsen", "Extra places"),
    "make_variant": ("Variant maken", "Make the variant"),
    "variant_of": ("Variant van", "Variant of"),
    "solve_both": ("Basis en variant plannen", "Plan base and variant"),
    "compare": ("Vergelijking", "Comparison"),
    "compare_hint": ("Plan eerst basis en variant.", "Plan base and variant first."),
    "language": ("English", "Nederlands"),
}


def issue_line(issue: Any, lang: str) -> str:
    """An input problem in the page's language where its words exist (a Msg): the file,
    table, row, id and field as they are, the words around them the page's."""
    t = texts(lang)
    where = [issue.file]
    if issue.table:
        where.append(f"{t['table']} {issue.table}")
    if issue.row is not None:
        where.append(f"{t['row']} {issue.row}")
    if issue.id:
        where.append(f"id '{issue.id}'")
    if issue.field:
        where.append(f"{t['field']} '{issue.field}'")
    return f"{', '.join(where)}: {text_of(issue.message, lang)}"


def texts(lang: str) -> dict[str, str]:
    return column(TEXT, "en" if lang == "en" else "nl")


def js_texts(lang: str) -> dict[str, Any]:
    """The labels the Gantt script needs (passed as JSON, shown with textContent)."""
    t = texts(lang)
    keys = ("unavailable", "pref_rank", "pref_none", "buddy", "unplaced", "reason",
            "capacity_short", "shown", "placement", "department", "learner")
    return {k: t[k] for k in keys}
