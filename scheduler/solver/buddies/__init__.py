"""Buddy naming: which werkbegeleider accompanies each placed learner-month."""
