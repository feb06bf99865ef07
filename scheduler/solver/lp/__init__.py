"""Linear programming with HiGHS: the LP relaxation of the CP-SAT model, the bound it gives,
pricing and column generation for pruned models, the LP-guided start and the MIP over the
LP's support."""
