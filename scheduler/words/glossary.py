"""The terms, once (docs/glossary.md): every table of sentences uses these words.

A learner is a *leerling* (never *lerende*), a buddy a *werkbegeleider*, a pin a
*vastgezette plaatsing*; a first choice is the *eerste keus*. The rules' names
(docs/rules.md) are here too: the report's rule column, the workbench's violations and
``scheduler explain`` name a rule the same way.
"""

from __future__ import annotations

from . import LANGUAGES, Table, check_lang

TERMS: Table = {
    "learner": ("leerling", "learner"),
    "learners": ("leerlingen", "learners"),
    "buddy": ("werkbegeleider", "buddy"),
    "buddies": ("werkbegeleiders", "buddies"),
    "department": ("afdeling", "department"),
    "departments": ("afdelingen", "departments"),
    "organisation": ("organisatie", "organisation"),
    "organisations": ("organisaties", "organisations"),
    "programme": ("opleiding", "programme"),
    "placement": ("plaatsing", "placement"),
    "pin": ("vastgezette plaatsing", "pin"),
    "pins": ("vastgezette plaatsingen", "pins"),
    "home": ("werkgever", "home organisation"),
    "capacity": ("capaciteit", "capacity"),
    "placed": ("geplaatst", "placed"),
    "unplaced": ("niet geplaatst", "unplaced"),
    "first_choice": ("eerste keus", "first choice"),
    "fair_share": ("evenredige verdeling", "fair share"),
    "learner_months": ("leerling-maanden", "learner-months"),
    "fixed_shifts": ("vaste diensten", "fixed shifts"),
    "rotating_shifts": ("wisseldiensten", "rotating shifts"),
    "travel": ("reisafstand", "travel distance"),
    "baseline": ("basisplanning", "baseline"),
    "error": ("fout", "error"),
    "warning": ("waarschuwing", "warning"),
}

RULES: Table = {  # RuleId value: (Dutch, English)
    "placement": ("plaatsing", "placement"),
    "pin": ("vastgezette plaatsingen", "pins"),
    "capacity": ("capaciteit", "capacity"),
    "buddy": ("werkbegeleiders", "buddies"),
    "starter_shifts": ("startersregel (vaste diensten)", "starter rule (fixed shifts)"),
    "carrousel": ("Carrousel (buiten werkgever)", "Carrousel (away from home)"),
    "required_sectors": ("verplichte sectoren", "required sectors"),
    "distinct_departments": ("steeds een andere afdeling", "distinct departments"),
    "level": ("niveau", "level"),
    "travel": ("reisafstand", "travel distance"),
    "fair_share": ("marge evenredige verdeling", "fair-share tolerance"),
}


def term(key: str, lang: str = "nl") -> str:
    return TERMS[key][LANGUAGES.index(check_lang(lang))]


def rule_name(rule: str, lang: str = "nl") -> str:
    """A rule's name (``rule`` a RuleId or its value); an unknown one as it is."""
    pair = RULES.get(str(rule))
    return pair[LANGUAGES.index(check_lang(lang))] if pair else str(rule)


def rule_names(lang: str = "nl") -> dict[str, str]:
    i = LANGUAGES.index(check_lang(lang))
    return {rule: pair[i] for rule, pair in RULES.items()}


__all__ = ["RULES", "TERMS", "rule_name", "rule_names", "term"]
