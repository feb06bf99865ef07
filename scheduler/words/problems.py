"""The input errors of the loaders (issue 23 point 5): schema, references, files, options.

An :class:`~scheduler.errors.InputIssue` keeps its message as a
:class:`~scheduler.words.messages.Msg` where one of these sentences fits: its value stays the
English text (tools, tests and ``str()`` see English), and the command prints it in its
language. The file, table, row, id and field an issue names, and every value it quotes,
stay as they are in every language; only the words around them change.
"""

from __future__ import annotations

from . import Table

_WEIGHTS = ("unplaced", "preference", "fair_share", "travel", "buddy_change", "stability")

# What a field must hold ("must be <hint>, got ..."), one key per field: ``hint.<field>``.
HINTS: Table = {
    "hint.valid": ("geldig", "valid"),
    "hint.id": ("een niet-lege id", "a non-empty id"),
    "hint.fte_care": ("een aantal fte groter dan 0", "a number of FTE greater than 0"),
    "hint.lat": ("een breedtegraad tussen -90 en 90", "a latitude between -90 and 90"),
    "hint.lon": ("een lengtegraad tussen -180 en 180", "a longitude between -180 and 180"),
    "hint.shifts": ("'fixed' (vaste diensten) of 'rotating' (wisseldiensten)",
                    "'fixed' (vaste diensten) or 'rotating' (wisseldiensten)"),
    "hint.capacity": ("een geheel getal ≥ 0", "a whole number ≥ 0"),
    "hint.capacity_by_month": ("paren maand=aantal, bijv. 2027-12=1;2028-01=0",
                               "month=number pairs, e.g. 2027-12=1;2028-01=0"),
    "hint.levels": ("een lijst van gehele getallen, bijv. 3;4",
                    "a list of whole numbers, e.g. 3;4"),
    "hint.max_learners": ("een geheel getal ≥ 0", "a whole number ≥ 0"),
    "hint.unavailable": ("een lijst van maanden JJJJ-MM of reeksen JJJJ-MM/JJJJ-MM",
                         "a list of months YYYY-MM or ranges YYYY-MM/YYYY-MM"),
    "hint.placements": ("een lijst van minstens één plaatsingsduur in hele maanden, bijv. 6;6;6",
                        "a list of at least one placement length in whole months, e.g. 6;6;6"),
    "hint.carrousel_min_away": ("een geheel getal ≥ 0", "a whole number ≥ 0"),
    "hint.starter_fixed_shifts_months": ("een geheel aantal maanden ≥ 0",
                                         "a whole number of months ≥ 0"),
    "hint.distinct_departments": ("true of false", "true or false"),
    "hint.required_sectors": ("een lijst van sectornamen", "a list of sector names"),
    "hint.level": ("een geheel getal", "a whole number"),
    "hint.max_travel_km": ("een afstand in km ≥ 0", "a distance in km ≥ 0"),
    "hint.preferences": ("een lijst van id's van organisaties of afdelingen",
                         "a list of organisation or department ids"),
    "hint.history": ("een lijst van id's van afdelingen", "a list of department ids"),
    "hint.start": ("een maand JJJJ-MM, bijv. 2027-09", "a month YYYY-MM, e.g. 2027-09"),
    "hint.month": ("een maand JJJJ-MM", "a month YYYY-MM"),
    "hint.from": ("een maand JJJJ-MM", "a month YYYY-MM"),
    "hint.to": ("een maand JJJJ-MM", "a month YYYY-MM"),
    "hint.months": ("een geheel aantal maanden van 1 tot en met 240",
                    "a whole number of months from 1 to 240"),
    "hint.scenario": ("formaatversie 1", "the format version 1"),
    "hint.quota_per_100_fte": ("een getal ≥ 0", "a number ≥ 0"),
    "hint.buddy_max_learners": ("een geheel getal ≥ 0", "a whole number ≥ 0"),
    "hint.fair_share_tolerance": ("een fractie ≥ 0, bijv. 0.10", "a fraction ≥ 0, e.g. 0.10"),
    **{f"hint.{w}": ("een gewicht ≥ 0", "a weight ≥ 0") for w in _WEIGHTS},
}

# The things a file can be ("{what} not found"): ``what.<English name>``.
THINGS: Table = {
    "what.file": ("bestand", "file"),
    "what.scenario file": ("scenariobestand", "scenario file"),
    "what.CSV file": ("CSV-bestand", "CSV file"),
    "what.workbook": ("werkmap", "workbook"),
    "what.plan file": ("planbestand", "plan file"),
    "what.variant file": ("variantbestand", "variant file"),
}

# ----- what is typed into the workbench's forms (scheduler serve) ---------------------------
FORMS: Table = {
    "web.no_download": ("geen download '{name}'", "no download '{name}'"),
    "web.not_there": ("{file} is er niet (is dit plan klaar?)",
                      "{file} is not there (has this plan finished?)"),
    "web.time_limit_number": ("de tijdslimiet moet een aantal seconden zijn",
                              "the time limit must be a number of seconds"),
    "web.time_limit_range": ("de tijdslimiet moet tussen {lo} en {hi} seconden liggen",
                             "the time limit must lie between {lo} and {hi} seconds"),
    "web.month": ("maand: {problem}", "month: {problem}"),
    "web.before": ("'{last}' ligt vóór '{first}'", "'{last}' is before '{first}'"),
    "web.at_most_months": ("geef hoogstens {n} maanden tegelijk",
                           "give at most {n} months at once"),
    "web.unknown_id": ("onbekend id '{id}'", "unknown id '{id}'"),
    "web.new_learner_id": ("geef de nieuwe leerling een id", "give the new learner an id"),
    "web.learner_exists": ("er is al een leerling '{learner}'",
                           "a learner '{learner}' exists already"),
    "web.unknown_learner": ("onbekende leerling '{learner}'", "unknown learner '{learner}'"),
    "web.unknown_department": ("onbekende afdeling '{department}'",
                               "unknown department '{department}'"),
    "web.no_placement": ("leerling '{learner}' heeft geen geplande plaatsing {placement}",
                         "learner '{learner}' has no planned placement {placement}"),
    "web.capacity_min": ("de capaciteit moet 0 of meer zijn", "capacity must be 0 or more"),
    "web.placement_number": ("de plaatsing moet een nummer zijn (1, 2, ...)",
                             "placement must be a number (1, 2, ...)"),
    "web.places_whole": ("het aantal plaatsen moet een geheel getal zijn",
                         "places must be a whole number"),
    "web.unknown_variant_kind": ("onbekende soort variant '{kind}'",
                                 "unknown kind of variant '{kind}'"),
    "web.whole_number": ("{field} moet een geheel getal zijn", "{field} must be a whole number"),
    "web.between": ("{field} moet tussen {lo} en {hi} liggen",
                    "{field} must lie between {lo} and {hi}"),
    "web.not_variant": ("'{name}' is geen variant", "'{name}' is not a variant"),
    "web.no_suggestion": ("geen voorstel {rank} bij plan {plan}",
                          "no suggestion {rank} for plan {plan}"),
    "web.scenario_name": ("'{name}' kan geen naam van een scenario zijn: gebruik letters, "
                          "cijfers, '-' en '_' (hoogstens 64, de eerste een letter of cijfer)",
                          "'{name}' cannot be a scenario's name: use letters, digits, '-' "
                          "and '_' (at most 64, the first a letter or digit)"),
    "web.scenario_exists": ("er is al een scenario '{name}' in de werkmap; kies een andere "
                            "naam", "there is a scenario '{name}' in the workspace already; "
                            "choose another name"),
}  # fmt: skip


PROBLEMS: Table = {
    # ----- the frame around every issue ---------------------------------------------------
    "at_row": ("rij {row}", "row {row}"),
    "at_id": ("id '{id}'", "id '{id}'"),
    "at_field": ("veld '{field}'", "field '{field}'"),
    "at_line": ("regel {line}: {message}", "line {line}: {message}"),
    "more_problems": ("... en nog {n} problemen", "... and {n} more problems"),
    "error_line": ("fout: {text}", "error: {text}"),
    # ----- files ----------------------------------------------------------------------------
    "file_not_found": ("{what} niet gevonden", "{what} not found"),
    "file_is_folder": ("{what} is een map, geen bestand", "{what} is a folder, not a file"),
    "file_unreadable": ("{what} is niet te lezen: {reason}", "cannot read the {what}: {reason}"),
    "file_not_regular": ("{what} is geen gewoon bestand", "{what} is not a regular file"),
    "file_too_large": ("{what} is groter dan de grens van {mb} MB",
                       "{what} is larger than the limit of {mb} MB"),
    "not_text": ("is geen tekstbestand (sla het op als UTF-8-tekst)",
                 "is not a text file (save it as UTF-8 text)"),
    "not_scenario_suffix": (
        "een '{suffix}'-bestand is geen scenario; geef een .yaml-, .yml- of .xlsx-bestand",
        "cannot read a '{suffix}' file as a scenario; give a .yaml, .yml or .xlsx file",
    ),
    "scenario_empty": ("het bestand is leeg; een scenario begint met 'scenario: 1'",
                       "the file is empty; a scenario starts with 'scenario: 1'"),
    "top_not_mapping": (
        "het bovenste niveau moet uit sleutels met waarden bestaan (scenario: 1, calendar: ..., "
        "organisations: ...), maar is {value}",
        "the top level must be a mapping (scenario: 1, calendar: ..., organisations: ...), "
        "got {value}",
    ),
    "table_not_rows": ("moet een lijst van rijen of het pad van een CSV-bestand zijn, maar is "
                       "{value}",
                       "must be a list of rows or the path of a CSV file, got {value}"),
    "too_many_rows": ("meer dan {n} rijen", "more than {n} rows"),
    "too_many_columns": ("meer dan {n} kolommen", "more than {n} columns"),
    "csv_absolute": (
        "het CSV-pad '{ref}' is absoluut; geef het ten opzichte van de map van het "
        "scenariobestand (of sta het toe met --allow-outside)",
        "the CSV path '{ref}' is absolute; give it relative to the scenario file's folder "
        "(or allow it with --allow-outside)",
    ),
    "csv_outside": (
        "het CSV-pad '{ref}' wijst buiten de map van het scenariobestand (sta het toe met "
        "--allow-outside)",
        "the CSV path '{ref}' leaves the scenario file's folder (allow it with "
        "--allow-outside)",
    ),
    "bad_path": ("'{ref}' is geen bruikbaar bestandspad", "'{ref}' is not a usable file path"),
    "csv_empty": ("het bestand is leeg; verwacht werd een kopregel met de kolommen {columns}",
                  "the file is empty; expected a header row with the columns {columns}"),
    "csv_unreadable": ("geen leesbaar CSV-bestand: {reason}", "not a readable CSV file: {reason}"),
    "row_too_long": ("heeft {cells} cellen, maar de kopregel noemt maar {columns} kolommen",
                     "has {cells} cells but the header names only {columns} columns"),
    "unknown_columns": ("onbekende kolom(men) {columns}; de kolommen van {table} zijn: {known}",
                        "unknown column(s) {columns}; the columns of {table} are: {known}"),
    "column_twice": ("kolom '{column}' staat twee keer in de kopregel",
                     "column '{column}' appears twice in the header"),
    # ----- YAML -------------------------------------------------------------------------------
    "yaml_invalid_at": ("geen geldige YAML: regel {line}, kolom {column}: {problem}",
                        "not valid YAML: line {line}, column {column}: {problem}"),
    "yaml_invalid": ("geen geldige YAML: {problem}", "not valid YAML: {problem}"),
    "yaml_too_large": ("de YAML-tekst is groter dan de grens van {mb} MB",
                       "the YAML text is larger than the limit of {mb} MB"),
    "yaml_unreadable": ("de YAML is niet te lezen: {reason}", "cannot read the YAML: {reason}"),
    "yaml_too_deep": ("lijsten en mappings zijn meer dan {n} niveaus diep genest",
                      "lists and mappings are nested more than {n} levels deep"),
    "yaml_parser_depth": ("{message} (de YAML-lezer stopte bij kolom {column})",
                          "{message} (the YAML reader stopped at column {column})"),
    "yaml_key_twice": ("sleutel '{name}' staat twee keer in één mapping",
                       "key '{name}' is given twice in one mapping"),
    "yaml_two_documents": (
        "het bestand bevat meer dan één YAML-document ('---'); zet het hele scenario in één",
        "the file holds more than one YAML document ('---'); put the whole scenario in one",
    ),
    "yaml_list_too_long": ("een lijst bevat meer dan {n} elementen",
                           "a list holds more than {n} entries"),
    "yaml_too_many_nodes": (
        "het document groeit uit tot meer dan {n} waarden (te veel aliassen); het wordt niet "
        "gelezen",
        "the document expands to more than {n} values (too many aliases); refusing to read it",
    ),
    "yaml_too_many_aliases": ("meer dan {n} aliassen (*naam); het wordt niet gelezen",
                              "more than {n} aliases (*name); refusing to read it"),
    "yaml_alias_loop": ("alias *{anchor} verwijst naar een lijst of mapping die hem zelf bevat",
                        "alias *{anchor} refers to a list or mapping that contains it"),
    "yaml_alias_unknown": ("alias *{anchor} verwijst naar geen anker &{anchor} erboven",
                           "alias *{anchor} refers to no anchor &{anchor} above it"),
    # ----- workbooks ----------------------------------------------------------------------
    "xlsx_macros": (
        "de werkmap bevat (mogelijk) macro's (VBA); sla hem op als Excel-werkmap zonder "
        "macro's (.xlsx: Bestand > Opslaan als > Excel-werkmap) en geef dat bestand",
        "the workbook holds or may hold macros (VBA); save it as an Excel workbook without "
        "macros (.xlsx: File > Save As > Excel Workbook) and give that file",
    ),
    "xlsx_links": (
        "de werkmap verwijst naar andere werkmappen (externe koppelingen); verbreek de "
        "koppelingen (Excel: Gegevens > Koppelingen bewerken > Koppeling verbreken), sla op en "
        "geef dat bestand",
        "the workbook links to other workbooks (external links); break the links (Excel: "
        "Data > Edit Links > Break Link), save, and give that file",
    ),
    "xlsx_parts": ("de werkmap heeft meer dan {n} onderdelen",
                   "the workbook has more than {n} parts"),
    "xlsx_unpacks": ("de werkmap pakt uit tot meer dan {mb} MB",
                     "the workbook unpacks to more than {mb} MB"),
    "xlsx_not_workbook": ("is geen Excel-werkmap (.xlsx)", "is not an Excel workbook (.xlsx)"),
    "xlsx_unreadable": ("is geen leesbare Excel-werkmap ({reason})",
                        "is not a readable Excel workbook ({reason})"),
    "xlsx_damaged": ("de werkmap is niet te lezen ({reason})",
                     "cannot read the workbook ({reason})"),
    "xlsx_no_header": ("het werkblad heeft geen kopregel; verwacht werden de kolommen {columns}",
                       "the sheet has no header row; expected the columns {columns}"),
    "xlsx_unnamed_column": ("heeft een waarde in een kolom zonder naam in de kopregel",
                            "has a value in a column without a name in the header row"),
    "xlsx_settings_header": ("de eerste rij moet de kopregel 'key', 'value' zijn",
                             "the first row must be the header 'key', 'value'"),
    "xlsx_value_no_key": ("heeft een waarde maar geen sleutel", "has a value but no key"),
    "xlsx_unknown_key": ("onbekende sleutel '{name}'; de sleutels zijn: {known}",
                         "unknown key '{name}'; the keys are: {known}"),
    "xlsx_key_twice": ("sleutel '{name}' staat er twee keer", "key '{name}' is given twice"),
    "xlsx_unknown_sheets": ("onbekend(e) werkblad(en) {sheets}; de werkbladen zijn: {known}",
                            "unknown sheet(s) {sheets}; the sheets are: {known}"),
    "xlsx_no_settings": (
        "het werkblad '{sheet}' (rijen met sleutel en waarde: scenario, calendar.start, ...) "
        "ontbreekt",
        "the sheet '{sheet}' (key/value rows with scenario, calendar.start, ...) is missing",
    ),
    # ----- schema: cells, rows, sections ------------------------------------------------
    "cell_yes_no": ("{value} is een ja/nee-waarde", "got a yes/no value {value}"),
    "cell_not_finite": ("{value} is geen eindig getal",
                        "got {value}, which is not a finite number"),
    "cell_got": ("ingevuld is {value}", "got {value}"),
    "cell_not_pair": ("'{part}' is geen paar maand=aantal", "'{part}' is not a month=number pair"),
    "required": ("is verplicht maar niet ingevuld", "is required but not given"),
    "unknown_field": ("is geen bekend veld", "is not a known field"),
    "empty_placements": ("moet minstens één plaatsingsduur bevatten, maar de lijst is leeg",
                         "must hold at least one placement length, got an empty list"),
    "empty_list": ("moet minstens één waarde bevatten, maar de lijst is leeg",
                   "must hold at least one entry, got an empty list"),
    "text_not_yes_no": (
        "moet tekst zijn, maar is een ja/nee-waarde; zet de tekst tussen aanhalingstekens",
        "must be text, got a yes/no value; put the text in quotes",
    ),
    "must_be_got": ("moet {hint} zijn, maar is {value}", "must be {hint}, got {value}"),
    "must_be_because": ("moet {hint} zijn: {reason}", "must be {hint}: {reason}"),
    "invalid_got": ("ongeldige waarde {value} ({reason})", "{reason}, got {value}"),
    "personal_value": ("een waarde van het type {type} (niet getoond: persoonsgegevens)",
                       "a {type} value (not shown: personal data)"),
    "row_not_mapping": ("moet bestaan uit velden met waarden (veld: waarde), maar is {value}",
                        "must be a mapping of field: value, got {value}"),
    "unknown_fields": ("onbekend(e) veld(en) {fields}; de velden van {table} zijn: {known}",
                       "unknown field(s) {fields}; the fields of {table} are: {known}"),
    "section_not_mapping": ("moet bestaan uit sleutels met waarden (sleutel: waarde), maar is "
                            "{value}",
                            "must be a mapping of key: value, got {value}"),
    "calendar_missing": ("de sectie 'calendar' (start: YYYY-MM, months: N) ontbreekt",
                         "the section 'calendar' (start: YYYY-MM, months: N) is missing"),
    "unknown_key_under": ("onbekende sleutel; de sleutels van {parent} zijn: {keys}",
                          "unknown key; the keys of {parent} are: {keys}"),
    "unknown_top_keys": ("onbekende sleutel(s) {keys}; de sleutels zijn: {known}",
                         "unknown key(s) {keys}; the keys are: {known}"),
    "version_missing": ("de formaatversie ontbreekt: zet 'scenario: 1' bovenaan",
                        "the format version is missing: add 'scenario: 1' at the top"),
    "version_unknown": ("onbekende formaatversie {value}; dit programma leest versie 1",
                        "unknown format version {value}; this program reads version 1"),
    "section_missing": ("de sectie '{table}' ontbreekt", "the section '{table}' is missing"),
    "must_be_text": ("moet tekst zijn, maar is {value}", "must be text, got {value}"),
    "table_no_rows": ("moet minstens één rij bevatten", "must hold at least one row"),
    # ----- months (scheduler/models/calendar.py) -----------------------------------------
    "month_expected": ("verwacht werd een maand JJJJ-MM, maar is {value}",
                       "expected a month YYYY-MM, got {value}"),
    "month_not": ("'{text}' is geen maand (verwacht JJJJ-MM, bijv. 2027-09)",
                  "'{text}' is not a month (expected YYYY-MM, e.g. 2027-09)"),
    "month_number": ("'{text}' heeft maand {month}; maanden lopen van 01 tot en met 12",
                     "'{text}' has month {month}; months run from 01 to 12"),
    "month_year": ("'{text}' heeft een onwaarschijnlijk jaar {year}",
                   "'{text}' has an implausible year {year}"),
    "range_backwards": ("reeks '{item}' eindigt voordat hij begint",
                        "range '{item}' ends before it starts"),
    "range_too_long": ("reeks '{item}' is langer dan 100 jaar",
                       "range '{item}' is longer than 100 years"),
    # ----- references ------------------------------------------------------------------
    "did_you_mean": ("; bedoelde u '{name}'?", "; did you mean '{name}'?"),
    "duplicate_id": ("de id '{id}' komt meer dan eens voor in {table}",
                     "the id '{id}' is used more than once in {table}"),
    "ref_organisation": ("onbekende organisatie '{id}'{hint}",
                             "unknown organisation '{id}'{hint}"),
    "ref_department": ("onbekende afdeling '{id}'{hint}", "unknown department '{id}'{hint}"),
    "ref_programme": ("onbekende opleiding '{id}'{hint}", "unknown programme '{id}'{hint}"),
    "ref_learner": ("onbekende leerling '{id}'{hint}", "unknown learner '{id}'{hint}"),
    "ref_buddy": ("onbekende werkbegeleider '{id}'{hint}", "unknown buddy '{id}'{hint}"),
    "ref_target": ("'{id}' is geen organisatie en geen afdeling{hint}",
                       "'{id}' is neither an organisation nor a department{hint}"),
    "levels_empty": (
        "een lege lijst van niveaus neemt geen enkele leerling aan; laat het veld weg om elk "
        "niveau aan te nemen",
        "an empty list of levels accepts no learner; leave the field out to accept every level",
    ),
    "levels_low": ("niveaus moeten gehele getallen ≥ 1 zijn, maar het laagste is {value}",
                   "levels must be whole numbers ≥ 1, got {value}"),
    "capacity_negative": ("de capaciteit in {month} moet een geheel getal ≥ 0 zijn, maar is "
                          "{value}",
                          "the capacity in {month} must be a whole number ≥ 0, got {value}"),
    "placement_short": ("elke plaatsing moet minstens 1 maand duren, maar de kortste duurt "
                        "{value}",
                        "every placement must last at least 1 month, got {value}"),
    "programme_long": (
        "de plaatsingen duren samen {months} maanden; een opleiding duurt hoogstens {limit} "
        "maanden",
        "the placements add up to {months} months; a programme lasts at most {limit} months",
    ),
    "carrousel_too_many": (
        "{away} plaatsingen buiten de eigen organisatie gevraagd, maar de opleiding heeft er "
        "maar {n}",
        "{away} placements away from home asked, but the programme has only {n}",
    ),
    "sectors_too_many": (
        "{sectors} sectoren verplicht, maar de opleiding heeft maar {n} plaatsingen",
        "{sectors} sectors required, but the programme has only {n} placements",
    ),
    "history_too_long": (
        "noemt {n} eerdere afdelingen, maar maar {done} plaatsing(en) eindigden vóór de start "
        "van de planperiode {start}",
        "lists {n} earlier departments, but only {done} placement(s) ended before the "
        "calendar start {start}",
    ),
    "pin_buddy_elsewhere": (
        "werkbegeleider '{buddy}' hoort bij afdeling '{department}', niet bij '{pinned}'",
        "buddy '{buddy}' belongs to department '{department}', not '{pinned}'",
    ),
    # ----- variant files (scheduler/variants.py: whatif) ----------------------------------
    "in_table": ("{table}: {message}", "{table}: {message}"),
    "variant_not_mapping": (
        "een variantbestand bestaat uit de sleutels 'base', 'name' en 'changes', maar is "
        "{value}",
        "a variant file is a mapping with 'base', 'name' and 'changes', got {value}",
    ),
    "variant_no_base": (
        "geef het basisscenario, bijv. 'base: ../twente.yaml' (ten opzichte van dit "
        "bestand), maar is {value}",
        "give the base scenario, e.g. 'base: ../twente.yaml' (relative to this file), got "
        "{value}",
    ),
    "variant_base_unopenable": ("het basisscenario {ref} is niet te openen ({reason})",
                                "the base scenario {ref} cannot be opened ({reason})"),
    "variant_base_missing": ("het basisscenario '{ref}' is niet gevonden (gezocht naar "
                             "{target})",
                             "the base scenario '{ref}' was not found (looked for {target})"),
    "variant_other_base": (
        "deze variant is geschreven voor {target}, maar het basisscenario dat vergeleken "
        "wordt is {base}; pas 'base' aan of geef dat scenario",
        "this variant is written against {target}, but the base being compared is {base}; "
        "change 'base' or give that scenario",
    ),
    "changes_not_list": ("moet een lijst van wijzigingen zijn (elk '- operatie: ...'), maar "
                         "is {value}",
                         "must be a list of changes (each '- operation: ...'), got {value}"),
    "change_not_mapping": (
        "elke wijziging is één operatie met haar velden, bijv. '- add_capacity: {{...}}', "
        "maar is {value}",
        "each change is a mapping with one operation, e.g. '- add_capacity: {{...}}', got "
        "{value}",
    ),
    "unknown_operation": ("onbekende operatie {op}{hint}; de operaties zijn: {known}",
                          "unknown operation {op}{hint}; the operations are: {known}"),
    "op_not_mapping": ("verwacht velden met waarden {{{keys}}}, maar is {value}",
                       "expects a mapping {{{keys}}}, got {value}"),
    "op_unknown_field": ("onbekend veld{hint}; de velden zijn: {known}",
                         "unknown field{hint}; the fields are: {known}"),
    "whole_number": ("moet een geheel getal zijn, maar is {value}",
                     "must be a whole number, got {value}"),
    "at_least": ("moet minstens {least} zijn, maar is {value}",
                 "must be at least {least}, got {value}"),
    "at_most": ("moet hoogstens {most} zijn, maar is {value}",
                "must be at most {most}, got {value}"),
    "from_and_to": ("geef zowel 'from' als 'to', of geen van beide (elke maand)",
                    "give both 'from' and 'to', or neither (every month)"),
    "to_before_from": ("'to' {last} ligt vóór 'from' {first}",
                       "'to' {last} is before 'from' {first}"),
    "unknown_record": ("onbekende {what} {id}{hint}", "unknown {what} {id}{hint}"),
    "noun.department": ("afdeling", "department"),
    "noun.organisation": ("organisatie", "organisation"),
    "noun.programme": ("opleiding", "programme"),
    "noun.learner": ("leerling", "learner"),
    "noun.buddy": ("werkbegeleider", "buddy"),
    "every_month": ("elke maand", "every month"),
    "capacity_below_zero": ("de capaciteit van {department} in {month} zou {value} worden",
                            "the capacity of {department} in {month} would become {value}"),
    "exists_already": ("er bestaat al een {what} '{id}'", "a {what} '{id}' exists already"),
    "buddies_count": ("moet een aantal werkbegeleiders van 0 tot en met 1000 zijn, maar is "
                      "{value}",
                      "must be a number of buddies from 0 to 1000, got {value}"),
    "buddies_form": ("moet een aantal werkbegeleiders zijn of een lijst van werkbegeleiders "
                     "met hun velden",
                     "must be a number of buddies or a list of buddy records"),
    "learner_not_mapping": ("elke leerling bestaat uit velden met waarden (id, programme, "
                            "...), maar is {value}",
                            "each learner is a mapping (id, programme, ...), got {value}"),
    "only_department": ("de enige afdeling kan niet verwijderd worden",
                        "cannot remove the only department"),
    "only_organisation": ("de organisatie met alle afdelingen kan niet verwijderd worden",
                          "cannot remove the organisation that holds every department"),
    "months_or_range": ("geef 'months' of 'from'/'to', niet allebei",
                        "give 'months' or 'from'/'to', not both"),
    "from_or_months": ("geef 'from' (en 'to') of 'months'", "give 'from' (and 'to') or 'months'"),
    "policy_not_mapping": (
        "verwacht beleidsvelden met waarden, bijv. {{max_travel_km: 50}}, maar is {value}",
        "expects a mapping of policy fields, e.g. {{max_travel_km: 50}}, got {value}",
    ),
    "at_least_one_of": ("geef minstens één van {fields}", "give at least one of {fields}"),
    "no_such_pin": (
        "geen vastgezette plaatsing van {learner} op {department} van {first} tot en met "
        "{last}",
        "no pin of {learner} in {department} from {first} to {last}",
    ),
    # ----- plan files (plan.csv, plan.xlsx: check, solve --baseline, compare) -----------
    "plan_expected": ("geef plan.csv of de plan.xlsx die `scheduler solve` schreef",
                      "give plan.csv or the plan.xlsx that `scheduler solve` wrote"),
    "plan_not_text": ("is geen tekstbestand en geen werkmap; {expected}",
                      "is not a text file or workbook; {expected}"),
    "plan_csv_unreadable": ("geen leesbaar CSV-bestand op regel {line} ({reason})",
                            "not a readable CSV file at line {line} ({reason})"),
    "plan_folder": ("is een map; {expected} (bijv. {example})",
                    "is a folder; {expected} (e.g. {example})"),
    "kind.json": ("een JSON-bestand (kpis.json of explain.json?)",
                  "a JSON file (kpis.json or explain.json?)"),
    "kind.variant": ("een wat-als-variant (voor `scheduler whatif`)",
                     "a what-if variant file (for `scheduler whatif`)"),
    "kind.scenario": ("een scenariobestand", "a scenario file"),
    "kind.table": ("een scenariotabel ({table})", "a scenario table ({table})"),
    "plan_is_other": ("dit is {kind}, geen plan; {expected}",
                      "this is {kind}, not a plan; {expected}"),
    "plan_missing_columns": ("ontbrekende kolom(men) {columns} (gevonden kolommen: {found}); "
                             "{expected}",
                             "missing column(s) {columns} (columns found: {found}); {expected}"),
    "plan_other_missing": ("dit is {kind}, geen plan: {missing}",
                           "this is {kind}, not a plan: {missing}"),
    "none_found": ("geen", "none"),
    "plan_hint.placement": ("een plaatsingsnummer, een geheel getal ≥ 1",
                            "a placement number, a whole number ≥ 1"),
    "plan_hint.status": ("'placed', 'unavailable' of 'unplaced'",
                         "'placed', 'unavailable' or 'unplaced'"),
    "plan_xlsx_refused": ("{reason}; {expected}", "{reason}; {expected}"),
    "plan_xlsx_unreadable": ("is geen leesbare Excel-werkmap ({reason}); {expected}",
                             "is not a readable Excel workbook ({reason}); {expected}"),
    "plan_no_sheet": ("{what} heeft geen werkblad '{sheet}' (werkbladen: {sheets}); {expected}",
                      "{what} has no sheet '{sheet}' (sheets: {sheets}); {expected}"),
    "plan_book_scenario": ("dit is een scenario-werkmap, geen plan: hij",
                           "this is a scenario workbook, not a plan: it"),
    "plan_book": ("de werkmap", "the workbook"),
    # ----- command options and output folders --------------------------------------------
    "opt_fresh_baseline": ("--fresh plant opnieuw vanaf nul; het gaat niet samen met --baseline",
                           "--fresh plans from scratch; it cannot go with --baseline"),
    "opt_freeze_needs_baseline": (
        "--freeze-until heeft --baseline PLAN nodig (plan.csv of plan.xlsx)",
        "--freeze-until needs --baseline PLAN (plan.csv or plan.xlsx)",
    ),
    "opt_value": ("{option}: {message}", "{option}: {message}"),
    "opt_cannot_write": ("{option}: {path} is niet te schrijven: {reason}",
                         "{option}: cannot write {path}: {reason}"),
    "out_is_file": ("--out {out} is een bestand, geen map", "--out {out} is a file, not a folder"),
    "out_not_plan": (
        "--out {out} bevat bestanden die geen plan zijn; die map wordt niet vervangen (kies "
        "een andere map)",
        "--out {out} holds files that are not a plan; refusing to replace it (choose another "
        "folder)",
    ),
    "cannot_write_into": ("kan niet schrijven in {folder}: {reason}",
                          "cannot write into {folder}: {reason}"),
    "out_all_taken": ("{out} en {n} genummerde mappen ernaast bestaan al; kies een andere --out",
                      "{out} and {n} numbered folders beside it exist already; choose another "
                      "--out"),
    "out_busy": ("een andere scheduler-run schrijft nu {target}; wacht tot die klaar is, of "
                 "kies een andere --out",
                 "another scheduler run is writing {target} right now; wait until it has "
                 "finished, or choose another --out"),
    "out_busy_pid": ("een andere scheduler-run (proces {pid}) schrijft nu {target}; wacht tot "
                     "die klaar is, of kies een andere --out",
                     "another scheduler run (process {pid}) is writing {target} right now; wait "
                     "until it has finished, or choose another --out"),
    "is_variant": (
        "dit is een wat-als-variant (wijzigingen op het scenario {base}), geen scenario; los "
        "hem op naast zijn basis met: scheduler whatif {shown} {path} --out MAP",
        "this is a what-if variant (changes to the scenario {base}), not a scenario; solve it "
        "next to its base with: scheduler whatif {shown} {path} --out DIR",
    ),
    "export_not_xlsx": ("--out moet een Excel-werkmap (.xlsx) noemen",
                        "--out must name an Excel workbook (.xlsx)"),
    "export_is_scenario": ("is het scenario dat geëxporteerd wordt",
                           "is the scenario being exported"),
    "export_exists": ("bestaat al; voeg --force toe om het te vervangen",
                      "exists; add --force to replace it"),
    "export_mismatch": (
        "de geschreven werkmap leest niet terug als hetzelfde scenario (meld dit alstublieft)",
        "the written workbook does not read back to the same scenario (please report this)",
    ),
    # ----- whatif, compare, plot: plan directories and kpis.json -------------------------
    "dask_missing": ("--dask heeft het pakket dask.distributed nodig: pip install "
                     "'dask[distributed]'",
                     "--dask needs the dask.distributed package: pip install "
                     "'dask[distributed]'"),
    "dask_unreachable": ("--dask: de Dask-scheduler op '{address}' is niet bereikbaar "
                         "({reason})",
                         "--dask: cannot reach the Dask scheduler at '{address}' ({reason})"),
    "no_variants": ("geef minstens één variantbestand", "give at least one variant file"),
    "whatif_out_exists": ("de map {out} bestaat al; geef --force om hem te vervangen, of een "
                          "andere --out",
                          "the folder {out} exists already; give --force to replace it, or "
                          "another --out"),
    "plandir_no_folder": ("geen planmap: de map {path} bestaat niet",
                          "not a plan directory: the folder {path} does not exist"),
    "plandir_no_kpis": (
        "geen planmap: kpis.json ontbreekt (schrijf er een met `scheduler solve SCENARIO "
        "--out MAP`)",
        "not a plan directory: kpis.json is missing (write one with `scheduler solve "
        "SCENARIO --out DIR`)",
    ),
    "kpis_unreadable": ("kpis.json is niet te lezen ({reason})",
                        "cannot read kpis.json ({reason})"),
    "kpis_not_object": ("kpis.json bevat geen JSON-object",
                        "kpis.json does not hold a JSON object"),
    "plan_csv_missing": ("plan.csv ontbreekt, maar kpis.json beschrijft een plan",
                         "plan.csv is missing, but kpis.json describes a plan"),
    "report_no_kpis": ("{folder} is geen planmap: kpis.json ontbreekt",
                       "{folder} is not a plan directory: kpis.json is missing"),
    "scenario_not_found_at": ("scenariobestand niet gevonden: {path}",
                              "scenario file not found: {path}"),
    "kpis_no_scenario": ("kpis.json noemt geen scenariobestand; geef --scenario BESTAND",
                         "kpis.json names no scenario file; give --scenario FILE"),
    "kpis_scenario_gone": (
        "het scenariobestand dat kpis.json noemt, is er niet meer: {path}; geef --scenario "
        "BESTAND",
        "the scenario file named in kpis.json is gone: {path}; give --scenario FILE",
    ),
    "plan_other_scenario": ("plan.csv hoort niet bij dit scenario: {problems}",
                            "plan.csv does not belong to this scenario: {problems}"),
    "plan_other_learners": ("leerling(en) niet in het scenario: {ids}",
                            "learner(s) not in the scenario: {ids}"),
    "plan_other_departments": ("afdeling(en) niet in het scenario: {ids}",
                               "department(s) not in the scenario: {ids}"),
    "two_parts": ("{first}; {second}", "{first}; {second}"),
    "plan_dir_not_found": ("planmap niet gevonden: {path}", "plan directory not found: {path}"),
    "plan_dir_no_csv": ("{folder} heeft geen plan.csv (er is geen plan voor gevonden)",
                        "{folder} has no plan.csv (no plan was found for it)"),
    # ----- writing scenarios and plan folders; pins' months ------------------------------
    "workbook_unwritable": ("de werkmap is niet te schrijven: {reason}",
                            "cannot write the workbook: {reason}"),
    "scenario_suffix_out": ("een scenario is niet als '{suffix}' te schrijven; gebruik .yaml, "
                            ".yml of .xlsx",
                            "cannot write a scenario as '{suffix}'; use .yaml, .yml or .xlsx"),
    "replace_failed": ("de nieuwe bestanden zijn niet op hun plaats te zetten in {target} "
                       "({reason}); er is niets vervangen",
                       "cannot put the new files in place at {target} ({reason}); nothing was "
                       "replaced"),
    "format_suffix": ("formaat {fmt} vraagt een bestand dat eindigt op {suffixes}",
                      "format {fmt} needs a file ending in {suffixes}"),
    "either_or": ("{first} of {second}", "{first} or {second}"),
    "pin_month_missing": ("geef 'month' of 'from' (en eventueel 'to')",
                          "give 'month' or 'from' (and optionally 'to')"),
    "pin_month_both": ("geef 'month' of 'from'/'to', niet allebei",
                       "give either 'month' or 'from'/'to', not both"),
    **HINTS,
    **THINGS,
    **FORMS,
}

__all__ = ["FORMS", "HINTS", "PROBLEMS", "THINGS"]
