"""Swedish words that depend on a number."""

from __future__ import annotations


def count(number: int, singular: str, plural: str) -> str:
    """ "1 dag", "2 dagar", "0 dagar"."""
    return f"{number} {singular if number == 1 else plural}"


def days(number: int) -> str:
    return count(number, "dag", "dagar")
