"""One colour per organisation, the same in every picture and in plan.xlsx.

Up to 22 organisations take Okabe & Ito's colour-blind-safe set, then Paul Tol's *muted*
and *light* sets, in scenario order. Larger regions get colours grouped by sector: each
sector a wedge of hues (its share of the colour wheel follows its number of
organisations), and within it the colours furthest apart in CIELAB from every colour
already taken, so every organisation keeps its own colour (:func:`min_distance`) and
a sector reads as one hue family. Colour is never the only clue: every bar also carries
its department id where it fits. Grey is reserved for "unavailable" and "unplaced".
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

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


class _Organisation(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def sector(self) -> str: ...


def organisation_colours(organisations: Iterable[str | _Organisation]) -> dict[str, str]:
    """Organisation id → hex colour, in scenario order.

    ``organisations`` are ids or objects with ``id`` and ``sector`` (the scenario's
    organisations: then a large region's colours are grouped by sector). Up to
    ``len(PALETTE)`` organisations take the fixed palette in order.
    """
    items = list(organisations)
    ids = [o if isinstance(o, str) else o.id for o in items]
    if len(ids) <= len(PALETTE):
        return {org: PALETTE[i] for i, org in enumerate(ids)}
    sectors = tuple("" if isinstance(o, str) else o.sector for o in items)
    return dict(zip(ids, _sector_colours(sectors), strict=True))


def sector_of_colours(organisations: Iterable[_Organisation]) -> dict[str, list[str]]:
    """Sector → its organisations' ids, in scenario order (the legend of large regions)."""
    out: dict[str, list[str]] = {}
    for o in organisations:
        out.setdefault(o.sector, []).append(o.id)
    return out


def _lab(colour: tuple[float, float, float]) -> tuple[float, float, float]:
    """sRGB (0–1) → CIELAB (D65)."""

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_distance(a: str, b: str) -> float:
    """CIE76 ΔE between two hex colours (about 2: just noticeable; 10+: clearly apart)."""
    return math.dist(_lab(_rgb(a)), _lab(_rgb(b)))


def min_distance(colours: Sequence[str]) -> float:
    """The smallest ΔE between any two of ``colours`` (inf for fewer than two)."""
    labs = [_lab(_rgb(c)) for c in colours]
    return min((math.dist(p, q) for i, p in enumerate(labs) for q in labs[i + 1:]),
               default=math.inf)


@lru_cache(maxsize=1)
def _candidates() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Colours to choose from: hex, hue (0–1) and Lab; neither greyish (grey means
    unavailable) nor so light that a bar vanishes on white, nor near-black."""
    steps = 15
    hexes, hues, labs = [], [], []
    for i in range(steps + 1):
        for j in range(steps + 1):
            for k in range(steps + 1):
                rgb = (i / steps, j / steps, k / steps)
                lab = _lab(rgb)
                if not 35 <= lab[0] <= 85 or not 28 <= math.hypot(lab[1], lab[2]) <= 75:
                    continue
                hexes.append("#" + "".join(f"{round(v * 255):02X}" for v in rgb))
                hues.append(colorsys.rgb_to_hls(*rgb)[0])
                labs.append(lab)
    return hexes, np.array(hues), np.array(labs)


@lru_cache(maxsize=16)
def _sector_colours(sectors: tuple[str, ...]) -> tuple[str, ...]:
    """One colour per entry: each sector a wedge of hues, within it greedily the
    candidate furthest (CIELAB) from every colour taken so far (deterministic)."""
    hexes, hues, labs = _candidates()
    order = list(dict.fromkeys(sectors))
    shifted = (hues + 0.03) % 1.0  # wedges start just below red
    pools, start = {}, 0.0
    weight = {s: math.sqrt(sectors.count(s)) for s in order}
    for s in order:  # a larger sector gets a wider wedge, less than in proportion
        size = weight[s] / sum(weight.values())
        pools[s] = (shifted >= start) & (shifted < start + size)
        start += size
    nearest = np.full(len(hexes), np.inf)  # ΔE to the nearest colour taken
    taken = np.zeros(len(hexes), dtype=bool)
    mid = -0.02 * np.abs(labs[:, 0] - 60)  # ties (and the first pick): mid lightness
    result: list[str] = []
    for sector in sectors:
        pool = pools[sector] & ~taken
        if not pool.any():
            pool = ~taken
        score = np.where(pool, np.minimum(nearest, 1e6) + mid, -np.inf)
        best = int(np.argmax(score))
        taken[best] = True
        nearest = np.minimum(nearest, np.linalg.norm(labs - labs[best], axis=1))
        result.append(hexes[best])
    return tuple(result)


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
    "colour_distance",
    "luminance",
    "min_distance",
    "organisation_colours",
    "sector_of_colours",
    "text_colour",
    "tint",
]
