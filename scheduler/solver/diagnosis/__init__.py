"""Diagnosis for ``explain``: the elastic (slack) model that finds which rules block a plan,
and checked suggestions."""
