"""What each column of an exported scenario workbook means, in Dutch and English.

Keys are ``table.column`` (or ``column`` when the meaning is the same in every table);
the settings keys of the ``scenario`` sheet are dotted as in the sheet.
"""

from __future__ import annotations

from . import Table

NOTES: Table = {
    # ----- scenario sheet ---------------------------------------------------------------
    "scenario": ("versie van het bestandsformaat: 1", "format version: 1"),
    "name": ("naam van het scenario (vrije tekst)", "scenario name (free text)"),
    "calendar.start": ("eerste maand van de planperiode, JJJJ-MM", "first month, YYYY-MM"),
    "calendar.months": ("lengte van de planperiode in maanden", "planning window in months"),
    "policy.quota_per_100_fte": ("opleidingsquote: leerplaatsen per 100 fte zorg (15)",
                                 "training quota: places per 100 care FTE (15)"),
    "policy.buddy_max_learners": ("max. leerlingen per werkbegeleider tegelijk (2)",
                                  "most learners per buddy at once (2)"),
    "policy.max_travel_km": ("max. reisafstand in km (40)", "maximum travel in km (40)"),
    "policy.fair_share_tolerance": (
        "harde grens evenredige verdeling, bijv. 0,10 = ±10 % (leeg = geen)",
        "hard fair-share limit, e.g. 0.10 = ±10 % (empty = none)"),
    "policy.weights": ("gewicht in de doelfunctie", "objective weight"),
    # ----- shared columns ---------------------------------------------------------------
    "lat": ("breedtegraad (leeg = die van de organisatie)", "latitude (empty = organisation's)"),
    "lon": ("lengtegraad (leeg = die van de organisatie)", "longitude (empty = organisation's)"),
    "unavailable": ("maanden JJJJ-MM of reeksen JJJJ-MM/JJJJ-MM, gescheiden door ;",
                    "months YYYY-MM or ranges YYYY-MM/YYYY-MM, separated by ;"),
    # ----- organisations ----------------------------------------------------------------
    "organisations.id": ("korte code van de organisatie, uniek", "short unique organisation code"),
    "organisations.name": ("naam van de organisatie", "organisation name"),
    "organisations.sector": ("sector: VVT, GHZ, GGZ, ZKH, WIJK, ... (keuzelijst)",
                             "sector: VVT, GHZ, GGZ, ZKH, WIJK, ... (dropdown)"),
    "organisations.fte_care": ("fte zorgpersoneel (> 0); bepaalt het evenredig aandeel",
                               "care staff FTE (> 0); sets the fair share"),
    "organisations.lat": ("breedtegraad", "latitude"),
    "organisations.lon": ("lengtegraad", "longitude"),
    # ----- departments -------------------------------------------------------------------
    "departments.id": ("code van de afdeling/het team, uniek", "unique department/team code"),
    "departments.organisation": ("organisatie (keuzelijst uit het blad organisations)",
                                 "organisation (dropdown from the organisations sheet)"),
    "departments.sector": ("sector, leeg = die van de organisatie",
                           "sector, empty = the organisation's"),
    "departments.shifts": ("fixed = vaste diensten, rotating = wisseldiensten",
                           "fixed or rotating shifts"),
    "departments.capacity": ("leerlingen tegelijk (≥ 0)", "learners at once (≥ 0)"),
    "departments.capacity_by_month": ("afwijkende capaciteit per maand: 2027-12=1;2028-01=0",
                                      "capacity per month: 2027-12=1;2028-01=0"),
    "departments.levels": ("niveaus die de afdeling aanneemt, bijv. 3;4 (leeg = alle)",
                           "levels accepted, e.g. 3;4 (empty = all)"),
    # ----- buddies -----------------------------------------------------------------------
    "buddies.id": ("code van de werkbegeleider, uniek", "unique buddy code"),
    "buddies.department": ("afdeling (keuzelijst uit het blad departments)",
                           "department (dropdown from the departments sheet)"),
    "buddies.max_learners": ("max. leerlingen tegelijk (leeg = beleid)",
                             "most learners at once (empty = policy)"),
    "buddies.unavailable": ("afwezig (verlof, ziekte, scholing): maanden of reeksen",
                            "away (leave, illness, training): months or ranges"),
    # ----- programmes --------------------------------------------------------------------
    "programmes.id": ("code van de opleiding, uniek", "unique programme code"),
    "programmes.kind": ("soort: trainee, bbl, hbo_duaal, bol of vrije tekst",
                        "kind: trainee, bbl, hbo_duaal, bol or free text"),
    "programmes.placements": ("lengtes van de plaatsingen in maanden, bijv. 6;6;6;6",
                              "placement lengths in months, e.g. 6;6;6;6"),
    "programmes.carrousel_min_away": ("Carrousel: min. plaatsingen buiten de werkgever",
                                      "Carrousel: placements away from home at least"),
    "programmes.required_sectors": ("verplichte sectoren, gescheiden door ;",
                                    "required sectors, separated by ;"),
    "programmes.starter_fixed_shifts_months": ("eerste maanden zonder wisseldiensten",
                                               "first months in fixed shifts only"),
    "programmes.distinct_departments": ("true = nooit twee keer dezelfde afdeling",
                                        "true = never the same department twice"),
    # ----- learners ----------------------------------------------------------------------
    "learners.id": ("code van de leerling, uniek", "unique learner code"),
    "learners.name": ("naam (persoonsgegeven; leeg mag)", "name (personal data; may be empty)"),
    "learners.programme": ("opleiding (keuzelijst uit het blad programmes)",
                           "programme (dropdown from the programmes sheet)"),
    "learners.home": ("werkgever (keuzelijst; leeg voor BOL-stagiairs)",
                      "employer (dropdown; empty for BOL interns)"),
    "learners.start": ("startmaand JJJJ-MM (keuzelijst)", "start month YYYY-MM (dropdown)"),
    "learners.level": ("niveau, bijv. 3", "level, e.g. 3"),
    "learners.lat": ("breedtegraad woonplaats (leeg = werkgever)",
                     "home latitude (empty = employer's)"),
    "learners.lon": ("lengtegraad woonplaats (leeg = werkgever)",
                     "home longitude (empty = employer's)"),
    "learners.max_travel_km": ("max. reisafstand (leeg = beleid)",
                               "maximum travel (empty = policy)"),
    "learners.preferences": ("wensen op volgorde: organisatie- of afdelingscodes, gescheiden "
                             "door ;", "wishes in order: organisation or department codes, "
                                       "separated by ;"),
    "learners.unavailable": ("maanden zonder plaats (schoolblok): maanden of reeksen",
                             "months without a place (school block): months or ranges"),
    "learners.history": ("afdelingen van eerdere plaatsingen vóór de planperiode, op volgorde",
                         "departments of placements before the window, in order"),
    # ----- pins --------------------------------------------------------------------------
    "pins.learner": ("leerling (keuzelijst)", "learner (dropdown)"),
    "pins.month": ("één maand JJJJ-MM, of gebruik from/to", "one month YYYY-MM, or from/to"),
    "pins.from": ("eerste maand van de vastgezette plaatsing", "first month of the pin"),
    "pins.to": ("laatste maand (tot en met)", "last month (inclusive)"),
    "pins.department": ("afdeling (keuzelijst)", "department (dropdown)"),
    "pins.buddy": ("werkbegeleider (keuzelijst; leeg = vrij te kiezen)",
                   "buddy (dropdown; empty = free)"),
}  # fmt: skip

HEADINGS = {
    "nl": ("Blad", "Kolom", "Toelichting", "Leeg = standaardwaarde. Kolomnamen niet wijzigen; "
           "rijen toevoegen mag. Keuzelijsten staan op het blad keuzelijsten."),
    "en": ("Sheet", "Column", "Meaning", "Empty = default. Keep the column names; add rows "
           "freely. The dropdowns' lists are on the sheet 'dropdown lists'."),
}
NOTES_SHEET = {"nl": "toelichting", "en": "explanation"}
LISTS_SHEET = {"nl": "keuzelijsten", "en": "dropdown lists"}


def note(table: str, column: str, lang: str) -> str:
    """The explanation of one column (or settings key) in ``lang``."""
    i = 0 if lang == "nl" else 1
    for key in (f"{table}.{column}", column, column.rsplit(".", 1)[0]):
        if key in NOTES:
            return NOTES[key][i]
    return ""
