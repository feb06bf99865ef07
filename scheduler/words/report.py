"""Every label of the pictures, plan.xlsx and report.html.

A :class:`Text` is a plain mapping with ``t("key", n=3)`` formatting, plus the rules'
names, month names and numbers of its language, so the plot functions can take it without
importing anything of the report package.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import LANGUAGES, Table, check_lang, column
from .format import MONTH_NAMES, month_name, num, pct
from .glossary import rule_name

# key: (Dutch, English). Placeholders use str.format names.
LABELS: Table = {
    # ----- general -----------------------------------------------------------------
    "month": ("Maand", "Month"),
    "organisation": ("Organisatie", "Organisation"),
    "department": ("Afdeling", "Department"),
    "buddy": ("Werkbegeleider", "Buddy"),
    "learner": ("Leerling", "Learner"),
    "learners": ("Leerlingen", "Learners"),
    "name": ("Naam", "Name"),
    "programme": ("Opleiding", "Programme"),
    "home": ("Werkgever", "Home organisation"),
    "no_home": ("geen werkgever", "no home organisation"),
    "start": ("Start", "Start"),
    "status": ("Status", "Status"),
    "placement": ("Plaatsing", "Placement"),
    "reason": ("Reden", "Reason"),
    "rule": ("Regel", "Rule"),
    "shifts": ("Diensten", "Shifts"),
    "fixed": ("vaste diensten", "fixed shifts"),
    "rotating": ("wisseldiensten", "rotating shifts"),
    "placed": ("geplaatst", "placed"),
    "unavailable": ("niet beschikbaar", "unavailable"),
    "unplaced": ("niet geplaatst", "unplaced"),
    "away": ("buiten werkgever", "away from home"),
    "window_end": ("einde planperiode", "end of planning window"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "total": ("Totaal", "Total"),
    "part_of": ("deel {part} van {parts}", "part {part} of {parts}"),
    # ----- Gantt per learner ---------------------------------------------------------
    "gantt_title": ("Planning per leerling", "Plan per learner"),
    "gantt_page": (
        "Planning per leerling, blad {page} van {pages} ({first}–{last} van {n} leerlingen)",
        "Plan per learner, page {page} of {pages} (learners {first}–{last} of {n})",
    ),
    "gantt_programme": ("Opleiding {programme}{kind}", "Programme {programme}{kind}"),
    "gantt_unplaced_group": ("Niet geplaatst ({n})", "Unplaced ({n})"),
    "gantt_continued": ("(vervolg)", "(continued)"),
    "legend_colours_sector": (
        "kleur = organisatie, één kleurfamilie per sector; de afdelingscode staat in de"
        " balk waar die past",
        "colour = organisation, one family of colours per sector; the department id is"
        " in the bar where it fits",
    ),
    "legend_sector": ("{sector} ({n} organisaties)", "{sector} ({n} organisations)"),
    "legend_away": (
        "buiten eigen organisatie (Carrousel): dikke rand",
        "away from home (Carrousel): thick outline",
    ),
    "legend_starter": (
        "startmaanden, alleen vaste diensten: arcering",
        "starter months, fixed shifts only: hatched",
    ),
    "legend_unavailable": (
        "niet beschikbaar (bijv. schoolblok): grijs",
        "unavailable (e.g. school block): grey",
    ),
    "legend_unplaced": ("niet geplaatst: stippellijn", "unplaced: dashed"),
    "overview_title": (
        "Overzicht per opleiding: leerlingen per maand ({n} leerlingen; per leerling in"
        " {pages} bladen gantt-learners-1.png …)",
        "Overview per programme: learners per month ({n} learners; per learner in"
        " {pages} pages gantt-learners-1.png …)",
    ),
    "overview_title_part": (
        "Overzicht per opleiding: leerlingen per maand ({n} leerlingen), deel {part} van"
        " {parts}",
        "Overview per programme: learners per month ({n} learners), part {part} of {parts}",
    ),
    "overview_programme": (
        "{programme}: {n} leerlingen, {unplaced} niet geplaatst",
        "{programme}: {n} learners, {unplaced} unplaced",
    ),
    "overview_home": ("bij eigen werkgever", "at their employer"),
    "overview_away": ("buiten werkgever (Carrousel)", "away from employer (Carrousel)"),
    "overview_nohome": ("zonder werkgever (bol)", "no employer (BOL)"),
    "present": ("Aanwezig", "Present"),
    # ----- organisations -----------------------------------------------------------
    "orgs_title": (
        "Leerlingen aanwezig per maand tegenover capaciteit, per organisatie",
        "Learners present per month against capacity, per organisation",
    ),
    "depts_title": (
        "Leerlingen aanwezig per maand tegenover capaciteit, per afdeling",
        "Learners present per month against capacity, per department",
    ),
    "panel_scale_note": (
        "elk paneel heeft een eigen schaal (aantal leerlingen links)",
        "each panel has its own scale (number of learners on the left)",
    ),
    "capacity": ("Capaciteit", "Capacity"),
    "capacity_places": ("capaciteit (plaatsen)", "capacity (places)"),
    "buddy_capacity": ("capaciteit werkbegeleiders", "buddy capacity"),
    "present_learners": (
        "aanwezige leerlingen (kleur van de organisatie)", "learners present (organisation colour)"
    ),
    # ----- occupancy and fair share ------------------------------------------------
    "occupancy_title": (
        "Bezetting: aanwezige leerlingen / capaciteit per {what} per maand",
        "Occupancy: learners present / capacity per {what} per month",
    ),
    "occ_department": ("afdeling", "department"),
    "occ_organisation": ("organisatie", "organisation"),
    "occ_use": ("bezetting (aanwezig ÷ capaciteit)", "use (present ÷ capacity)"),
    "occ_note": (
        "cel: aanwezig/capaciteit · grijs: geen capaciteit · oranje: boven capaciteit",
        "cell: present/capacity · grey: no capacity · orange: over capacity",
    ),
    "occ_note_colour": (
        "kleur: bezetting (de getallen per afdeling en maand: plan.xlsx) · grijs: geen capaciteit"
        " · oranje: boven capaciteit",
        "colour: use (the numbers per department and month: plan.xlsx) · grey: no capacity"
        " · orange: over capacity",
    ),
    "fair_title": (
        "Evenredige verdeling: gehoste leerling-maanden",
        "Fair share: hosted learner-months",
    ),
    "fair_hosted": ("gehost (leerling-maanden)", "hosted (learner-months)"),
    "fair_target": ("evenredig aandeel naar FTE", "FTE-proportional share"),
    "quota_title": (
        "Leerplaatsen per 100 FTE zorgpersoneel (gemiddeld per maand)",
        "Learning places per 100 FTE care staff (monthly average)",
    ),
    "quota_off_scale": (
        "opleidingsquote {q:g} per 100 FTE: buiten de schaal ({times:.0f}× het hoogste staafje)",
        "training quota {q:g} per 100 FTE: off the scale ({times:.0f}× the highest bar)",
    ),
    "quota_rate": ("leerplaatsen per 100 FTE", "places per 100 FTE"),
    "quota_reference": (
        "opleidingsquote: {q:g} per 100 FTE", "training quota: {q:g} per 100 FTE"
    ),
    "learner_months": ("leerling-maanden", "learner-months"),
    # ----- report ----------------------------------------------------------------------
    "report_title": ("Planrapport", "Plan report"),
    "scenario": ("Scenario", "Scenario"),
    "kpi_section": ("Kerncijfers", "Key figures"),
    "kpi_placed": ("Geplaatst", "Placed"),
    "kpi_unplaced": ("Niet geplaatst", "Unplaced"),
    "kpi_first_choice": ("Eerste keus", "First choice"),
    "kpi_any_preference": ("Een van de voorkeuren", "Any preference"),
    "kpi_pref_note": (
        "van {n} plaatsingen van leerlingen met voorkeuren",
        "of {n} placements of learners with preferences",
    ),
    "kpi_fair_dev": ("Grootste afwijking evenredig aandeel", "Largest fair-share deviation"),
    "kpi_travel": ("Reisafstand", "Travel"),
    "kpi_travel_value": (
        "gemiddeld {mean} km, hoogstens {max} km per plaatsing",
        "mean {mean} km, at most {max} km per placement",
    ),
    "kpi_buddy_changes": ("Wisselingen van werkbegeleider", "Buddy changes"),
    "kpi_changed": ("Gewijzigde leerling-maanden t.o.v. vorig plan", "Changed learner-months"),
    "kpi_quality": ("Kwaliteit van het plan", "Quality of the plan"),
    "quality_optimal": ("Het best mogelijke plan (bewezen).", "The best possible plan (proven)."),
    "quality_interrupted": (
        "Onderbroken: het beste plan tot dan, niet het best mogelijke.",
        "Interrupted: the best plan found so far, not the best possible.",
    ),
    "quality_all_placed": ("Iedereen is geplaatst.", "Everyone is placed."),
    "quality_placed": (
        "{placed} van de {learners} leerlingen geplaatst; of meer kan, is niet bewezen.",
        "{placed} of the {learners} learners placed; whether more can be is not proven.",
    ),
    "quality_most_placed": (
        "Meer leerlingen plaatsen kan niet (bewezen).",
        "No plan can place more learners (proven).",
    ),
    "quality_placed_upper": (
        "Geen plan kan meer dan {upper} van de {learners} leerlingen plaatsen.",
        "No plan can place more than {upper} of the {learners} learners.",
    ),
    "quality_near": (
        "Voor de rest vrijwel zo goed als het best mogelijke plan.",
        "Otherwise practically as good as the best possible plan.",
    ),
    "quality_within": (
        "Voor de rest hoogstens {pct} van het best mogelijke plan af.",
        "Otherwise at most {pct} from the best possible plan.",
    ),
    "quality_unknown": (
        "Hoe dicht de rest bij het best mogelijke plan ligt, is niet bewezen (zie Details).",
        "How close the rest is to the best possible plan is not proven (see Details).",
    ),
    "details_section": ("Details (voor analisten)", "Details (for analysts)"),
    "details_note": (
        "Cijfers van de rekenaar. Doelwaarde: de afweging van alle wensen in één getal (lager"
        " is beter). Ondergrens: geen plan kan lager uitkomen. Gat: hoeveel de doelwaarde"
        " hoogstens nog kan dalen, als deel van de grootste van de twee.",
        "The solver's figures. Objective: every wish weighed into one number (lower is"
        " better). Bound: no plan can come out lower. Gap: how much the objective can still"
        " fall at most, as a share of the larger of the two.",
    ),
    "detail_status": ("Rekenstatus", "Solver status"),
    "detail_objective": ("Doelwaarde", "Objective"),
    "detail_bound": ("Ondergrens", "Bound"),
    "detail_bound_source": ("Bron van de ondergrens", "Source of the bound"),
    "detail_gap": ("Gat", "Gap"),
    "detail_placed_upper": ("Meeste te plaatsen leerlingen", "Most learners any plan places"),
    "detail_placed_source": ("Bewijs daarvan", "Its proof"),
    "detail_build": ("Model bouwen (s)", "Building the model (s)"),
    "detail_solve": ("Rekenen (s)", "Solving (s)"),
    "detail_solver": ("Rekenaar", "Solver"),
    "detail_time_limit": ("Tijdslimiet (s)", "Time limit (s)"),
    "detail_workers": ("Rekenkernen (workers)", "Workers"),
    "status_optimal": ("optimaal (bewezen)", "optimal (proven)"),
    "status_feasible": ("geldig plan, niet bewezen optimaal", "feasible, not proven optimal"),
    "status_infeasible": ("geen plan mogelijk", "no plan possible"),
    "status_interrupted": ("onderbroken: beste plan tot dan", "interrupted: best plan so far"),
    "unplaced_section": ("Niet geplaatste leerlingen", "Unplaced learners"),
    "unplaced_none": ("Alle leerlingen zijn geplaatst.", "Every learner is placed."),
    "reason_note": (
        "De redenen komen van de planner: de regel die de plaatsing tegenhoudt, met de"
        " afdelingen, maanden en getallen die het laten zien.",
        "Reasons as given by the planner: the rule that stops the placement, with the"
        " departments, months and numbers that show it.",
    ),
    "fair_section": ("Evenredige verdeling per organisatie", "Fair share per organisation"),
    "fair_fte": ("FTE zorgpersoneel", "FTE care staff"),
    "fair_target_col": ("Evenredig aandeel", "Fair share"),
    "fair_hosted_col": ("Gehost", "Hosted"),
    "fair_dev_col": ("Afwijking", "Deviation"),
    "fair_quota_col": ("Quote: leerplaatsen per maand", "Quota: learning places per month"),
    "fair_rate_col": (
        "Bezette leerplaatsen per 100 FTE (gem. per maand)",
        "Learning places taken per 100 FTE (monthly average)",
    ),
    "fair_note": (
        "Gehost = leerling-maanden met status geplaatst. Evenredig aandeel = het deel van alle"
        " gehoste leerling-maanden naar rato van FTE zorgpersoneel. Bezette leerplaatsen per"
        " 100 FTE = leerlingen die er gemiddeld per maand van de planperiode zijn, per 100 FTE"
        " zorgpersoneel. Quote = de regionale opleidingsquote ({q:g} leerplaatsen per 100"
        " FTE) maal de FTE van de organisatie: zoveel leerplaatsen per maand is de afspraak.",
        "Hosted = learner-months with status placed. Fair share = the part of all hosted"
        " learner-months in proportion to care FTE. Learning places taken per 100 FTE ="
        " learners present in an average month of the planning window, per 100 FTE care"
        " staff. Quota = the regional training quota ({q:g} learning places per 100 FTE)"
        " times the organisation's FTE: the learning places per month agreed on.",
    ),
    "tolerance_note": (
        "Afgesproken marge: ±{pct:g} % (harde regel).",
        "Agreed tolerance: ±{pct:g} % (hard rule).",
    ),
    "pictures_section": ("Afbeeldingen", "Pictures"),
    "tables_section": ("Tabellen", "Tables"),
    "paged_note": (
        "Met {n} leerlingen is de planning per leerling verdeeld over {pages} bladen van"
        " hoogstens {size} leerlingen (gantt-learners-1.png … gantt-learners-{pages}.png)."
        " Hieronder staat eerst een overzicht; de bladen staan daaronder (klik om te openen).",
        "With {n} learners the plan per learner is split into {pages} pages of at most"
        " {size} learners (gantt-learners-1.png … gantt-learners-{pages}.png). An overview"
        " comes first; the pages follow below (click to open).",
    ),
    "pages_not_embedded": (
        "Omdat het er meer dan {max} zijn, staan de bladen niet in deze pagina zelf maar als"
        " losse bestanden naast report.html.",
        "As there are more than {max}, the pages are not embedded here but sit as separate"
        " files next to report.html.",
    ),
    "print_overview_note": (
        "Op papier staat hier het overzicht per opleiding; de planning per leerling staat"
        " in de tabel 'Leerlingen en hun plaatsingen' hieronder en in {pages} bladen"
        " gantt-learners-1.png … naast report.html.",
        "On paper this is the overview per programme; the plan per learner is in the table"
        " 'Learners and their placements' below and in {pages} pages gantt-learners-1.png"
        " … next to report.html.",
    ),
    "page_label": ("Blad {page}: {groups}", "Page {page}: {groups}"),
    "learners_table": ("Leerlingen en hun plaatsingen", "Learners and their placements"),
    "dept_table": ("Bezetting per afdeling per maand", "Occupancy per department per month"),
    "dept_table_note": (
        "aanwezig/capaciteit; vet: vol", "present/capacity; bold: full"
    ),
    "names_note": (
        "Namen van leerlingen staan alleen in deze pagina en in plan.xlsx, niet in de"
        " afbeeldingen. Met --pseudonymise staan er alleen id's.",
        "Learner names appear only on this page and in plan.xlsx, never in the pictures."
        " With --pseudonymise only ids are shown.",
    ),
    "pseudonymised_note": (
        "Gepseudonimiseerd: leerlingen staan alleen met hun id vermeld.",
        "Pseudonymised: learners are shown by id only.",
    ),
    "footer": (
        "Gemaakt door de regionale planner uit plan.csv en kpis.json.",
        "Made by the regional planner from plan.csv and kpis.json.",
    ),
    # ----- workbook ----------------------------------------------------------------
    "sheet_learners": ("Leerlingen", "Learners"),
    "sheet_occupancy": ("Bezetting afdelingen", "Department occupancy"),
    "sheet_buddies": ("Werkbegeleiders", "Buddy load"),
    "sheet_fair": ("Evenredigheid", "Fair share"),
    "sheet_kpis": ("Kerncijfers", "KPIs"),
    "measure": ("Meting", "Measure"),
    "from_month": ("Van", "From"),
    "to_month": ("Tot en met", "Until"),
    "months_col": ("Maanden", "Months"),
    "remark": ("Opmerking", "Remark"),
    "org_sheet_header": ("{name} ({id}): leerlingen per afdeling",
                         "{name} ({id}): learners by department"),
    "max_learners": ("Max. leerlingen", "Max learners"),
    "m_present": ("aanwezig", "present"),
    "m_capacity": ("capaciteit", "capacity"),
    "m_buddy_capacity": ("werkbegeleiders", "buddy capacity"),
    "absent": ("afwezig", "absent"),
    "kpi": ("Kerncijfer", "KPI"),
    "value": ("Waarde", "Value"),
    "legend_sheet": (
        "Kleur = organisatie; grijs = niet beschikbaar; cursief = buiten werkgever",
        "Colour = organisation; grey = unavailable; italic = away from home",
    ),
}


class Text(Mapping[str, str]):
    """The labels of one language; ``t(key, **values)`` formats one."""

    def __init__(self, lang: str = "nl") -> None:
        self.lang = check_lang(lang)
        self._labels = column(LABELS, lang)
        self.months = MONTH_NAMES[lang]

    def __getitem__(self, key: str) -> str:
        return self._labels[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __call__(self, key: str, **values: object) -> str:
        return self._labels[key].format(**values) if values else self._labels[key]

    def rule(self, rule_id: str) -> str:
        return rule_name(rule_id, self.lang)

    def month(self, month: str, year: bool = False) -> str:
        """``2027-09`` → ``sep`` (or ``sep 2027``)."""
        return month_name(month, self.lang, year)

    def num(self, value: float | int | None, digits: int = 1, *, sign: bool = False) -> str:
        """A number as the language writes it: ``1.234,5`` in Dutch, ``1,234.5`` in English."""
        return num(value, self.lang, digits, sign=sign)

    def pct(self, value: float | None, digits: int = 1, *, sign: bool = False) -> str:
        return pct(value, self.lang, digits, sign=sign)

    def status(self, status: str | None) -> str:
        key = f"status_{status}"
        return self._labels.get(key, status or "?")


def text_for(lang: str = "nl") -> Text:
    return Text(lang)


__all__ = ["LABELS", "LANGUAGES", "Text", "text_for"]
