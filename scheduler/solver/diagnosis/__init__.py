"""Diagnosis for ``explain``: why a learner is unplaced, the elastic (slack) model that
finds which rules block a plan, and checked suggestions."""
