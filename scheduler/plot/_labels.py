"""Many short labels, drawn in one go.

A Gantt page of 120 learners carries ~600 short labels (learner ids, department ids).
As separate matplotlib ``Text`` artists they cost about 2 ms each to lay out and draw,
most of a page's rendering time. :class:`LabelLayer` holds them as plain data; on the Agg
canvas (PNG output) it draws them all with Pillow's FreeType text straight into the
canvas (≈0.1 ms each), on any other canvas (PDF, SVG) as ordinary ``Text`` artists.

A label may carry the width it has (``room``, in data units: a bar's length) and a halo
colour: a label wider than its room at the drawn size is left out rather than spilling
over its neighbours, and a halo (an outline in the bar's colour) keeps it legible on a
hatched bar.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib import font_manager, patheffects
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import Transform

_ANCHOR = {"center": "mm", "left": "lm", "right": "rm"}


@lru_cache(maxsize=8)
def _font_file(weight: str, style: str) -> str:
    props = font_manager.FontProperties(family=["sans-serif"], weight=weight,
                                        style=style)  # type: ignore[arg-type]
    return str(font_manager.findfont(props))


@lru_cache(maxsize=64)
def _pil_font(path: str, size_px: float) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(path, size_px)


class LabelLayer(Artist):
    """Labels at (x, y) in ``transform`` coordinates, shifted by ``offset_pt`` points,
    vertically centred; ``clip`` keeps only labels whose anchor lies inside the Axes."""

    def __init__(self, transform: Transform, *, fontsize: float, weight: str = "normal",
                 style: str = "normal", offset_pt: tuple[float, float] = (0.0, 0.0),
                 zorder: float = 6) -> None:
        super().__init__()
        self.set_transform(transform)
        self.set_zorder(zorder)
        self.fontsize, self.weight, self.style = fontsize, weight, style
        self.offset_pt = offset_pt
        self.items: list[tuple[float, float, str, str, str]] = []
        self.rooms: list[float | None] = []
        self.halos: list[str | None] = []
        self.drawn = 0  # labels drawn by the last draw (the rest did not fit or lay outside)

    def add(self, x: float, y: float, label: str, colour: str = "#000000",
            ha: str = "center", *, room: float | None = None, halo: str | None = None) -> None:
        """A label at (x, y); ``room``: the width it may take (data units along x),
        ``halo``: the colour of an outline around its glyphs."""
        if label:
            self.items.append((x, y, label, colour, ha))
            self.rooms.append(room)
            self.halos.append(halo)

    def _room_px(self) -> np.ndarray:
        """Each label's room in pixels (inf where it has none)."""
        rooms = np.array([np.inf if r is None else r for r in self.rooms], dtype=float)
        finite = np.isfinite(rooms)
        if finite.any():
            origin = self.get_transform().transform((0.0, 0.0))[0]
            rooms[finite] = np.abs(self.get_transform().transform(
                np.column_stack([rooms[finite], np.zeros(finite.sum())]))[:, 0] - origin)
        return rooms

    def _positions(self, dpi: float) -> np.ndarray:
        xy = np.array([(x, y) for x, y, *_ in self.items], dtype=float)
        out = self.get_transform().transform(xy)
        out[:, 0] += self.offset_pt[0] * dpi / 72
        out[:, 1] += self.offset_pt[1] * dpi / 72
        return out

    def _kept(self, positions: np.ndarray) -> np.ndarray:
        box = self.get_clip_box() if self.get_clip_on() else None
        if box is None:
            return np.ones(len(positions), dtype=bool)
        return ((positions[:, 0] >= box.x0 - 0.5) & (positions[:, 0] <= box.x1 + 0.5)
                & (positions[:, 1] >= box.y0 - 0.5) & (positions[:, 1] <= box.y1 + 0.5))

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.items:
            return
        if isinstance(renderer, RendererAgg):
            self._draw_agg(renderer)
        else:
            self._draw_texts(renderer)
        self.stale = False

    def _draw_agg(self, renderer: RendererAgg) -> None:
        from PIL import Image, ImageDraw

        positions = self._positions(renderer.dpi)
        kept = self._kept(positions)
        canvas = np.asarray(renderer.buffer_rgba())
        height, width = canvas.shape[:2]
        image = Image.frombuffer("RGBA", (width, height), renderer.buffer_rgba(),
                                 "raw", "RGBA", 0, 1).copy()
        draw = ImageDraw.Draw(image)
        font = _pil_font(_font_file(self.weight, self.style), self.fontsize * renderer.dpi / 72)
        rooms = self._room_px()
        stroke = max(1, round(self.fontsize * renderer.dpi / 72 / 6))
        self.drawn = 0
        for (x, y), keep, (_, _, label, colour, ha), room, halo in zip(
                positions, kept, self.items, rooms, self.halos, strict=True):
            if keep and font.getlength(label) + 2 * stroke <= room:
                draw.text((float(x), float(height - y)), label, font=font, fill=colour,
                          anchor=_ANCHOR.get(ha, "mm"), stroke_width=stroke if halo else 0,
                          stroke_fill=halo)
                self.drawn += 1
        np.copyto(canvas, np.asarray(image))

    def _draw_texts(self, renderer: Any) -> None:
        positions = self._positions(renderer.dpi)
        kept = self._kept(positions)
        figure = self.get_figure(root=True)
        assert figure is not None
        rooms = self._room_px()
        self.drawn = 0
        for (x, y), keep, (_, _, label, colour, ha), room, halo in zip(
                positions, kept, self.items, rooms, self.halos, strict=True):
            if keep:
                text = Text(x, y, label, color=colour, ha=ha, va="center_baseline",
                            fontsize=self.fontsize, fontweight=self.weight,
                            fontstyle=self.style, transform=None)
                text.set_figure(figure)
                if np.isfinite(room) and text.get_window_extent(renderer).width > room:
                    continue
                if halo:
                    text.set_path_effects([patheffects.withStroke(
                        linewidth=self.fontsize / 4, foreground=halo)])
                text.draw(renderer)
                self.drawn += 1


__all__ = ["LabelLayer"]
