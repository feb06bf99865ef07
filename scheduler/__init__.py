"""Regional traineeship & carrousel scheduler."""

__version__ = "0.1.0"
