"""Helpers shared by rule modules."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..index import Index


def per_signature(ix: Index, months_of, column_test) -> np.ndarray:
    """rows × departments mask from a per-department test over each row's month set.

    ``months_of(row)`` gives the month offsets to test; rows sharing a month set share
    one vectorised evaluation of ``column_test(months) -> bool[departments]``.
    """
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(ix.rows):
        groups[months_of(row)].append(i)
    out = np.ones((ix.n_rows, len(ix.departments)), dtype=bool)
    for months, idx in groups.items():
        if months:
            out[idx, :] = column_test(list(months))[None, :]
    return out
