"""The fixed benchmark suite of issue 9: generated regions with fixed seeds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instance:
    name: str
    size: str
    learners: int
    organisations: int
    seed: int
    utilisation: float = 0.85
    pinned_share: float = 0.0
    months: int = 24


BASE = {
    "S": Instance("S", "S", 60, 8, 101),
    "M": Instance("M", "M", 400, 30, 202, pinned_share=2.0),  # + ≈800 pinned earlier cohorts
    "L": Instance("L", "L", 2_000, 80, 303),
    "XL": Instance("XL", "XL", 5_000, 150, 404),
}
TIGHT_UTILISATION = 1.1


def instances(sizes: list[str]) -> list[Instance]:
    """Each size at utilisation 0.85, then its tight variant (not everyone fits)."""
    out = []
    for size in sizes:
        base = BASE[size]
        out.append(base)
        out.append(
            Instance(f"{size}-tight", size, base.learners, base.organisations, base.seed + 1,
                     TIGHT_UTILISATION, base.pinned_share, base.months)
        )
    return out


def by_name(name: str) -> Instance:
    for inst in instances(list(BASE)):
        if inst.name == name:
            return inst
    raise KeyError(name)


def generate(inst: Instance):
    from scheduler.generate import generate_region

    return generate_region(
        inst.learners, inst.organisations, inst.seed, utilisation=inst.utilisation,
        months=inst.months, pinned_share=inst.pinned_share,
    )
