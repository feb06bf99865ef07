"""The words of ``scheduler compare`` and ``scheduler whatif``: the comparison's rows (in
this order), its files and the lines printed while the variants are solved."""

from __future__ import annotations

from . import Table

ROWS: Table = {  # key: (nl, en); the comparison's rows in this order
    "name": ("scenario", "scenario"),
    "status": ("status", "status"),
    "learners": ("leerlingen", "learners"),
    "placed": ("geplaatst", "placed"),
    "unplaced": ("niet geplaatst", "unplaced"),
    "unplaced_reasons": ("niet geplaatst: redenen", "unplaced: reasons"),
    "first_choice_pct": ("eerste keus (%)", "first choice (%)"),
    "fair_share_total": ("afwijking evenredige verdeling, totaal (leerling-maanden)",
                         "fair-share deviation, total (learner-months)"),
    "fair_share": ("afwijking evenredige verdeling {org} (leerling-maanden)",
                   "fair-share deviation {org} (learner-months)"),
    "travel_km": ("reisafstand totaal (km)", "travel, total (km)"),
    "buddy_changes": ("wisselingen werkbegeleider", "buddy changes"),
    "moved": ("verplaatste leerlingen", "learners moved"),
    "moved_months": ("verplaatste leerling-maanden", "learner-months moved"),
    "added": ("toegevoegde leerlingen", "learners added"),
    "removed": ("verwijderde leerlingen", "learners removed"),
    "objective": ("details: doelfunctie", "details: objective"),
    "gap_pct": ("details: gat tot ondergrens (%)", "details: gap (%)"),
    "solve_seconds": ("details: rekentijd (s)", "details: solve time (s)"),
}  # fmt: skip

TEXT: Table = {
    "moves": ("Wie verhuist waarheen", "Who moved where"),
    "title": ("Vergelijking van plannen", "Comparison of plans"),
    "none": ("niemand", "nobody"),
    "unplaced_cell": ("(niet geplaatst)", "(unplaced)"),
    "months_short": ("{n} mnd", "{n} mo"),
    "more_moves": ("... en nog {n} (moves.csv)", "... and {n} more (moves.csv)"),
    "note": ("{col}: let op: {note}", "{col}: note: {note}"),
    "written": (
        "\nvergelijking geschreven naar {out}/ (comparison.csv, comparison.html, moves.csv)",
        "\ncomparison written to {out}/ (comparison.csv, comparison.html, moves.csv)",
    ),
    # ----- whatif -------------------------------------------------------------------------
    "solving": (
        "basis en {n} variant(en) oplossen op {where}, {how}, tijdslimiet {limit} s per stuk",
        "solving base and {n} variant(s) on {where}, {how}, time limit {limit}s each",
    ),
    "where_dask": ("Dask-cluster {address}", "Dask cluster {address}"),
    "where_jobs": ("{jobs} lokale job(s)", "{jobs} local job(s)"),
    "from_scratch": ("helemaal opnieuw", "from scratch"),
    "minimal_change": ("varianten met zo min mogelijk wijzigingen",
                       "variants with minimal change"),
    "entry_no_plan": ("  {slug}: {status}, geen plan ({seconds} s)",
                      "  {slug}: {status}, no plan ({seconds}s)"),
    "entry_moved": (", {n} leerlingen verplaatst", ", {n} learners moved"),
    "entry_plan": ("  {slug}: {status}, {placed} van {n} geplaatst{moved} ({seconds} s)",
                   "  {slug}: {status}, placed {placed}/{n}{moved} ({seconds}s)"),
    "base_no_plan": ("  de basis heeft geen plan: de varianten worden helemaal opnieuw opgelost",
                     "  the base has no plan: the variants are solved from scratch"),
    "whatif_written": (
        "\ngeschreven naar {out}/: {dirs} comparison.csv, comparison.html, moves.csv",
        "\nwritten to {out}/: {dirs} comparison.csv, comparison.html, moves.csv",
    ),
    "whatif_failed": (
        "geen plan voldoet aan de harde regels voor: {slugs} (zie hun kpis.json; "
        "`scheduler explain` op hun scenario.yaml zegt waarom)",
        "no plan satisfies the hard rules for: {slugs} (see their kpis.json; "
        "`scheduler explain` on their scenario.yaml tells why)",
    ),
}  # fmt: skip

__all__ = ["ROWS", "TEXT"]
