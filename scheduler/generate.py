"""Synthetic, realistic regions for ``scheduler generate`` (distributions from FACTS.md).

``generate_region(learners, organisations, seed)`` builds a :class:`Scenario`, the same one
for the same arguments (one ``random.Random(seed)``; no clock, no global random state):

* **organisations** in towns of the region: sector mix VVT > GHZ > GGZ > WIJK > a few ZKH
  hospitals; FTE sizes log-normal and skewed (about 400 FTE on average, hospitals
  ~1,800 FTE), as in the WZW Gelderland reference;
* **departments** per organisation proportional to its FTE; a learning ward (leerafdeling,
  ~10 learners) in some large organisations, otherwise 2–6 learners; about 40 % with fixed
  shifts (more where the starting BBL students need them); a few hospital wards accept
  levels 4–5 only;
* **buddies** (werkbegeleiders) with ``max_learners`` 1–2, some on leave for 1–3 months;
* **learners**: about half BBL (VIG niveau 3 in 18 months, a 4-month basis track), trainees
  of the September cohort (4 × 6 months, two required sectors, 2 placements away),
  hbo-v duaal students (Carrousel: 1 away), BOL interns (2 × 5 months, no employer);
  starts mainly in September, also February and April; employers drawn by FTE; homes near
  the employer; ``max_travel_km`` 25–50; 0–3 preferences near home;
* **capacity** is scaled (learners are not) so that the learners present in the busiest
  month fill ``utilisation`` of the effective capacity (min(capacity, available buddies));
* ``pinned_share`` adds learners of earlier cohorts with their ``history`` and a pin on
  their current placement, chosen greedily so that all pins (and the rest of those
  learners' programmes) fit together within capacity, shifts, level and travel.

:func:`measure` reports the realised BBL share and peak utilisation of any scenario.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .errors import InputError, InputIssue
from .io import write_scenario
from .models import Scenario, add_months, ordinal_month
from .models.geo import EARTH_RADIUS_KM
from .words.messages import Msg

CALENDAR_START = "2027-09"  # the September cohort opens the planning window
KM_PER_DEGREE = 111.195
MEAN_CAPACITY = 3.6  # learners per department on average (a learning ward takes ~10)
TRAVEL_MARGIN_KM = 0.05  # pins stay this far inside a learner's max_travel_km
FIXED_UTILISATION = 0.85  # starters fill at most this share of fixed-shift places (× utilisation)


# ===== regions =========================================================================
@dataclass(frozen=True)
class Region:
    label: str
    lat: float
    lon: float
    km: float
    towns: tuple[tuple[str, float, float], ...] = ()  # name, lat, lon; largest first


REGIONS = {
    "twente": Region("Twente", 52.27, 6.80, 30, (
        ("Enschede", 52.22, 6.89), ("Hengelo", 52.27, 6.79), ("Almelo", 52.36, 6.66),
        ("Oldenzaal", 52.31, 6.93), ("Borne", 52.30, 6.75), ("Rijssen", 52.31, 6.52),
        ("Haaksbergen", 52.16, 6.74), ("Losser", 52.26, 7.00), ("Wierden", 52.36, 6.59),
        ("Goor", 52.23, 6.59), ("Tubbergen", 52.41, 6.78), ("Dinkelland", 52.38, 6.97),
        ("Delden", 52.26, 6.71), ("Vriezenveen", 52.41, 6.62), ("Nijverdal", 52.36, 6.46),
        ("Ootmarsum", 52.41, 6.90))),
    "drenthe": Region("Zuid- en Oost-Drenthe", 52.76, 6.72, 30, (
        ("Emmen", 52.79, 6.90), ("Hoogeveen", 52.72, 6.48), ("Coevorden", 52.66, 6.74),
        ("Klazienaveen", 52.73, 6.99), ("Borger", 52.92, 6.79), ("Beilen", 52.86, 6.51),
        ("Schoonebeek", 52.66, 6.88), ("Dalen", 52.70, 6.76), ("Nieuw-Amsterdam", 52.71, 6.85),
        ("Emmer-Compascuum", 52.81, 7.05), ("Westerbork", 52.85, 6.61),
        ("Zuidwolde", 52.67, 6.43), ("Sleen", 52.77, 6.80))),
    "limburg": Region("Noord- en Midden-Limburg", 51.38, 5.95, 38, (
        ("Venlo", 51.37, 6.17), ("Roermond", 51.19, 5.99), ("Venray", 51.53, 5.97),
        ("Weert", 51.25, 5.71), ("Tegelen", 51.34, 6.14), ("Horst", 51.45, 6.05),
        ("Panningen", 51.33, 5.98), ("Echt", 51.10, 5.87), ("Gennep", 51.70, 5.97),
        ("Reuver", 51.28, 6.08), ("Nederweert", 51.29, 5.75), ("Swalmen", 51.23, 6.04),
        ("Maasbree", 51.36, 6.05))),
    "drechtsteden": Region("Drechtsteden", 51.82, 4.70, 12, (
        ("Dordrecht", 51.81, 4.67), ("Zwijndrecht", 51.82, 4.64), ("Papendrecht", 51.83, 4.69),
        ("Sliedrecht", 51.82, 4.77), ("Hendrik-Ido-Ambacht", 51.84, 4.64),
        ("Alblasserdam", 51.87, 4.66), ("Hardinxveld", 51.83, 4.84),
        ("'s-Gravendeel", 51.78, 4.62))),
}  # fmt: skip
INVENTED_TOWNS = (
    "Eikenhove", "Beekdaal", "Lindenhorst", "Veenwijk", "Heidelo", "Molenbroek",
    "Wilgendaal", "Essenburg", "Brinkveld", "Kampstede", "Hazelhoek", "Vlierhof",
    "Berkenlo", "Weidebeek", "Dennenstede", "Elzenkamp",
)  # fmt: skip


def parse_region(region: str) -> Region:
    """A named region or ``"lat,lon,km"``; raise InputError naming the problem."""
    key = region.strip().lower()
    if key in REGIONS:
        return REGIONS[key]
    parts = key.split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise _arg_error("region", f"'{region}' is neither one of {', '.join(REGIONS)} nor "
                         "'lat,lon,km' (e.g. '52.27,6.80,30')") from None
    if not (-80 <= lat <= 80 and -180 <= lon <= 180 and 1 <= km <= 500):
        raise _arg_error("region", f"'{region}': need -80 ≤ lat ≤ 80, -180 ≤ lon ≤ 180 and "
                         "1 ≤ km ≤ 500")
    return Region(f"region {lat:g},{lon:g}", lat, lon, km)


def _arg_error(option: str, message: str) -> InputError:
    return InputError(InputIssue("generate", message, field=option))


def _offset(lat: float, lon: float, north_km: float, east_km: float) -> tuple[float, float]:
    lat2 = lat + north_km / KM_PER_DEGREE
    lon2 = lon + east_km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(max(-89.0, min(89.0, lat2)), 4), round((lon2 + 180) % 360 - 180, 4)


def _km(lat1: Any, lon1: Any, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine km between broadcast arrays (the formula of models.geo)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


# ===== organisations ===================================================================
SECTOR_SHARE = {"VVT": 0.44, "GHZ": 0.21, "GGZ": 0.14, "WIJK": 0.13, "ZKH": 0.08}
FTE_LOGNORMAL = {  # median FTE of care staff, sigma of log
    "VVT": (280, 0.6), "GHZ": (240, 0.6), "GGZ": (260, 0.55), "WIJK": (120, 0.6),
    "ZKH": (1500, 0.35),
}  # fmt: skip
ORG_WORDS = {
    "VVT": ("Zorggroep", "Woonzorg", "Zorgkring", "Zorgcentra"),
    "GHZ": ("Stichting Perspectief", "Begeleid Wonen", "Zorgnetwerk"),
    "GGZ": ("GGZ", "Psychiatrisch Centrum"),
    "WIJK": ("Wijkzorg", "Thuiszorg", "Wijkverpleging"),
    "ZKH": ("Ziekenhuis", "Medisch Centrum"),
}
QUALIFIERS = ("Oost", "West", "Noord", "Zuid", "Centrum", "Midden")


@dataclass
class _Org:
    id: str
    name: str
    sector: str
    fte: float
    lat: float
    lon: float


def _sector_counts(n: int) -> dict[str, int]:
    """Largest-remainder split of n organisations over the sector mix (≥ 1 VVT, a hospital
    once there are 5)."""
    raw = {s: share * n for s, share in SECTOR_SHARE.items()}
    counts = {s: int(v) for s, v in raw.items()}
    for s in sorted(raw, key=lambda s: counts[s] - raw[s])[: n - sum(counts.values())]:
        counts[s] += 1
    if n >= 5 and counts["ZKH"] == 0:
        counts["ZKH"], counts["VVT"] = 1, counts["VVT"] - 1
    if counts["VVT"] == 0:
        biggest = max(counts, key=lambda s: counts[s])
        counts[biggest], counts["VVT"] = counts[biggest] - 1, 1
    return counts


def _towns(rng: random.Random, region: Region) -> list[tuple[str, float, float]]:
    if region.towns:
        return list(region.towns)
    towns = []
    for name in INVENTED_TOWNS:
        r, a = region.km * 0.85 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        towns.append((name, *_offset(region.lat, region.lon, r * math.cos(a), r * math.sin(a))))
    return towns


def _organisations(rng: random.Random, region: Region, n: int) -> list[_Org]:
    towns = _towns(rng, region)
    town_weights = [1 / (i + 1) ** 0.7 for i in range(len(towns))]
    width = max(2, len(str(n)))
    names: set[str] = set()
    orgs: list[_Org] = []
    for sector, count in _sector_counts(n).items():
        for k in range(1, count + 1):
            # hospitals stand in the largest towns; the others anywhere
            town = towns[(k - 1) % 3] if sector == "ZKH" else rng.choices(towns, town_weights)[0]
            median, sigma = FTE_LOGNORMAL[sector]
            fte = max(25, round(rng.lognormvariate(math.log(median), sigma)))
            lat, lon = _offset(town[1], town[2], rng.gauss(0, 1.8), rng.gauss(0, 1.8))
            name = _unique_name(f"{rng.choice(ORG_WORDS[sector])} {town[0]}", names)
            orgs.append(_Org(f"{sector}{k:0{width}d}", name, sector, fte, lat, lon))
    return orgs


def _unique_name(base: str, taken: set[str]) -> str:
    options = [base, *(f"{base}-{q}" for q in QUALIFIERS)]
    name = next((o for o in options if o not in taken), None)
    k = 2
    while name is None or name in taken:
        name, k = f"{base} {k}", k + 1
    taken.add(name)
    return name


# ===== programmes ======================================================================
@dataclass(frozen=True)
class Track:
    """A programme and how its learners are drawn."""

    id: str
    kind: str
    placements: tuple[int, ...]
    share: float
    starts: tuple[tuple[int, float], ...]  # (months after CALENDAR_START, weight)
    levels: tuple[tuple[int, float], ...]
    travel: tuple[int, ...]  # max_travel_km drawn uniformly from these
    away: int = 0
    starter: int = 0
    employed: bool = True

    @property
    def total(self) -> int:
        return sum(self.placements)


SEPT, FEB, APR = 0, 5, 7  # 2027-09, 2028-02, 2028-04
TRACKS = (
    Track("bbl-vig", "bbl", (6, 6, 6), 0.38, ((SEPT, 0.7), (FEB, 0.15), (APR, 0.15)),
          ((3, 1.0),), (25, 30, 30, 35, 40), starter=3),
    Track("bbl-basis", "bbl", (4,), 0.12, ((SEPT, 0.6), (FEB, 0.2), (APR, 0.2)),
          ((2, 1.0),), (25, 25, 30, 35), starter=3),
    Track("traineeship", "trainee", (6, 6, 6, 6), 0.17, ((SEPT, 1.0),),
          ((4, 0.5), (5, 0.5)), (40, 45, 50), away=2),
    Track("hbo-duaal", "hbo_duaal", (6, 6, 6, 6), 0.18, ((SEPT, 0.8), (FEB, 0.2)),
          ((5, 1.0),), (35, 40, 45, 50), away=1),
    Track("bol", "bol", (5, 5), 0.15, ((SEPT, 0.6), (FEB, 0.4)),
          ((4, 0.6), (3, 0.4)), (25, 30, 35, 40), employed=False),
)  # fmt: skip
TRAINEE_SECTORS = ("VVT", "GGZ", "GHZ", "WIJK", "ZKH")  # the first two present are required


def _programmes(orgs: Sequence[_Org]) -> list[dict[str, Any]]:
    present = {o.sector for o in orgs}
    required = [s for s in TRAINEE_SECTORS if s in present][:2]
    out = []
    for t in TRACKS:
        p: dict[str, Any] = {"id": t.id, "kind": t.kind, "placements": list(t.placements)}
        if t.away:
            p["carrousel_min_away"] = t.away
        if t.kind == "trainee" and required:
            p["required_sectors"] = required
        if t.starter:
            p["starter_fixed_shifts_months"] = t.starter
        out.append(p)
    return out


def _new_starts(track: Track, months: int) -> tuple[tuple[int, float], ...]:
    """Cohorts in the window, preferring those that finish inside it."""
    inside = tuple((o, w) for o, w in track.starts if o + track.total <= months)
    return inside or tuple((o, w) for o, w in track.starts if o < months) or ((0, 1.0),)


def _earlier_starts(track: Track) -> tuple[tuple[int, float], ...]:
    """Cohorts of the two years before the window that are still running at its start."""
    out = [(o - 12 * y, w / y) for y in (1, 2) for o, w in track.starts]
    return tuple((o, w) for o, w in out if o < 0 < o + track.total)


# ===== learners ========================================================================
@dataclass
class _Learner:
    id: str
    track: Track
    start: int  # months after CALENDAR_START (negative: an earlier cohort)
    home: int | None  # index into orgs
    lat: float
    lon: float
    travel: float
    level: int
    unavailable: tuple[int, ...] = ()
    preferences: list[str] = field(default_factory=list)
    history: list[int] = field(default_factory=list)  # department indices
    pin: tuple[int, int, int] | None = None  # (department, first offset, last offset)
    km: np.ndarray = field(default_factory=lambda: np.zeros(0))  # to each organisation

    def spans(self) -> list[tuple[int, int]]:
        out, first = [], self.start
        for length in self.track.placements:
            out.append((first, first + length))
            first += length
        return out


def _mix(rng: random.Random, tracks: list[Track], n: int) -> list[Track]:
    """n programmes in the shares of the mix (largest remainder), in random order."""
    if not n or not tracks:
        return []
    counts = _split(n, [t.share for t in tracks], 0)
    out = [t for t, c in zip(tracks, counts, strict=True) for _ in range(c)]
    rng.shuffle(out)
    return out


def _learners(rng: random.Random, region: Region, orgs: Sequence[_Org], n_new: int,
              n_earlier: int, months: int) -> list[_Learner]:
    fte = [o.fte for o in orgs]
    tracks = _mix(rng, list(TRACKS), n_new)
    tracks += _mix(rng, [t for t in TRACKS if _earlier_starts(t)], n_earlier)
    width = len(str(n_new + n_earlier))
    out = []
    for i, track in enumerate(tracks):
        earlier = i >= n_new
        starts = _earlier_starts(track) if earlier else _new_starts(track, months)
        start = rng.choices([o for o, _ in starts], [w for _, w in starts])[0]
        home = rng.choices(range(len(orgs)), fte)[0] if track.employed else None
        if home is None:  # a BOL intern lives anywhere in the region
            r, a = region.km * 0.8 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            lat, lon = _offset(region.lat, region.lon, r * math.cos(a), r * math.sin(a))
        else:
            lat, lon = _offset(orgs[home].lat, orgs[home].lon, rng.gauss(0, 4), rng.gauss(0, 4))
        level = rng.choices([v for v, _ in track.levels], [w for _, w in track.levels])[0]
        learner = _Learner(f"L{i + 1:0{width}d}", track, start, home, lat, lon,
                           float(rng.choice(track.travel)), level)
        if not earlier and rng.random() < 0.04:  # a school block or leave of 1–2 months
            first = start + rng.randrange(1, track.total)
            learner.unavailable = tuple(range(first, min(first + rng.choice((1, 2)),
                                                         start + track.total)))
        out.append(learner)
    return out


def _demand(people: Sequence[_Learner], horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Learners present per month offset, and those of them needing a fixed-shift place."""
    demand, starter = np.zeros(horizon, np.int64), np.zeros(horizon, np.int64)
    for lr in people:
        starter_end = lr.start + lr.track.starter
        for first, end in lr.spans():
            needs_fixed = first < starter_end
            for o in range(max(0, first), end):
                if o not in lr.unavailable:
                    demand[o] += 1
                    starter[o] += needs_fixed
    return demand, starter


# ===== departments and buddies =========================================================
UNITS: dict[str, tuple[tuple[str, float, tuple[int, ...] | None, str | None], ...]] = {
    # unit, chance of fixed shifts, levels accepted (None: all), sector (None: the org's)
    "VVT": (("PG", 0.5, None, None), ("SOM", 0.3, None, None), ("REVA", 0.4, None, None),
            ("WONEN", 0.7, None, None), ("KORT", 0.2, None, None), ("DAG", 0.9, None, None)),
    "GHZ": (("WOON", 0.3, None, None), ("DAG", 0.9, None, None), ("LVB", 0.3, None, None),
            ("JEUGD", 0.4, None, None), ("AMBU", 0.8, None, None)),
    "GGZ": (("KLIN", 0.1, None, None), ("FACT", 0.9, None, None), ("JEUGD", 0.6, None, None),
            ("VERSL", 0.3, None, None), ("BW", 0.4, None, None)),
    "WIJK": (("WIJK-N", 0.6, None, None), ("WIJK-Z", 0.6, None, None), ("WIJK-O", 0.6, None,
             None), ("NACHT", 0.0, None, None), ("WIJK-W", 0.6, None, None)),
    "ZKH": (("INT", 0.1, None, None), ("CHIR", 0.1, None, None), ("GER", 0.5, None, None),
            ("CARD", 0.1, (4, 5), None), ("LONG", 0.1, None, None), ("NEURO", 0.2, None, None),
            ("ORTH", 0.3, None, None), ("IC", 0.0, (4, 5), None), ("KIND", 0.2, None, None),
            ("PSY", 0.4, None, "GGZ"), ("SEH", 0.0, (4, 5), None), ("POLI", 0.9, None, None)),
}  # fmt: skip


@dataclass
class _Buddy:
    max: int
    leave: tuple[int, int] | None = None  # month offsets [first, end)


@dataclass
class _Dept:
    id: str
    org: int
    fixed: bool
    cap: int
    levels: tuple[int, ...] | None
    sector: str | None
    ward: bool = False
    buddies: list[_Buddy] = field(default_factory=list)


def _split(total: int, weights: Sequence[float], minimum: int) -> list[int]:
    """Largest-remainder split of total into parts ∝ weights, each ≥ minimum."""
    n = len(weights)
    spare = max(0, total - minimum * n)
    raw = [w * spare / sum(weights) for w in weights]
    parts = [minimum + int(r) for r in raw]
    for i in sorted(range(n), key=lambda i: (int(raw[i]) - raw[i], i))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _departments(rng: random.Random, orgs: Sequence[_Org], target: int) -> list[_Dept]:
    per_org = _split(max(len(orgs), round(target / MEAN_CAPACITY)), [o.fte for o in orgs], 1)
    depts: list[_Dept] = []
    for oi, (org, n) in enumerate(zip(orgs, per_org, strict=True)):
        units = UNITS[org.sector]
        ward = n >= 3 and org.fte >= 500 and org.sector != "WIJK" and rng.random() < 0.7
        for k in range(n):
            if ward and k == 0:
                depts.append(_Dept(f"{org.id}-LEER", oi, True, 10, None, None, ward=True))
                continue
            j = k - 1 if ward else k
            unit, p_fixed, levels, sector = units[j % len(units)]
            suffix = "" if j < len(units) else str(j // len(units) + 1)
            weight = rng.choices((2, 3, 4, 5, 6), (0.2, 0.3, 0.25, 0.15, 0.1))[0]
            depts.append(_Dept(f"{org.id}-{unit}{suffix}", oi, rng.random() < p_fixed, weight,
                               levels, sector))
    caps = _split(target, [d.cap for d in depts], 1) if target >= len(depts) else None
    for i, d in enumerate(depts):
        d.cap = caps[i] if caps else 1
    return depts


def _buddies(rng: random.Random, depts: Sequence[_Dept], orgs: Sequence[_Org],
             months: int) -> None:
    for d in depts:
        p_one = 0.5 if orgs[d.org].sector == "ZKH" else 0.35  # hospitals: 1–2 per student
        while sum(b.max for b in d.buddies) < d.cap or (not d.buddies):
            d.buddies.append(_Buddy(1 if rng.random() < p_one else 2))
        if rng.random() < 0.2:
            d.buddies.append(_Buddy(rng.choice((1, 2))))
        for b in d.buddies:
            if rng.random() < 0.15:
                summer = 10 + 12 * rng.randrange(max(1, (months + 2) // 12))  # July
                first = summer if rng.random() < 0.5 else rng.randrange(months)
                b.leave = (first, min(months, first + rng.choice((1, 2, 2, 3))))
                if b.leave[0] >= b.leave[1]:
                    b.leave = None


def _effective(d: _Dept, horizon: int) -> np.ndarray:
    row = np.full(horizon, sum(b.max for b in d.buddies), np.int64)
    for b in d.buddies:
        if b.leave:
            row[b.leave[0] : b.leave[1]] -= b.max
    return np.minimum(row, d.cap)


def _fit_capacity(rng: random.Random, depts: list[_Dept], eff: np.ndarray,
                  demand: np.ndarray, utilisation: float) -> None:
    """Add or take away single places until the tightest month is at ``utilisation``."""
    horizon = eff.shape[1]

    def worst() -> float:
        return float(np.max(demand / np.maximum(eff.sum(axis=0), 1)))

    def change(i: int, step: int) -> None:
        d = depts[i]
        d.cap += step
        if step > 0 and _effective(d, horizon).min() < d.cap:
            d.buddies.append(_Buddy(1))
        eff[i] = _effective(d, horizon)

    while worst() > utilisation * 1.002:
        change(rng.randrange(len(depts)), +1)
    for _ in range(len(depts) * 4):
        i = rng.randrange(len(depts))
        if depts[i].cap <= (6 if depts[i].ward else 1):
            continue
        change(i, -1)
        if worst() > utilisation * 1.002:
            change(i, +1)
            break


def _fit_fixed(rng: random.Random, depts: list[_Dept], eff: np.ndarray,
               starter: np.ndarray, utilisation: float) -> None:
    """Turn rotating departments into fixed ones until the starters fit comfortably."""
    need = starter / (FIXED_UTILISATION * min(utilisation, 1.0))
    rotating = [i for i, d in enumerate(depts) if not d.fixed]
    rng.shuffle(rotating)
    rotating.sort(key=lambda i: -depts[i].cap)  # few large teams rather than many small
    fixed = eff[[i for i, d in enumerate(depts) if d.fixed]].sum(axis=0)
    for i in rotating:
        if np.all(fixed >= need):
            break
        depts[i].fixed = True
        fixed = fixed + eff[i]


# ===== learners of earlier cohorts: history and pins ===================================
@dataclass
class _Grid:
    """What the greedy for earlier cohorts needs about departments, as arrays."""

    org: np.ndarray  # department → organisation index
    fixed: np.ndarray
    sector: np.ndarray
    levels: list[tuple[int, ...] | None]
    eff: np.ndarray  # department × month effective capacity
    load: np.ndarray  # department × month learners placed so far
    accepts: dict[int, np.ndarray] = field(default_factory=dict)  # level → departments

    def accepting(self, level: int) -> np.ndarray:
        if level not in self.accepts:
            self.accepts[level] = np.array([lv is None or level in lv for lv in self.levels])
        return self.accepts[level]


def _grid(depts: Sequence[_Dept], orgs: Sequence[_Org], eff: np.ndarray) -> _Grid:
    return _Grid(np.array([d.org for d in depts]), np.array([d.fixed for d in depts]),
                 np.array([d.sector or orgs[d.org].sector for d in depts]),
                 [d.levels for d in depts], eff, np.zeros_like(eff))


def _place_earlier(nprng: np.random.Generator, people: list[_Learner], grid: _Grid,
                   required: Sequence[str]) -> list[_Learner]:
    """Place each learner of an earlier cohort in full (greedy, within capacity and every
    rule), keep the departments before the window as ``history``, pin the running
    placement. Later placements keep their room reserved, so all pins fit together; a
    learner who fits nowhere is left out."""
    kept = []
    for lr in people:
        if lr.start >= 0:
            kept.append(lr)
            continue
        chosen = _greedy_programme(nprng, lr, grid, required)
        if chosen is None:
            continue
        for (first, end), d in zip(lr.spans(), chosen, strict=True):
            grid.load[d, max(0, first) : end] += 1
            if end <= 0:
                lr.history.append(d)
            elif lr.pin is None:
                lr.pin = (d, max(0, first), end - 1)
        kept.append(lr)
    return kept


def _greedy_programme(nprng: np.random.Generator, lr: _Learner, grid: _Grid,
                      required: Sequence[str]) -> list[int] | None:
    km = lr.km[grid.org]
    usable = (km <= lr.travel - TRAVEL_MARGIN_KM) & grid.accepting(lr.level)
    away = grid.org != lr.home if lr.home is not None else np.ones_like(usable)
    sectors_left = set(required) if lr.track.kind == "trainee" else set()
    away_left = lr.track.away
    chosen: list[int] = []
    for first, end in lr.spans():
        mask = usable.copy()
        mask[chosen] = False
        if first < lr.start + lr.track.starter:
            mask &= grid.fixed
        a, b = max(0, first), end
        if a < b:
            mask &= np.all(grid.load[:, a:b] < grid.eff[:, a:b], axis=1)
        cands = np.flatnonzero(mask)
        if not len(cands):
            return None
        score = nprng.random(len(cands)) - km[cands] / 100
        score += 2 * np.isin(grid.sector[cands], sorted(sectors_left))
        score += 2 * (away[cands] & (away_left > 0))
        if lr.track.kind == "bbl":  # BBL students mostly work at their employer
            score += ~away[cands]
        d = int(cands[np.argmax(score)])
        chosen.append(d)
        sectors_left.discard(str(grid.sector[d]))
        away_left -= bool(away[d])
    return chosen if not sectors_left and away_left <= 0 else None


# ===== preferences =====================================================================
def _preferences(nprng: np.random.Generator, people: Sequence[_Learner],
                 depts: Sequence[_Dept], orgs: Sequence[_Org]) -> None:
    """0–3 ranked wishes per learner, organisations or departments near home."""
    by_org: list[list[int]] = [[] for _ in orgs]
    for i, d in enumerate(depts):
        by_org[d.org].append(i)
    counts = nprng.choice(4, size=len(people), p=(0.3, 0.3, 0.25, 0.15))
    for lr, k in zip(people, counts, strict=True):
        near = np.flatnonzero(lr.km <= lr.travel * 0.8)
        if not k or not len(near):
            continue
        weights = np.exp(-lr.km[near] / 8.0)
        picks = nprng.choice(near, size=min(int(k), len(near)), replace=False,
                             p=weights / weights.sum())
        for oi in picks:
            if nprng.random() < 0.4 and (fits := _accepting(depts, by_org[oi], lr.level)):
                lr.preferences.append(depts[fits[int(nprng.integers(len(fits)))]].id)
            else:
                lr.preferences.append(orgs[oi].id)


def _accepting(depts: Sequence[_Dept], indices: Sequence[int], level: int) -> list[int]:
    out = []
    for i in indices:
        levels = depts[i].levels
        if levels is None or level in levels:
            out.append(i)
    return out


# ===== the scenario ====================================================================
def _month(offset: int) -> str:
    return add_months(CALENDAR_START, offset)


def _range(first: int, last: int) -> str:
    return _month(first) if first == last else f"{_month(first)}/{_month(last)}"


def _document(name: str, months: int, orgs: Sequence[_Org], depts: Sequence[_Dept],
              programmes: list[dict[str, Any]], people: Sequence[_Learner]) -> dict[str, Any]:
    return {
        "scenario": 1, "name": name,
        "calendar": {"start": CALENDAR_START, "months": months},
        "policy": {"quota_per_100_fte": 15, "buddy_max_learners": 2, "max_travel_km": 40},
        "organisations": [{"id": o.id, "name": o.name, "sector": o.sector, "fte_care": o.fte,
                           "lat": o.lat, "lon": o.lon} for o in orgs],
        "departments": [_department_row(d, orgs) for d in depts],
        "buddies": [_buddy_row(d, k, b) for d in depts for k, b in enumerate(d.buddies, 1)],
        "programmes": programmes,
        "learners": [_learner_row(lr, depts, orgs) for lr in people],
        "pins": [{"learner": lr.id, "from": _month(lr.pin[1]), "to": _month(lr.pin[2]),
                  "department": depts[lr.pin[0]].id} for lr in people if lr.pin],
    }  # fmt: skip


def _department_row(d: _Dept, orgs: Sequence[_Org]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": d.id, "organisation": orgs[d.org].id,
                           "shifts": "fixed" if d.fixed else "rotating", "capacity": d.cap}
    if d.sector:
        row["sector"] = d.sector
    if d.levels:
        row["levels"] = list(d.levels)
    return row


def _buddy_row(d: _Dept, k: int, b: _Buddy) -> dict[str, Any]:
    row: dict[str, Any] = {"id": f"b-{d.id.lower()}-{k}", "department": d.id}
    if b.max != 2:
        row["max_learners"] = b.max
    if b.leave:
        row["unavailable"] = [_range(b.leave[0], b.leave[1] - 1)]
    return row


def _learner_row(lr: _Learner, depts: Sequence[_Dept], orgs: Sequence[_Org]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": lr.id, "programme": lr.track.id}
    if lr.home is not None:
        row["home"] = orgs[lr.home].id
    row.update(start=_month(lr.start), level=lr.level, lat=lr.lat, lon=lr.lon,
               max_travel_km=lr.travel)
    if lr.preferences:
        row["preferences"] = lr.preferences
    if lr.unavailable:
        row["unavailable"] = [_range(lr.unavailable[0], lr.unavailable[-1])]
    if lr.history:
        row["history"] = [depts[d].id for d in lr.history]
    return row


# ===== public API ======================================================================
def generate_region(learners: int, organisations: int, seed: int, *,
                    utilisation: float = 0.85, region: str = "twente", months: int = 24,
                    pinned_share: float = 0.0) -> Scenario:
    """A synthetic region (see the module docstring); equal arguments give an equal one."""
    _check_arguments(learners, organisations, utilisation, months, pinned_share)
    where = parse_region(region)
    rng = random.Random(seed)
    orgs = _organisations(rng, where, organisations)
    people = _learners(rng, where, orgs, learners, round(pinned_share * learners), months)
    _distances(people, orgs)
    horizon = max(months, max(lr.start + lr.track.total for lr in people))
    demand, starter = _demand(people, horizon)
    depts = _departments(rng, orgs, math.ceil(demand.max() / utilisation))
    _buddies(rng, depts, orgs, months)
    eff = np.array([_effective(d, horizon) for d in depts])
    _fit_capacity(rng, depts, eff, demand, utilisation)
    _fit_fixed(rng, depts, eff, starter, utilisation)
    programmes = _programmes(orgs)
    required: list[str] = next((p.get("required_sectors", []) for p in programmes
                                if p["kind"] == "trainee"), [])
    nprng = np.random.default_rng(rng.getrandbits(63))
    people = _place_earlier(nprng, people, _grid(depts, orgs, eff), required)
    _preferences(nprng, people, depts, orgs)
    name = (f"Synthetische regio {where.label} (seed {seed}): {learners} lerenden, "
            f"{organisations} organisaties, bezetting {utilisation:.0%}")
    return Scenario.model_validate(_document(name, months, orgs, depts, programmes, people))


def _check_arguments(learners: int, organisations: int, utilisation: float, months: int,
                     pinned_share: float) -> None:
    if learners < 1:
        raise _arg_error("learners", f"need at least 1 learner, got {learners}")
    if organisations < 1:
        raise _arg_error("organisations", f"need at least 1 organisation, got {organisations}")
    if not 0.05 <= utilisation <= 5:
        raise _arg_error("utilisation", f"must lie between 0.05 and 5, got {utilisation}")
    if not 1 <= months <= 240:
        raise _arg_error("months", f"must lie between 1 and 240, got {months}")
    if not 0 <= pinned_share <= 5:
        raise _arg_error("pinned_share", f"must lie between 0 and 5, got {pinned_share}")


def _distances(people: Sequence[_Learner], orgs: Sequence[_Org]) -> None:
    lat = np.array([o.lat for o in orgs])
    lon = np.array([o.lon for o in orgs])
    for lr in people:
        lr.km = _km(np.float64(lr.lat), np.float64(lr.lon), lat, lon)


def measure(scenario: Scenario) -> dict[str, Any]:
    """Realised figures of a scenario: sizes, programme mix (BBL share) and utilisation.

    ``peak_utilisation`` is the learners present in the busiest month (planned months,
    learners' own unavailable months left out) over the effective capacity of that month
    (min(capacity, available buddies), summed over departments); ``max_utilisation`` is
    the same ratio in the tightest month.
    """
    s = scenario
    demand: dict[int, int] = {}
    for lr in s.learners:
        away = s.learner_unavailable[lr.id]
        for span in s.planned_spans(lr):
            for o in span.planned:
                if o not in away:
                    demand[o] = demand.get(o, 0) + 1
    capacity = {o: sum(s.effective_capacity(d.id, o) for d in s.departments) for o in demand}
    ratio = {o: demand[o] / max(1, capacity[o]) for o in demand}
    peak = max(demand, key=lambda o: (demand[o], -o)) if demand else s.calendar.first
    kinds: dict[str, int] = {}
    for lr in s.learners:
        kind = s.learner_programme(lr).kind
        kinds[kind] = kinds.get(kind, 0) + 1
    n = max(1, len(s.learners))
    return {
        "learners": len(s.learners), "organisations": len(s.organisations),
        "departments": len(s.departments), "buddies": len(s.buddies), "pins": len(s.pins),
        "earlier_cohort_learners": sum(1 for lr in s.learners if lr.start < s.calendar.start),
        "mean_fte": round(s.total_fte / len(s.organisations), 1),
        "fixed_shift_departments": round(sum(s.is_fixed(d.id) for d in s.departments)
                                         / len(s.departments), 3),
        "kind_shares": {k: round(v / n, 3) for k, v in sorted(kinds.items())},
        "bbl_share": round(kinds.get("bbl", 0) / n, 3),
        "peak_month": ordinal_month(peak),
        "peak_demand": demand.get(peak, 0),
        "peak_capacity": capacity.get(peak, 0),
        "peak_utilisation": round(ratio.get(peak, 0.0), 3),
        "max_utilisation": round(max(ratio.values(), default=0.0), 3),
    }  # fmt: skip


def write_generated(scenario: Scenario, out: str | Path,
                    fmt: Literal["yaml", "xlsx"] | None = None) -> list[Path]:
    """Write ``out``: YAML with its tables as CSV files beside it (``<stem>-<table>.csv``),
    or an Excel workbook; ``fmt`` None follows the suffix. Returns the files written."""
    out = Path(out)
    suffix = out.suffix.lower()
    fmt = fmt or ("xlsx" if suffix == ".xlsx" else "yaml")
    wanted = (".xlsx",) if fmt == "xlsx" else (".yaml", ".yml")
    if suffix not in wanted:
        suffixes = wanted[0] if len(wanted) == 1 else \
            Msg("either_or", first=wanted[0], second=wanted[1])
        raise InputError(InputIssue(str(out), Msg("format_suffix", fmt=fmt, suffixes=suffixes),
                                    field="out"))
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        write_scenario(scenario, out)
        return [out]
    write_scenario(scenario, out, csv_tables=True)
    tables = ("organisations", "departments", "buddies", "programmes", "learners", "pins")
    return [out, *(out.parent / f"{out.stem}-{t}.csv" for t in tables if getattr(scenario, t))]


def run_generate(*, learners: int, organisations: int, seed: int, out: Path,
                 utilisation: float = 0.85, region: str = "twente",
                 fmt: Literal["yaml", "xlsx"] | None = None, months: int = 24,
                 pinned_share: float = 0.0) -> int:
    """``scheduler generate``: build, write, and print the realised figures."""
    scenario = generate_region(learners, organisations, seed, utilisation=utilisation,
                               region=region, months=months, pinned_share=pinned_share)
    files = write_generated(scenario, out, fmt)
    m = measure(scenario)
    print(f"{files[0]}: {m['learners']} learners ({m['bbl_share']:.0%} BBL, "
          f"{m['earlier_cohort_learners']} of earlier cohorts, {m['pins']} pins), "
          f"{m['organisations']} organisations, {m['departments']} departments, "
          f"{m['buddies']} buddies; peak {m['peak_demand']} learners in {m['peak_month']} "
          f"of {m['peak_capacity']} places ({m['peak_utilisation']:.0%})")
    for extra in files[1:]:
        print(f"  table {extra}")
    return 0
