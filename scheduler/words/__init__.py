"""Every sentence a person reads, Dutch first, English with ``--lang en`` (issue 23, 24).

The package sits below everything else: it imports nothing of ``scheduler`` (the test in
``tests/test_architecture.py`` holds it to that), so the models, the solver, the plots, the
report, the workbench and the commands all take their words from here.

* :mod:`.glossary`: the terms (leerling, werkbegeleider, afdeling, …) and the rules' names;
* :mod:`.format`: numbers, percentages, months and lists as each language writes them
  (``1.234,5`` and ``66,7 %`` in Dutch);
* one table of sentences per area, each key ``(Dutch, English)``: :mod:`.report` (pictures,
  plan.xlsx, report.html), :mod:`.web` (the workbench), :mod:`.notes` (the columns of an
  exported scenario workbook), :mod:`.compare` (compare and whatif), :mod:`.explain`
  (``scheduler explain`` and the unplaced reasons), :mod:`.messages` (validate, check and
  the commands' lines).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("nl", "en")

Table = Mapping[str, tuple[str, str]]  # key: (Dutch, English)


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`; ValueError otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


def column(table: Table, lang: str) -> dict[str, str]:
    """One language of a table: key -> sentence."""
    i = LANGUAGES.index(check_lang(lang))
    return {key: pair[i] for key, pair in table.items()}


def say(table: Table, key: str, lang: str, **values: object) -> str:
    """The sentence ``key`` of ``table`` in ``lang``, formatted with ``values``."""
    text = table[key][LANGUAGES.index(check_lang(lang))]
    return text.format(**values) if values else text


__all__ = ["LANGUAGES", "Table", "check_lang", "column", "say"]
