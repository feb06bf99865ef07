"""results.csv, results.md, gap.png and README.md of one benchmark run."""

from __future__ import annotations

import csv
from pathlib import Path

from metrics import CHECKPOINTS, _events, gap, state_at, summarise

COLUMNS = (
    ["instance", "size", "approach", "workers", "seed", "time_limit", "status", "objective",
     "bound", "bound_source", "gap", "first_feasible_s", "t_1pct_s", "t_optimal_s"]
    + [f"{k}_{c}s" for c in CHECKPOINTS for k in ("obj", "bound")]
    + ["placed", "learners", "rss_mb", "build_seconds", "end_seconds", "variables",
       "constraints", "triples", "pruned", "check", "machine", "cpu", "commit", "ortools"]
)


def _fmt(v, digits: int = 2) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def row(rec: dict, meta: dict | None = None) -> dict:
    out = {k: rec.get(k) for k in COLUMNS if k in rec}
    out.update(summarise(rec) if rec.get("end_seconds") is not None else {})
    model = rec.get("model") or {}
    for k in ("variables", "constraints", "triples", "pruned"):
        out[k] = model.get(k)
    if isinstance(out.get("check"), list):
        out["check"] = f"INVALID ({len(rec['check'])})"
    if meta:
        out.update(machine=meta["machine"]["host"], cpu=meta["machine"]["cpu"],
                   commit=meta["commit"][:12], ortools=meta["ortools"])
    return out


def one_line(rec: dict) -> str:
    r = row(rec)
    return (f"{r['instance']:9s} {r['approach']:15s} {r.get('status', ''):9s} "
            f"obj {_fmt(r.get('objective'))} bound {_fmt(r.get('bound'))} "
            f"gap {_pct(r.get('gap'))} first {_fmt(r.get('first_feasible_s'))}s "
            f"placed {_fmt(r.get('placed'))}/{_fmt(r.get('learners'))} "
            f"rss {_fmt(r.get('rss_mb'), 0)} MB check {r.get('check')}")


def _pct(g) -> str:
    return "—" if g is None else f"{100 * g:.2f}%"


MD_COLUMNS = [("instance", "instance"), ("approach", "approach"), ("status", "status"),
              ("objective", "objective"), ("bound", "bound"), ("gap", "gap"),
              ("first_feasible_s", "first feasible s"), ("t_1pct_s", "t≤1% s"),
              ("t_optimal_s", "t optimal s"), ("obj_10s", "obj@10s"), ("obj_60s", "obj@60s"),
              ("placed", "placed"), ("rss_mb", "RSS MB"), ("build_seconds", "build s"),
              ("variables", "variables"), ("check", "check")]


def markdown(rows: list[dict]) -> str:
    head = "| " + " | ".join(t for _, t in MD_COLUMNS) + " |"
    sep = "|" + "|".join("---" for _ in MD_COLUMNS) + "|"
    lines = [head, sep]
    for r in rows:
        cells = []
        for k, _ in MD_COLUMNS:
            v = r.get(k)
            if k == "gap":
                cells.append(_pct(v))
            elif k == "placed":
                cells.append(f"{_fmt(v)}/{_fmt(r.get('learners'))}")
            elif k == "rss_mb":
                cells.append(_fmt(v, 0))
            else:
                cells.append(_fmt(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(path: Path, records: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    sizes = sorted({r["instance"] for r in records}, key=lambda s: (len(s), s))
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.5 * len(sizes), 3.8), squeeze=False)
    for ax, inst in zip(axes[0], sizes, strict=True):
        for rec in (r for r in records if r["instance"] == inst and r.get("end_seconds")):
            ts, gs = [], []
            for s, _, _ in _events(rec):
                g = gap(*state_at(rec, s))
                if g is not None:
                    ts.append(max(s, 0.05))
                    gs.append(max(100 * g, 1e-3))
            if ts:
                ax.step(ts, gs, where="post", label=rec["approach"], marker=".")
        ax.set(title=inst, xscale="log", yscale="log", xlabel="seconds",
               ylabel="gap % (best valid bound)")
        # plain numbers: within one decade the minor labels read "2.4×10²" and overlapped
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(ticker.NullFormatter())
        ax.axhline(1.0, color="grey", lw=0.5, ls="--")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_all(folder: Path, records: list[dict], meta: dict) -> None:
    rows = [row(r, meta) for r in records]
    with (folder / "results.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    (folder / "results.md").write_text(markdown(rows))
    plot(folder / "gap.png", records)
    (folder / "README.md").write_text(readme(meta, records))


def readme(meta: dict, records: list[dict]) -> str:
    m, a = meta["machine"], meta["args"]
    no_plan = sum(1 for r in records if r.get("objective") is None)
    stopped = "".join(f"- {r['instance']} {r['approach']}: {r['status']}, {r['error']}\n"
                      for r in records if r.get("error"))
    return f"""# Benchmark run {meta.get('folder', Path(a['out']).name)}

Why: {meta['why']}

- machine: {m['host']}, {m['cores']} cores, {m['cpu']}, {m['memory']}
- commit: {meta['commit']} (working tree may hold uncommitted edits)
- ortools {meta['ortools']}, highspy {meta['highspy']}
- arguments: sizes {a['sizes']}, approaches {a['approaches']}, time limit {a['time_limit']} s,
  workers {a['workers']}, seed {a['seed']}, tight variants {not a['no_tight']}
- runs: {len(records)}; runs without a plan: {no_plan} (counted, never averaged)
- memory limit per run: {a.get('memory_limit', '—')} GB resident (a run past it is stopped
  and recorded as memory-limit)

{("Runs stopped or failed:" + chr(10) + chr(10) + stopped) if stopped else ""}

Objective = `scheduler.kpis.objective` of the written plan; bound = the best valid lower
bound the approach itself reported (none → gap unknown). Checkpoint columns are blank where
the time limit was shorter than the checkpoint. See results.md, results.csv, gap.png;
results.jsonl has the raw records with traces.
"""
