"""sb – dokumentstyrning för Samverkan Blekinge."""

__version__ = "0.1.0"
