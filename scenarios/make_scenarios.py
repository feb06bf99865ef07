"""Write three of the shipped scenarios (run once; fixed seeds, so reruns give the same files).

    .venv/bin/python scenarios/make_scenarios.py

Writes ``drenthe-hbov-flex.yaml``, ``limburg-zorgconnect.yaml`` and
``drechtsteden-zorgtalent.yaml`` next to this script. Organisations, departments, buddies
and programmes are spelled out below; learners (names, employers, homes, preferences) are
drawn with a fixed seed. Every name is fictional. ``twente.yaml`` (the default scenario) is
hand-written and not touched here.
"""

from __future__ import annotations

import math
import random
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scheduler.generate import measure  # noqa: E402
from scheduler.io import load_scenario, write_scenario  # noqa: E402
from scheduler.models import Scenario  # noqa: E402

FIRST_NAMES = (
    "Anouk", "Bas", "Chantal", "Demi", "Esra", "Fatma", "Guus", "Hanna", "Ilse", "Jesse",
    "Kevin", "Lisa", "Mila", "Nadia", "Omar", "Pien", "Quinten", "Rosa", "Sven", "Tessa",
    "Umut", "Vera", "Wouter", "Yara", "Zoë", "Amir", "Britt", "Celine", "Daan", "Elif",
    "Fleur", "Gijs", "Hatice", "Iris", "Joost", "Kim", "Lars", "Merel", "Noah", "Priya",
    "Ruben", "Sanne", "Thijs", "Lotte", "Milan", "Jasmijn", "Sophie", "Luuk", "Ayla", "Tim",
)  # fmt: skip

# Organisation: id, name, sector, FTE care staff, lat, lon, then its departments as
# (suffix, shifts, capacity, buddies); buddies are max_learners values, a buddy written
# as (max_learners, "YYYY-MM/YYYY-MM") is unavailable in that range.
Org = tuple[str, str, str, int, float, float, list[tuple[Any, ...]]]


def organisations(orgs: list[Org]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {"organisations": [], "departments": [],
                                               "buddies": []}
    for oid, name, sector, fte, lat, lon, depts in orgs:
        tables["organisations"].append({"id": oid, "name": name, "sector": sector,
                                        "fte_care": fte, "lat": lat, "lon": lon})
        for suffix, shifts, capacity, buddies, *extra in depts:
            did = f"{oid}-{suffix}"
            tables["departments"].append({"id": did, "organisation": oid, "shifts": shifts,
                                          "capacity": capacity, **(extra[0] if extra else {})})
            for k, buddy in enumerate(buddies, start=1):
                row: dict[str, Any] = {"id": f"b-{did.lower()}-{k}", "department": did}
                most, away = buddy if isinstance(buddy, tuple) else (buddy, None)
                if most != 2:
                    row["max_learners"] = most
                if away:
                    row["unavailable"] = [away]
                tables["buddies"].append(row)
    return tables


def near(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    north, east = rng.gauss(0, km), rng.gauss(0, km)
    return (round(lat + north / 111.2, 4),
            round(lon + east / (111.2 * math.cos(math.radians(lat))), 4))


def learners(rng: random.Random, tables: dict[str, Any], cohorts: list[dict[str, Any]],
             surnames: tuple[str, ...], prefix: str = "L") -> list[dict[str, Any]]:
    """Learners of each cohort: {programme, start, count, level, travel, employed}."""
    orgs = tables["organisations"]
    names = [f"{f} {s}" for f in FIRST_NAMES for s in surnames]
    rng.shuffle(names)
    out = []
    for cohort in cohorts:
        for _ in range(cohort["count"]):
            home = rng.choices(orgs, [o["fte_care"] for o in orgs])[0]
            where = home if cohort.get("employed", True) else rng.choice(orgs)
            lat, lon = near(rng, where["lat"], where["lon"], 5.0)
            row: dict[str, Any] = {"id": f"{prefix}{len(out) + 1:03d}", "name": names.pop(),
                                   "programme": cohort["programme"]}
            if cohort.get("employed", True):
                row["home"] = home["id"]
            row.update(start=cohort["start"], level=cohort["level"], lat=lat, lon=lon,
                       max_travel_km=rng.choice(cohort.get("travel", (30, 35, 40))))
            row["preferences"] = preferences(rng, tables, lat, lon, row["max_travel_km"])
            out.append(row)
    return out


def preferences(rng: random.Random, tables: dict[str, Any], lat: float, lon: float,
                travel: float) -> list[str]:
    """0–3 wishes, organisations or departments, nearer ones more likely."""
    from scheduler.models import distance_km

    options = []
    for o in tables["organisations"]:
        km = distance_km(lat, lon, o["lat"], o["lon"])
        if km <= 0.8 * travel:
            options.append((o["id"], math.exp(-km / 10)))
    count = min(len(options), rng.choices((0, 1, 2, 3), (0.25, 0.3, 0.3, 0.15))[0])
    chosen: list[str] = []
    while len(chosen) < count:
        oid = rng.choices([o for o, _ in options], [w for _, w in options])[0]
        depts = [d["id"] for d in tables["departments"] if d["organisation"] == oid]
        pick = rng.choice(depts) if rng.random() < 0.4 else oid
        if pick not in chosen and oid not in chosen:
            chosen.append(pick)
    return chosen


def write(name: str, header: str, doc: dict[str, Any]) -> None:
    """Write the scenario, one row per line, opening with ``header`` and its realised sizes;
    check that it loads back to the same scenario."""
    scenario = Scenario.model_validate(doc)
    m = measure(scenario)
    sizes = (f"Sizes: {m['organisations']} organisations, {m['departments']} departments, "
             f"{m['buddies']} buddies, {m['learners']} learners; window "
             f"{scenario.calendar.start} + {scenario.calendar.months} months. Busiest month "
             f"{m['peak_month']}: {m['peak_demand']} learners for {m['peak_capacity']} places "
             f"(department capacity limited by available buddies), {m['peak_utilisation']:.0%}; "
             f"tightest month {m['max_utilisation']:.0%}.")
    path = HERE / name
    write_scenario(scenario, path)  # the project's writer decides what a row holds
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    lines += [f"# {line}" for line in textwrap.wrap(sizes, 90)]
    for key, value in written.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {flow(row)}" for row in value]
        else:
            lines.append(f"{key}: {flow(value)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_scenario(path) == scenario, path
    print(f"wrote {path.name}: {sizes}")


def flow(value: Any) -> str:
    """One YAML line; whole numbers without '.0' (720.0 FTE reads 720)."""
    text = yaml.safe_dump(whole(value), default_flow_style=True, width=100_000, allow_unicode=True,
                          sort_keys=False)
    return text.strip().removesuffix("...").strip()


def whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole(v) for v in value]
    return value


# ===== Zuid- en Oost-Drenthe: hbo-v Flex with the Carrousel ==============================
DRENTHE_HEADER = """
Zuid- en Oost-Drenthe: hbo-v Flex (work-and-learn bachelor nursing) with the Carrousel.

Modelled on hbo-v Flex in Zuid- en Oost-Drenthe (FACTS.md): every student works at least one
period at another organisation than the employer (the Carrousel: carrousel_min_away 1),
and the three target groups each follow their own programme: opscholers (mbo-4 nurses,
3 placements of 6 months), doorstromers/omscholers and zij-instromers (4 of 6 months;
zij-instromers new to care start without wisseldiensten for 3 months, an assumption).
Cohort size as the Drenthe zij-instroom cohort in FACTS.md (25 of 75 places filled):
32 students, a September 2027 and a smaller February 2028 intake, employed by 6 organisations
(a hospital, two VVT, GGZ, GHZ and district care; FTE sizes skewed around the ~400 FTE
reference). Hospitals: 1-2 werkbegeleiders per student (max_learners 1-2); IC and SEH take
hbo-level students (level 5) only. Quota reference 15 places per 100 FTE care staff.
All names are fictional. Written by scenarios/make_scenarios.py (seed 2027).
"""

DRENTHE: list[Org] = [
    ("MCE", "Medisch Centrum Emmen-Angelslo", "ZKH", 1650, 52.785, 6.93, [
        ("INT", "rotating", 3, [2, 1]), ("CHIR", "rotating", 2, [1, 1]),
        ("GER", "fixed", 2, [2]), ("CARD", "rotating", 2, [1, (1, "2028-06/2028-08")]),
        ("IC", "rotating", 1, [1], {"levels": [5]}), ("SEH", "rotating", 1, [1], {"levels": [5]}),
        ("LONG", "rotating", 2, [2]),
    ]),
    ("ZHD", "Zorggroep Hunzedal", "VVT", 620, 52.918, 6.792, [
        ("PG", "fixed", 2, [2]), ("SOM", "rotating", 2, [2]), ("REVA", "fixed", 2, [1, 1]),
        ("KORT", "rotating", 1, [1]), ("DAG", "fixed", 1, [1]),
    ]),
    ("RZH", "Reestdal Zorg Hoogeveen", "VVT", 540, 52.724, 6.478, [
        ("PG", "fixed", 2, [2]), ("SOM", "rotating", 2, [2, (1, "2028-10/2028-12")]),
        ("WONEN", "fixed", 2, [2]),
    ]),
    ("GDE", "GGZ Drentse Esdorpen", "GGZ", 480, 52.861, 6.515, [
        ("KLIN", "rotating", 2, [2]), ("FACT", "fixed", 2, [1, 1]), ("JEUGD", "fixed", 2, [2]),
        ("BW", "fixed", 1, [1]),
    ]),
    ("SBW", "Stichting Sleenerzand Begeleid Wonen", "GHZ", 380, 52.772, 6.802, [
        ("WOON", "rotating", 2, [2]), ("LVB", "fixed", 2, [2]),
    ]),
    ("WCD", "Wijkzorg Coevorden-Dalen", "WIJK", 260, 52.662, 6.745, [
        ("WIJK-N", "fixed", 2, [2]), ("WIJK-Z", "fixed", 2, [(2, "2028-07/2028-08")]),
        ("WIJK-O", "fixed", 1, [1]),
    ]),
]  # fmt: skip
DRENTHE_SURNAMES = (
    "Hilbrands", "Jalving", "Hummel", "Kuik", "Lubbers", "Oosting", "Pepping", "Scheper",
    "Wolbers", "Zwiers", "Egberts", "Haveman", "Kroeze", "Lanting", "Nijboer", "Tiesing",
)  # fmt: skip


def drenthe() -> None:
    rng = random.Random(2027)
    tables = organisations(DRENTHE)
    programmes = [
        {"id": "flex-opscholer", "kind": "hbo_duaal", "placements": [6, 6, 6],
         "carrousel_min_away": 1},
        {"id": "flex-doorstromer", "kind": "hbo_duaal", "placements": [6, 6, 6, 6],
         "carrousel_min_away": 1},
        {"id": "flex-zij-instromer", "kind": "hbo_duaal", "placements": [6, 6, 6, 6],
         "carrousel_min_away": 1, "starter_fixed_shifts_months": 3},
    ]
    cohorts = [
        {"programme": p, "start": start, "count": n, "level": 5, "travel": (30, 40, 45)}
        for p, start, n in (
            ("flex-opscholer", "2027-09", 7), ("flex-opscholer", "2028-02", 3),
            ("flex-doorstromer", "2027-09", 9), ("flex-doorstromer", "2028-02", 3),
            ("flex-zij-instromer", "2027-09", 7), ("flex-zij-instromer", "2028-02", 3),
        )
    ]
    tables["programmes"] = programmes
    tables["learners"] = learners(rng, tables, cohorts, DRENTHE_SURNAMES, prefix="F")
    write("drenthe-hbov-flex.yaml", DRENTHE_HEADER, {
        "scenario": 1, "name": "hbo-v Flex Zuid- en Oost-Drenthe, Carrousel 2027-2030",
        "calendar": {"start": "2027-09", "months": 30},
        "policy": {"quota_per_100_fte": 15, "buddy_max_learners": 2, "max_travel_km": 40},
        **tables,
    })


# ===== Noord- en Midden-Limburg: ZorgConnect ============================================
LIMBURG_HEADER = """
Noord- en Midden-Limburg: seven VVT organisations training together (ZorgConnect).

Modelled on ZorgConnect (FACTS.md): 7 VVT organisations, qualified learning supervisors
(vakbekwaam leerbegeleiden) as the scarce resource: buddy capacity (max_learners summed)
is below department capacity in most departments, and some buddies follow a
train-the-trainer course for part of the year (unavailable ranges). Learner mix after the
ZW Connect stage council (53 % BBL, 39 % BOL of 4,801 placements): 40 BBL students
(VIG niveau 3 and Woonzorg niveau 2, both 18 months, no wisseldiensten in the first 3 months)
and 32 BOL interns (20-week blocks, about 5 months; no employer, own home address);
September 2027 and February 2028 intakes, growing as Limburg's BBL numbers (421 -> 1,081).
Quota reference 15 places per 100 FTE care staff. All names are fictional.
Written by scenarios/make_scenarios.py (seed 51).
"""

TTT_SPRING, TTT_AUTUMN = (2, "2028-01/2028-03"), (2, "2028-09/2028-11")
LIMBURG: list[Org] = [
    ("ZMV", "Zorggroep Maasoever Venlo", "VVT", 880, 51.372, 6.168, [
        ("LEER", "fixed", 8, [2, 2, 2, TTT_SPRING]), ("PG1", "fixed", 4, [2, 1]),
        ("PG2", "fixed", 4, [2, 2]), ("SOM", "rotating", 4, [2, 2]),
        ("KORT", "rotating", 3, [2, 1]), ("WONEN", "fixed", 3, [2]),
    ]),
    ("RDR", "Zorgkring Roerdal Roermond", "VVT", 760, 51.194, 5.987, [
        ("PG", "fixed", 4, [2, TTT_AUTUMN]), ("SOM1", "rotating", 4, [2, 2]),
        ("SOM2", "rotating", 3, [2, 1]), ("WONEN", "fixed", 4, [2, 2]),
        ("KORT", "rotating", 3, [2]), ("DAG", "fixed", 2, [1]),
    ]),
    ("PRV", "Woonzorg Peelrand Venray", "VVT", 540, 51.527, 5.975, [
        ("PG", "fixed", 4, [2, 2]), ("SOM", "rotating", 3, [2]), ("WONEN", "fixed", 4, [2, 1]),
        ("REVA", "rotating", 3, [TTT_SPRING, 1]),
    ]),
    ("KRW", "Zorgcentra Kempenrand Weert", "VVT", 610, 51.251, 5.708, [
        ("PG", "fixed", 4, [2, 2]), ("SOM", "rotating", 4, [2, TTT_AUTUMN]),
        ("WONEN", "fixed", 3, [2]), ("KORT", "rotating", 3, [2]), ("DAG", "fixed", 2, [1]),
    ]),
    ("HPH", "Zorggroep Horster Peel", "VVT", 420, 51.455, 6.051, [
        ("PG", "fixed", 4, [2, 2]), ("SOM", "rotating", 3, [2]), ("WONEN", "fixed", 3, [2]),
        ("KORT", "rotating", 2, [1, 1]),
    ]),
    ("PHZ", "Zorghof Panningen-Helden", "VVT", 330, 51.329, 5.978, [
        ("PG", "fixed", 3, [2, (1, "2028-01/2028-03")]), ("SOM", "rotating", 3, [2, 1]),
        ("WONEN", "fixed", 3, [2]),
    ]),
    ("ESZ", "Zorgkring Echt-Susteren", "VVT", 300, 51.104, 5.873, [
        ("PG", "fixed", 3, [2, 1]), ("SOM", "rotating", 3, [2]), ("WONEN", "fixed", 3, [2]),
    ]),
]  # fmt: skip
LIMBURG_SURNAMES = (
    "Janssen", "Peeters", "Hendriks", "Smeets", "Willems", "Vencken", "Gielen", "Houben",
    "Coenen", "Linders", "Vossen", "Kessels", "Steeghs", "Verheijen", "Thijssen", "Rutten",
)  # fmt: skip


def limburg() -> None:
    rng = random.Random(51)
    tables = organisations(LIMBURG)
    tables["programmes"] = [
        {"id": "bbl-vig", "kind": "bbl", "placements": [6, 6, 6], "starter_fixed_shifts_months": 3},
        {"id": "bbl-woonzorg", "kind": "bbl", "placements": [6, 6, 6],
         "starter_fixed_shifts_months": 3},
        {"id": "bol-mbo-v", "kind": "bol", "placements": [5, 5]},
        {"id": "bol-vig", "kind": "bol", "placements": [5, 5]},
    ]
    cohorts = [
        {"programme": "bbl-vig", "start": "2027-09", "count": 20, "level": 3},
        {"programme": "bbl-vig", "start": "2028-02", "count": 10, "level": 3},
        {"programme": "bbl-woonzorg", "start": "2027-09", "count": 8, "level": 2},
        {"programme": "bbl-woonzorg", "start": "2028-02", "count": 2, "level": 2},
        {"programme": "bol-mbo-v", "start": "2027-09", "count": 12, "level": 4,
         "employed": False},
        {"programme": "bol-mbo-v", "start": "2028-02", "count": 6, "level": 4, "employed": False},
        {"programme": "bol-vig", "start": "2027-09", "count": 8, "level": 3, "employed": False},
        {"programme": "bol-vig", "start": "2028-02", "count": 6, "level": 3, "employed": False},
    ]
    tables["learners"] = learners(rng, tables, cohorts, LIMBURG_SURNAMES, prefix="Z")
    write("limburg-zorgconnect.yaml", LIMBURG_HEADER, {
        "scenario": 1, "name": "ZorgConnect Noord- en Midden-Limburg 2027-2029",
        "calendar": {"start": "2027-09", "months": 24},
        "policy": {"quota_per_100_fte": 15, "buddy_max_learners": 2, "max_travel_km": 40},
        **tables,
    })


# ===== Drechtsteden: Zorgtalent ==========================================================
DRECHTSTEDEN_HEADER = """
Drechtsteden: Zorgtalent, zij-instromers into care.

Modelled on Zorgtalent Drechtsteden (FACTS.md): zij-instromers choose a 4-month basis track
or VIG niveau 3 BBL in 18 months, employed by 4 VVT and 2 GHZ organisations; small cohorts
as FACTS.md reports (62 interested, 47 signed up, 12 started in April 2023; zij-instroom
cohorts of 10-25 starters with 4-6 employers): 14 starters in September 2027 and 10 in
April 2028. Starting BBL students get no wisseldiensten in their first 3 months (RAAT), so
most departments that take them work fixed shifts. Quota reference 15 places per 100 FTE.
All names are fictional. Written by scenarios/make_scenarios.py (seed 78).
"""

DRECHTSTEDEN: list[Org] = [
    ("MOD", "Zorggroep Merwedeoever Dordrecht", "VVT", 720, 51.806, 4.664, [
        ("PG", "fixed", 2, [2]), ("SOM", "rotating", 1, [1]), ("WONEN", "fixed", 2, [2]),
    ]),
    ("WTD", "Woonzorg Wantij Dordrecht", "VVT", 480, 51.816, 4.695, [
        ("PG", "fixed", 2, [2]), ("WONEN", "fixed", 2, [(2, "2028-07/2028-08"), 1]),
        ("SOM", "rotating", 1, [1]),
    ]),
    ("OMZ", "Zorgkring Oude Maas Zwijndrecht", "VVT", 390, 51.815, 4.636, [
        ("PG", "fixed", 2, [2]), ("SOM", "rotating", 1, [1]), ("DAG", "fixed", 1, [1]),
    ]),
    ("APP", "Zorgcentra Alblasserwaard-West Papendrecht", "VVT", 340, 51.832, 4.701, [
        ("PG", "fixed", 2, [2]), ("WONEN", "fixed", 1, [1]), ("KORT", "rotating", 1, [1]),
    ]),
    ("BBS", "Stichting Biesbosch Begeleid Wonen", "GHZ", 450, 51.822, 4.768, [
        ("WOON1", "fixed", 2, [2]), ("WOON2", "rotating", 1, [1]), ("DAG", "fixed", 1, [1]),
    ]),
    ("DHA", "Zorgnetwerk Drechtoever", "GHZ", 280, 51.846, 4.641, [
        ("WOON", "fixed", 2, [1, 1]), ("DAG", "fixed", 1, [1]),
    ]),
]  # fmt: skip
DRECHTSTEDEN_SURNAMES = (
    "de Jong", "Visser", "Bakker", "van Dam", "Verhoef", "Boer", "de Ruiter", "Kooiman",
    "Baars", "Stam", "Blokland", "de Graaf", "Schouten", "Verschoor", "Hoogendoorn", "Bos",
)  # fmt: skip


def drechtsteden() -> None:
    rng = random.Random(78)
    tables = organisations(DRECHTSTEDEN)
    tables["programmes"] = [
        {"id": "zorgtalent-basis", "kind": "bbl", "placements": [4],
         "starter_fixed_shifts_months": 3},
        {"id": "zorgtalent-vig", "kind": "bbl", "placements": [6, 6, 6],
         "starter_fixed_shifts_months": 3},
    ]
    cohorts = [
        {"programme": p, "start": start, "count": n, "level": level, "travel": (15, 20, 25)}
        for p, start, n, level in (
            ("zorgtalent-basis", "2027-09", 6, 2), ("zorgtalent-vig", "2027-09", 8, 3),
            ("zorgtalent-basis", "2028-04", 4, 2), ("zorgtalent-vig", "2028-04", 6, 3),
        )
    ]
    tables["learners"] = learners(rng, tables, cohorts, DRECHTSTEDEN_SURNAMES, prefix="D")
    write("drechtsteden-zorgtalent.yaml", DRECHTSTEDEN_HEADER, {
        "scenario": 1, "name": "Zorgtalent Drechtsteden, instroom september 2027 en april 2028",
        "calendar": {"start": "2027-09", "months": 25},
        "policy": {"quota_per_100_fte": 15, "buddy_max_learners": 2, "max_travel_km": 25},
        **tables,
    })


if __name__ == "__main__":
    drenthe()
    limburg()
    drechtsteden()
