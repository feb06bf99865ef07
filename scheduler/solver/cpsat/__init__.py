"""The CP-SAT model: variables per learner, department and month, the objective, and the
stages that solve it (lexicographic or weighted), started from a complete hint."""
