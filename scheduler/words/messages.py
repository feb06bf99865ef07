"""The messages of ``scheduler validate`` and ``scheduler check`` and the lines the
commands print about them.

A :class:`Msg` is a string (its English text: what tools, logs and ``str()`` see) that also
keeps its key and parameters, so a command prints it in the reader's language with
``msg.text(lang)``. Ids, months, rows and fields stay as they are in every language; only
the words around them change. Floats are written the language's way: ``13,1 km``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import LANGUAGES, Table, check_lang
from .format import AND_MORE, MAX_IDS, num, short
from .problems import PROBLEMS

MESSAGES: Table = {
    # ----- validate: screens (warnings and errors) ---------------------------------------
    "regional_capacity": (
        "meer leerlingen hebben een plaats nodig dan de regio biedt (capaciteit van de "
        "afdelingen, begrensd door beschikbare werkbegeleiders) in {n} maand(en): {months}; "
        "wie er niet bij past, blijft ongeplaatst",
        "more learners need a place than the region offers (department capacity, limited by "
        "available buddies) in {n} month(s): {months}; the surplus is left unplaced",
    ),
    "month_short": ("{month}: {learners} leerlingen, {places} plaatsen",
                    "{month}: {learners} learners, {places} places"),
    "sector_none": (
        "sector '{sector}' is verplicht in de opleiding van {n} leerlingen, maar geen "
        "afdeling heeft die sector (sectoren: {sectors})",
        "sector '{sector}' is required by {n} learners' programmes, but no department has "
        "that sector (sectors: {sectors})",
    ),
    "sector_short": (
        "sector '{sector}': {n} leerlingen hebben er een plaatsing nodig, samen minstens "
        "{need} leerling-maanden, maar de afdelingen bieden in die maanden maar {offer} "
        "leerling-maanden",
        "sector '{sector}': {n} learners need a placement there, at least {need} "
        "learner-months, but its departments offer only {offer} learner-months in those months",
    ),
    "starter_month": (
        "{month}: {n} leerlingen hebben een plaats met vaste diensten nodig, {places} "
        "beschikbaar",
        "{month}: {n} learners need a fixed-shift place, {places} available",
    ),
    "starter_short": (
        "starters van cohort {start} werken in hun eerste plaatsing(en) alleen op afdelingen "
        "met vaste diensten (geen wisseldiensten), maar er zijn te weinig plaatsen: {lines}",
        "starters of cohort {start} work only in fixed-shift departments (geen "
        "wisseldiensten) in their first placement(s), but there are too few places: {lines}",
    ),
    "level_note": (" die niveau {level} aanneemt", " accepting level {level}"),
    "levels_note": (" die niveau {level} aannemen", " accepting level {level}"),
    "nearest": ("; de dichtstbijzijnde is {department} op {km} km",
                "; the nearest is {department} at {km} km"),
    "reach_sector": (
        "leerling {learner} heeft een plaatsing in sector '{sector}' nodig, maar geen "
        "'{sector}'-afdeling{level} ligt binnen {limit} km{nearest}",
        "learner {learner} needs a placement in sector '{sector}', but no '{sector}' "
        "department{level} lies within {limit} km{nearest}",
    ),
    "reach_count": (
        "leerling {learner} heeft {n} plaatsing(en) te plannen, maar maar {ok} afdeling(en)"
        "{level} liggen binnen {limit} km{nearest}",
        "learner {learner} has {n} placement(s) to plan, but only {ok} department(s){level} "
        "lie within {limit} km{nearest}",
    ),
    "programme_window": (
        "{n} leerling(en) van opleiding {programme} met start {start} ({learners}) lopen "
        "door tot {last}, na de laatste maand van de planperiode {window_last}; hun "
        "plaatsingen worden helemaal gepland",
        "{n} learner(s) of programme {programme} starting {start} ({learners}) run until "
        "{last}, past the window's last month {window_last}; their placements are planned "
        "in full",
    ),
    "no_location": (
        "leerling(en) {learners} hebben geen werkgever en geen lat/lon: hun reisafstand is "
        "niet te controleren",
        "learner(s) {learners} have neither a home organisation nor lat/lon: their travel "
        "distance cannot be checked",
    ),
    "no_buddies": (
        "afdeling {department} heeft capaciteit maar geen werkbegeleiders: daar kan geen "
        "leerling geplaatst worden",
        "department {department} has capacity but no buddies (werkbegeleiders): no learner "
        "can be placed there",
    ),
    "pin_outside": (
        "vastgezette plaatsing van leerling {learner} op {department} valt in {months}, "
        "buiten de opleiding van de leerling ({span})",
        "pin of learner {learner} in {department} covers {months}, outside the learner's "
        "programme ({span})",
    ),
    "pin_buddy_away": (
        "vastgezette plaatsing van leerling {learner} noemt werkbegeleider {buddy}, die "
        "afwezig is in {months}",
        "pin of learner {learner} names buddy {buddy}, who is unavailable in {months}",
    ),
    "pin_two_buddies": (
        "vastgezette plaatsingen noemen twee werkbegeleiders voor leerling {learner} in "
        "{month} (een van hen {buddy}); een leerling heeft één werkbegeleider per maand",
        "pins name two buddies for learner {learner} in {month} (one of them {buddy}); a "
        "learner has one buddy a month",
    ),
    "pin_two_departments": (
        "vastgezette plaatsingen zetten leerling {learner} op {departments} tijdens "
        "plaatsing {index}, die één afdeling heeft",
        "pins put learner {learner} in {departments} during placement {index}, which has "
        "one department",
    ),
    "pin_repeats": (
        "vastgezette plaatsingen zetten leerling {learner} {n} plaatsingen op {department}, "
        "maar de opleiding herhaalt nooit een afdeling",
        "pins put learner {learner} in {department} for {n} placements, but the programme "
        "never repeats a department",
    ),
    "history_repeats": (
        "leerling {learner}: de historie herhaalt {departments}, maar opleiding {programme} "
        "herhaalt nooit een afdeling; de leerling kan niet geplaatst worden",
        "learner {learner}: history repeats {departments}, but programme {programme} never "
        "repeats a department; the learner cannot be placed",
    ),
    "pin_where": (
        "vastgezette plaatsing van leerling {learner} op {department} ({months})",
        "pin of learner {learner} in {department} ({months})",
    ),
    "pin_level": ("{where}: de afdeling neemt niveau {level} niet aan",
                  "{where}: the department does not accept level {level}"),
    "pin_travel": ("{where}: {km} km ver, meer dan de {limit} km van de leerling",
                   "{where}: {km} km away, more than the learner's {limit} km"),
    "pin_starter": (
        "{where}: een startersplaatsing vraagt een afdeling met vaste diensten, deze heeft "
        "wisseldiensten",
        "{where}: a starter placement needs a fixed-shift department, this one has rotating "
        "shifts",
    ),
    "pin_capacity": (
        "vastgezette plaatsingen zetten {n} leerlingen op {department} in {month}, maar daar "
        "passen er maar {places} (capaciteit {capacity}, werkbegeleiders {buddies})",
        "pins put {n} learners in {department} in {month}, but it takes only {places} "
        "(capacity {capacity}, buddies {buddies})",
    ),
    "pin_buddy_load": (
        "vastgezette plaatsingen geven werkbegeleider {buddy} {n} leerlingen in {month}, "
        "meer dan de toegestane {most}",
        "pins give buddy {buddy} {n} learners in {month}, more than the {most} allowed",
    ),
    # ----- check: hard rules of a plan ---------------------------------------------------
    "not_a_learner": ("geen leerling van het scenario ({n} rijen)",
                      "not a learner of the scenario ({n} rows)"),
    "no_rows": ("leerling heeft geen rijen in het plan", "learner has no rows in the plan"),
    "missing_rows": ("rijen ontbreken voor {months}", "missing rows for {months}"),
    "rows_outside": ("rijen buiten de opleiding van de leerling: {months}",
                     "rows outside the learner's programme: {months}"),
    "placement_index": ("plaatsingsnummer {got}, verwacht {expected}",
                        "placement index {got}, expected {expected}"),
    "double_rows": ("{n} rijen voor één maand", "{n} rows for one month"),
    "placed_in_part": (
        "deels geplaatst: {unplaced} van {rows} rijen niet geplaatst (een leerling is "
        "helemaal geplaatst of helemaal niet)",
        "placed in part: {unplaced} of {rows} rows unplaced (a learner is placed in full "
        "or not at all)",
    ),
    "unplaced_names": (
        "een niet-geplaatste rij noemt een organisatie, afdeling of werkbegeleider",
        "an unplaced row names an organisation, department or buddy",
    ),
    "unknown_department": ("onbekende afdeling '{department}'",
                           "unknown department '{department}'"),
    "no_department": ("geen afdeling", "no department"),
    "wrong_organisation": (
        "organisatie '{organisation}', maar de afdeling hoort bij {owner}",
        "organisation '{organisation}', but the department is of {owner}",
    ),
    "unknown_buddy": ("onbekende werkbegeleider '{buddy}'", "unknown buddy '{buddy}'"),
    "away_but_placed": (
        "de leerling is deze maand niet beschikbaar: de status moet 'unavailable' zijn",
        "the learner is unavailable this month: status must be 'unavailable'",
    ),
    "unavailable_but_here": (
        "status 'unavailable' in een maand dat de leerling beschikbaar is",
        "status 'unavailable' in a month the learner is available",
    ),
    "changes_department": (
        "plaatsing {index} ({months}) wisselt van afdeling: {departments}",
        "placement {index} ({months}) changes department: {departments}",
    ),
    "pin_unplaced": ("vastgezette leerling is niet geplaatst", "pinned learner is unplaced"),
    "pin_moved": ("vastgezet op {department}, het plan heeft {got}",
                  "pinned to {department}, plan has {got}"),
    "pin_buddy_moved": ("vastgezet bij werkbegeleider {buddy}, het plan heeft {got}",
                        "pinned to buddy {buddy}, plan has {got}"),
    "no_buddy": ("geen werkbegeleider", "no buddy"),
    "capacity": ("{n} leerlingen aanwezig, capaciteit {capacity} ({learners})",
                 "{n} learners present, capacity {capacity} ({learners})"),
    "buddy_when_away": ("een werkbegeleider staat in een maand dat de leerling afwezig is",
                        "a buddy is named in the learner's unavailable month"),
    "no_buddy_named": ("geen werkbegeleider genoemd", "no buddy named"),
    "buddy_elsewhere": ("werkbegeleider {buddy} hoort bij afdeling {department}, niet {row}",
                        "buddy {buddy} is of department {department}, not {row}"),
    "buddy_away": ("werkbegeleider {buddy} is deze maand afwezig",
                   "buddy {buddy} is unavailable this month"),
    "buddy_load": ("begeleidt {n} leerlingen, max_learners {most} ({learners})",
                   "guides {n} learners, max_learners {most} ({learners})"),
    "starter_rotating": (
        "plaatsing {index} is op een afdeling met wisseldiensten, maar de eerste {n} maanden "
        "van de opleiding vragen vaste diensten",
        "placement {index} is in a rotating department (wisseldiensten), but the first {n} "
        "months of the programme need fixed shifts",
    ),
    "carrousel": ("{away} plaatsingen buiten werkgever {home}, carrousel_min_away {need}",
                  "{away} placements away from home {home}, carrousel_min_away {need}"),
    "none_home": ("(geen)", "(none)"),
    "no_sector": ("geen plaatsing in verplichte sector {sector}",
                  "no placement in required sector {sector}"),
    "repeated_department": ("afdeling gebruikt voor {n} plaatsingen (historie meegeteld)",
                            "department used for {n} placements (history included)"),
    "level": ("plaatsing {index}: niveau {level} niet toegestaan (niveaus {levels})",
              "placement {index}: level {level} not accepted (levels {levels})"),
    "levels_none": ("geen", "none"),
    "travel": ("plaatsing {index}: {km} km, max_travel_km {limit}",
               "placement {index}: {km} km, max_travel_km {limit}"),
    "fair_share": (
        "organisatie {organisation} ontvangt {hosted} leerling-maanden; evenredig aandeel "
        "{target} ± {tolerance} ({low}–{high})",
        "organisation {organisation} hosts {hosted} learner-months; fair share {target} "
        "± {tolerance} ({low}–{high})",
    ),
    # ----- what-if variants: what applying the changes dropped or left short ---------------
    "buddy_shortfall": (
        "{op} {department}: in {month}{more} begeleiden de werkbegeleiders minder leerlingen "
        "dan de capaciteit, dus niet elke plaats is te gebruiken; voeg werkbegeleiders toe "
        "(add_buddies)",
        "{op} {department}: in {month}{more} its buddies guide fewer learners than its "
        "capacity, so not every place can be used; add buddies (add_buddies)",
    ),
    "more_months": (" en {n} maand(en) meer", " and {n} more month(s)"),
    "pins_of_removed": (
        "remove_learners: {n} vastgezette plaatsing(en) van de verwijderde leerlingen vervallen",
        "remove_learners: {n} pin(s) of the removed learners dropped",
    ),
    "pins_dropped": ("{what}: vastgezette plaatsingen vervallen voor {learners} (elders gepland)",
                     "{what}: pins dropped for {learners} (planned elsewhere)"),
    "preferences_dropped": ("{what}: voorkeuren vervallen voor {learners}",
                            "{what}: preferences dropped for {learners}"),
    "history_dropped": (
        "{what}: eerdere plaatsingen (historie) tellen niet meer mee voor {learners}",
        "{what}: earlier placements (history) no longer counted for {learners}",
    ),
    "homeless": (
        "{what}: {n} leerling(en) die daar in dienst zijn, houden geen werkgever: {learners}",
        "{what}: {n} learner(s) employed there stay without a home organisation: {learners}",
    ),
    "pin_buddy_dropped": (
        "buddy_unavailable {buddy}: de vastgezette plaatsing van {learner} op {department} "
        "noemt deze werkbegeleider niet meer",
        "buddy_unavailable {buddy}: the pin of {learner} in {department} no longer names this "
        "buddy",
    ),
    "validate_note": ("validate: {message}", "validate: {message}"),
    # ----- the commands' lines -------------------------------------------------------------
    "finding": ("{level}: {message}", "{level}: {message}"),
    "validate_summary": (
        "{path}: {learners} leerlingen, {departments} afdelingen, {organisations} "
        "organisaties; {errors} fouten, {warnings} waarschuwingen",
        "{path}: {learners} learners, {departments} departments, {organisations} "
        "organisations; {errors} errors, {warnings} warnings",
    ),
    "check_bad": ("{path}: {n} overtredingen van de harde regels",
                  "{path}: {n} violations of the hard rules"),
    "check_ok": ("{path}: OK, elke harde regel geldt",
                 "{path}: OK, every hard rule holds"),
    # ----- the workbench's uploads (scheduler serve) -----------------------------------------
    "upload_too_large": ("het bestand is groter dan {mb} MB", "the file is larger than {mb} MB"),
    "upload_choose": ("kies eerst een bestand", "choose a file first"),
    "upload_kind": ("een '{suffix}'-bestand is geen scenario; geef een .yaml-, .yml-, .xlsx- "
                    "of .zip-bestand",
                    "cannot read a '{suffix}' file as a scenario; give a .yaml, .yml, .xlsx "
                    "or .zip file"),
    "upload_yaml_csv": (
        "dit YAML-bestand verwijst naar CSV-bestanden ({files}), die niet mee zijn gestuurd; "
        "upload een zip met de YAML en die CSV-bestanden",
        "this YAML file refers to CSV files ({files}), which were not sent with it; upload "
        "a zip of the YAML with its CSV files",
    ),
    "zip_unreadable": ("geen leesbaar zip-bestand", "not a readable zip file"),
    "zip_entries": ("de zip bevat meer dan {n} bestanden", "the zip holds more than {n} files"),
    "zip_entry_damaged": ("het bestand '{entry}' in de zip is niet te lezen ({why}); de zip is "
                          "beschadigd",
                          "the zip entry '{entry}' cannot be read ({why}); the zip is damaged"),
    "zip_encrypted": ("het is versleuteld", "it is encrypted"),
    "zip_compression": ("een onbekende compressie", "an unknown compression"),
    "zip_damaged_entry": ("een beschadigd bestand", "a damaged entry"),
    "zip_too_large": ("de zip wordt uitgepakt groter dan {mb} MB",
                      "the zip unpacks to more than {mb} MB"),
    "zip_absolute": ("het bestand '{entry}' in de zip heeft een absoluut pad; geweigerd",
                     "the zip entry '{entry}' is an absolute path; refused"),
    "zip_dotdot": ("het bestand '{entry}' in de zip verlaat de map van de zip ('..'); geweigerd",
                   "the zip entry '{entry}' leaves the zip's folder ('..'); refused"),
    "zip_link": ("het bestand '{entry}' in de zip is een koppeling; geweigerd",
                 "the zip entry '{entry}' is a link; refused"),
    "zip_suffix": ("het bestand '{entry}' in de zip is geen .yaml-, .yml- of .csv-bestand; "
                   "geweigerd",
                   "the zip entry '{entry}' is not a .yaml, .yml or .csv file; refused"),
    "zip_yaml_count": ("de zip moet precies één scenario-.yaml bevatten, bovenin (gevonden: "
                       "{n})",
                       "the zip must hold exactly one scenario .yaml at its top level "
                       "(found {n})"),
}  # fmt: skip

LEVELS = {"error": ("fout", "error"), "warning": ("waarschuwing", "warning")}


@dataclass(frozen=True)
class Fixed:
    """A number written with ``digits`` decimals in the reader's language (``2,0``)."""

    value: float
    digits: int = 1
    percent: bool = False  # a share written as a percentage: 0.1 → ``10 %``

    def text(self, lang: str) -> str:
        if self.percent:  # English as Python writes it (10%), Dutch with a space (10 %)
            return f"{num(100 * self.value, lang, self.digits)}{' ' if lang == 'nl' else ''}%"
        return num(self.value, lang, self.digits)


def listed(items: list[str], lang: str, limit: int = MAX_IDS, more: int = 0) -> str:
    """``a, b, c`` and past ``limit`` ``… en 3 meer`` (``more``: items not given, counted)."""
    if len(items) <= limit and not more:
        return ", ".join(items)
    return AND_MORE[check_lang(lang)].format(items=", ".join(items[:limit]),
                                             n=len(items[limit:]) + more)


@dataclass(frozen=True)
class Items:
    """A list shown comma-separated (each item a Msg, a string or a number)."""

    items: tuple[Any, ...]
    limit: int = MAX_IDS
    more: int = 0  # further items, only counted

    def text(self, lang: str) -> str:
        return listed([_show(i, lang) for i in self.items], lang, self.limit, self.more)


def _show(value: Any, lang: str) -> str:
    if isinstance(value, (Msg, Fixed, Items)):
        return value.text(lang)
    if isinstance(value, float):
        return short(value, lang, 3)
    return str(value)


class Msg(str):
    """A message: its English text as a string, and ``text(lang)`` for people."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Msg:
        self = super().__new__(cls, _render(key, "en", params))
        self.key, self.params = key, params
        return self

    def text(self, lang: str = "nl") -> str:
        return _render(self.key, lang, self.params)

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (worker processes) as a Msg
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict[str, Any]) -> Msg:
    return Msg(key, **params)


def _render(key: str, lang: str, params: dict[str, Any]) -> str:
    pair = MESSAGES[key] if key in MESSAGES else PROBLEMS[key]  # the loaders' input errors
    text = pair[LANGUAGES.index(check_lang(lang))]
    return text.format(**{k: _show(v, lang) for k, v in params.items()})


def text_of(message: str, lang: str = "nl") -> str:
    """A message in ``lang`` when it is a :class:`Msg`, else as it is."""
    return message.text(lang) if isinstance(message, Msg) else message


def thing(what: str) -> str:
    """A kind of file (``scenario file``, ``workbook``) as a Msg when the words know it."""
    return Msg(f"what.{what}") if f"what.{what}" in PROBLEMS else what


def count(n: int) -> Fixed:
    """A count written with the language's thousands separator (``200.000``, ``200,000``)."""
    return Fixed(n, digits=0)


def level_name(level: str, lang: str = "nl") -> str:
    pair = LEVELS.get(level)
    return pair[LANGUAGES.index(check_lang(lang))] if pair else level


def say_line(key: str, lang: str = "nl", **params: Any) -> str:
    """One line a command prints (``validate_summary``, ``check_ok``, …)."""
    return _render(key, lang, params)


__all__ = ["MESSAGES", "Fixed", "Items", "Msg", "count", "level_name", "listed", "say_line",
           "text_of", "thing"]
