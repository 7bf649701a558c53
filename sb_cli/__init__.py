"""sb – dokumentstyrning för Samverkan Blekinge."""

__version__ = "0.2.0"
