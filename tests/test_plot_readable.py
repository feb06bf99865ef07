"""The pictures stay readable in large regions (issue 23, point 7): every text drawn
prints at 7 pt or more on an A4 landscape page, organisation colours stay distinct beyond
the fixed palette, organisation panels carry a y-axis scale.

Real matplotlib renders (Agg) of synthetic regions of 400 and 2,000 learners; the plans
are built directly (one department per planned placement, no solve): the pictures only
need rows to draw.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text as TextArtist

from scheduler.generate import generate_region
from scheduler.io.scenario_io import load_scenario
from scheduler.models import Plan, Scenario
from scheduler.plot import gantt_organisations, gantt_overview, occupancy_figure, palette
from scheduler.plot._common import (
    MIN_PRINT_PT,
    PAPER_HEIGHT_IN,
    PAPER_WIDTH_IN,
    PRINT_WIDTH_IN,
    print_scale,
)
from scheduler.plot._labels import LabelLayer
from scheduler.plot.data import month_range, occupancy
from scheduler.plot.gantt_learners import overview_paper_parts
from scheduler.plot.gantt_organisations import paper_parts as organisation_parts
from scheduler.plot.gantt_organisations import y_ticks
from scheduler.plot.gantt_print import print_figure, print_pages
from scheduler.plot.occupancy import paper_parts as occupancy_parts
from scheduler.words.report import text_for
from tests.factories import build_plan

TEXT = text_for("nl")


@lru_cache(maxsize=4)
def region(learners: int, organisations: int, seed: int) -> tuple[Scenario, Plan]:
    scenario = generate_region(learners, organisations, seed)
    return scenario, _spread_plan(scenario)


def _spread_plan(scenario: Scenario) -> Plan:
    """Every learner placed, placement k of learner i in a department picked by (i, k)."""
    depts = [d.id for d in scenario.departments]
    return build_plan(scenario, {
        lr.id: [depts[(7 * i + 13 * k) % len(depts)]
                for k, _ in enumerate(scenario.planned_spans(lr))]
        for i, lr in enumerate(scenario.learners)})


def _render(fig: Figure) -> None:
    """Draw ``fig`` as saving a PNG does (the Agg canvas)."""
    FigureCanvasAgg(fig).draw()


def _drawn_sizes(fig: Figure) -> list[tuple[str, float]]:
    """(text, size in points as printed) of every text the saved picture shows."""
    _render(fig)
    scale = print_scale(fig.get_figwidth())
    sizes = []
    for artist in fig.findobj(TextArtist):
        if artist.get_visible() and artist.get_text().strip() and _inside(fig, artist):
            sizes.append((artist.get_text(), float(artist.get_fontsize()) * scale))
    for layer in fig.findobj(LabelLayer):
        if layer.get_visible() and layer.drawn:  # one entry per label it drew
            sizes += [(layer.items[0][2], layer.fontsize * scale)] * layer.drawn
    return sizes


def _inside(fig: Figure, artist: TextArtist) -> bool:
    box = artist.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    return box.width > 0 and box.x1 > 0 and box.y1 > 0 and \
        box.x0 < fig.bbox.width and box.y0 < fig.bbox.height


def _assert_prints_legibly(fig: Figure, what: str) -> None:
    sizes = _drawn_sizes(fig)
    assert len(sizes) > 10, f"{what}: hardly any text drawn"
    small = [(t, round(pt, 2)) for t, pt in sizes if pt < MIN_PRINT_PT - 1e-6]
    assert not small, f"{what}: text under {MIN_PRINT_PT} pt in print: {small[:8]}"


@pytest.mark.parametrize("size", [(400, 40, 0), (2000, 80, 1)], ids=["400", "2000"])
def test_every_drawn_text_prints_at_7pt_or_more(size: tuple[int, int, int]) -> None:
    scenario, plan = region(*size)
    _assert_prints_legibly(gantt_organisations(scenario, plan, text=TEXT), "organisations")
    _assert_prints_legibly(occupancy_figure(scenario, plan, text=TEXT), "occupancy")
    _assert_prints_legibly(gantt_overview(scenario, plan, pages=4, text=TEXT), "overview")


def test_printed_gantt_page_prints_at_7pt_or_more() -> None:
    scenario, plan = region(400, 40, 0)
    page = print_pages(scenario, plan, TEXT)[0]
    fig = print_figure(scenario, plan, page, title=TEXT["gantt_title"], reasons={}, text=TEXT,
                       months=month_range(scenario, plan))
    assert fig.get_figwidth() <= PRINT_WIDTH_IN
    _assert_prints_legibly(fig, "printed Gantt page")


@pytest.mark.parametrize("size", [(400, 40, 0), (2000, 80, 1)], ids=["400", "2000"])
def test_parts_for_paper_fit_a_page_and_print_at_7pt_or_more(size: tuple[int, int, int]) -> None:
    """The tall pictures (organisation panels, occupancy, the overview of the Gantt chart)
    drawn again in parts for paper: each exactly as wide as an A4 landscape page holds, no
    taller than one, every text ≥ 7 pt at that size (report.html prints them at 100 %),
    every organisation in one part's panels and one part's heatmap rows."""
    scenario, plan = region(*size)
    occ = occupancy(scenario, plan)
    orgs = {o.id for o in scenario.organisations}
    parts = organisation_parts(len(orgs))
    assert len(parts) > 1 and sorted(i for p in parts for i in p) == list(range(len(orgs)))
    titles: set[str] = set()
    for k in range(len(parts)):
        fig = gantt_organisations(scenario, plan, occ=occ, text=TEXT, part=k)
        _assert_fits_paper(fig, f"organisations part {k + 1}")
        bold = [layer for layer in fig.findobj(LabelLayer) if layer.weight == "bold"]
        titles |= {item[2].split()[0] for layer in bold for item in layer.items}
    assert titles == orgs
    rows: set[str] = set()
    heat = occupancy_parts(scenario, occ)
    assert len(heat) > 2 and not heat[-1]  # blocks of rows, then the charts
    for k in range(len(heat)):
        fig = occupancy_figure(scenario, plan, occ=occ, text=TEXT, part=k)
        _assert_fits_paper(fig, f"occupancy part {k + 1}")
        if heat[k]:
            rows |= {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert rows == orgs
    for k in range(len(overview_paper_parts(scenario, plan))):
        fig = gantt_overview(scenario, plan, pages=4, text=TEXT, part=k)
        _assert_fits_paper(fig, f"overview part {k + 1}")


def _assert_fits_paper(fig: Figure, what: str) -> None:
    assert fig.get_figwidth() == PAPER_WIDTH_IN, what
    assert fig.get_figheight() <= PAPER_HEIGHT_IN + 1e-9, (what, fig.get_figheight())
    sizes = _drawn_sizes(fig)  # print_scale(10.5 in) is 1: the sizes as drawn
    assert len(sizes) > 10, f"{what}: hardly any text drawn"
    small = [(t, round(pt, 2)) for t, pt in sizes if pt < MIN_PRINT_PT - 1e-6]
    assert not small, f"{what}: text under {MIN_PRINT_PT} pt on paper: {small[:8]}"


def test_eighty_organisations_keep_distinct_colours_grouped_by_sector() -> None:
    scenario, _ = region(2000, 80, 1)
    colours = palette.organisation_colours(scenario.organisations)
    assert len(set(colours.values())) == 80
    assert palette.min_distance(list(colours.values())) >= 12  # ΔE: clearly apart
    # no grey (reserved for unavailable/unplaced): every colour has some chroma
    assert all(palette.colour_distance(c, palette.UNAVAILABLE) > 15 for c in colours.values())
    # one hue family per sector: the sectors' hue ranges do not interleave
    hues: dict[str, list[float]] = {}
    for o in scenario.organisations:
        rgb = palette._rgb(colours[o.id])
        hues.setdefault(o.sector, []).append((colorsys.rgb_to_hls(*rgb)[0] + 0.03) % 1.0)
    spans = sorted((min(h), max(h)) for h in hues.values())
    assert len(spans) > 1
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
    # the workbook and every picture take the same mapping; ids alone get the same count
    assert len(palette.organisation_colours(o.id for o in scenario.organisations)) == 80


def test_small_regions_keep_the_fixed_palette() -> None:
    twente = load_scenario("scenarios/twente.yaml")
    colours = palette.organisation_colours(twente.organisations)
    assert list(colours.values()) == list(palette.PALETTE[:len(twente.organisations)])


def test_organisation_panels_have_a_y_scale() -> None:
    for top in (1, 2, 3, 5, 7, 9, 12, 29, 45, 101, 640):
        ticks = y_ticks(top)
        assert 2 <= len(ticks) <= 5 and ticks[0] == 0 and ticks[-1] >= top, (top, ticks)
        assert len({b - a for a, b in zip(ticks, ticks[1:], strict=False)}) == 1
    scenario, plan = region(400, 40, 0)
    fig = gantt_organisations(scenario, plan, text=TEXT)
    _render(fig)
    small = [layer for layer in fig.findobj(LabelLayer) if not layer.weight == "bold"]
    right = [item for layer in small for item in layer.items if item[4] == "right"]
    assert len(right) >= 2 * len(scenario.organisations)  # ≥ 2 labelled ticks per panel
    assert all(label.isdigit() for _, _, label, _, _ in right)


def test_heatmap_numbers_only_where_they_fit() -> None:
    scenario, plan = region(400, 40, 0)  # 40 organisations × 24+ months: colour only
    fig = occupancy_figure(scenario, plan, text=TEXT)
    _render(fig)
    texts = [t.get_text() for t in fig.findobj(TextArtist)]
    assert TEXT["occ_note_colour"] in texts and TEXT["occ_note"] not in texts
    assert not any("/" in item[2] for layer in fig.findobj(LabelLayer) for item in layer.items)
    twente = load_scenario("scenarios/twente.yaml")
    fig = occupancy_figure(twente, _spread_plan(twente), text=TEXT)
    _render(fig)
    texts = [t.get_text() for t in fig.findobj(TextArtist)]
    assert TEXT["occ_note"] in texts
    cells = [layer for layer in fig.findobj(LabelLayer) if layer.drawn]
    assert cells and sum(layer.drawn for layer in cells) >= len(twente.departments) * 12
    _assert_prints_legibly(fig, "twente occupancy")


def test_a_label_wider_than_its_bar_is_left_out() -> None:
    fig = Figure(figsize=(6, 2), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 30)
    ax.set_ylim(0, 2)
    layer = LabelLayer(ax.transData, fontsize=7)
    ax.add_artist(layer)
    layer.add(5, 1, "ZKH03-NEURO", room=1.0, halo="#0072B2")  # 20 px for ~50 px of text
    layer.add(15, 1, "ZKH03-NEURO", room=8.0, halo="#0072B2")
    layer.add(25, 1, "no room given")
    _render(fig)
    assert layer.drawn == 2
