"""Construction heuristics: the greedy first plan and its repair by bounded search."""
