"""Metrics from one run's JSON record: checkpoints, first feasible, time to 1 % gap."""

from __future__ import annotations

import math

from scheduler.models.result import relative_gap

CHECKPOINTS = (10, 60, 300)


def gap(obj: float | None, bound: float | None) -> float | None:
    """The product's definition (``scheduler.models.result.relative_gap``)."""
    return relative_gap(obj, bound)


def _events(rec: dict) -> list[tuple[float, float | None, float | None]]:
    """The trace, plus the final plan (objective recomputed by kpis) and final bound."""
    ev = [tuple(e) for e in rec.get("trace") or []]
    if rec.get("objective") is not None or rec.get("bound") is not None:
        ev.append((rec["end_seconds"], rec.get("objective"), rec.get("bound")))
    return sorted(ev, key=lambda e: e[0])


def state_at(rec: dict, t: float) -> tuple[float | None, float | None]:
    """Best objective and best bound known at time t (None where none yet)."""
    obj = bound = None
    for s, o, b in _events(rec):
        if s > t:
            break
        if o is not None:
            obj = o if obj is None else min(obj, o)
        if b is not None and math.isfinite(b):
            bound = b if bound is None else max(bound, b)
    return obj, bound


def time_to_gap(rec: dict, target: float) -> float | None:
    for s, _, _ in _events(rec):
        g = gap(*state_at(rec, s))
        if g is not None and g <= target + 1e-12:
            return round(s, 2)
    return None


def summarise(rec: dict) -> dict:
    ev = _events(rec)
    first = next((s for s, o, _ in ev if o is not None), None)
    out = {
        "first_feasible_s": None if first is None else round(first, 2),
        "gap": gap(rec.get("objective"), rec.get("bound")),
        "t_1pct_s": time_to_gap(rec, 0.01),
        "t_optimal_s": round(rec["end_seconds"], 2) if rec.get("status") == "optimal" else None,
    }
    limit = rec.get("time_limit") or 0
    for c in CHECKPOINTS:
        if c > limit + 1e-9 and rec.get("status") != "optimal":
            out[f"obj_{c}s"] = out[f"bound_{c}s"] = None  # the run did not last that long
            continue
        o, b = state_at(rec, c)
        out[f"obj_{c}s"], out[f"bound_{c}s"] = o, b
    return out
