"""One colour per organisation, the same in every picture and in plan.xlsx.

The first colours are Okabe & Ito's colour-blind-safe set, then Paul Tol's *muted* and
*light* sets. Organisations take colours in scenario order, so a region's pictures and
workbook always agree. Beyond the palette's length colours repeat: every bar in the
pictures also carries its department id, so colour is never the only clue.
Grey is reserved for "unavailable" and "unplaced".
"""

from __future__ import annotations

from collections.abc import Iterable

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
TOL_MUTED = (
    "#332288",
    "#DDCC77",
    "#117733",
    "#CC6677",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
TOL_LIGHT = ("#EE8866", "#BBCC33", "#FFAABB", "#77AADD", "#44BB99", "#EEDD88")
PALETTE = OKABE_ITO + TOL_MUTED + TOL_LIGHT

UNAVAILABLE = "#BDBDBD"  # the learner's own unavailable months
UNPLACED = "#7F7F7F"  # outline of an unplaced learner's programme
NO_CAPACITY = "#E0E0E0"  # heatmap cells without capacity
CAPACITY_LINE = "#000000"
BUDDY_LINE = "#D55E00"
PRESENT_FILL = "#0072B2"
OVER_CAPACITY = "#D55E00"


def organisation_colours(organisation_ids: Iterable[str]) -> dict[str, str]:
    """Organisation id → hex colour, by position (scenario order)."""
    return {org: PALETTE[i % len(PALETTE)] for i, org in enumerate(organisation_ids)}


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a hex colour, 0 (black) to 1 (white)."""

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return "#000000" if luminance(background) > 0.22 else "#FFFFFF"


def tint(colour: str, amount: float = 0.6) -> str:
    """Mix ``colour`` with white (``amount`` 0: unchanged, 1: white); for cell fills."""
    r, g, b = (v + (1 - v) * amount for v in _rgb(colour))
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


__all__ = [
    "BUDDY_LINE",
    "CAPACITY_LINE",
    "NO_CAPACITY",
    "OVER_CAPACITY",
    "PALETTE",
    "PRESENT_FILL",
    "UNAVAILABLE",
    "UNPLACED",
    "luminance",
    "organisation_colours",
    "text_colour",
    "tint",
]
