"""Swedish words that depend on a number, and values as a message shows them."""

from __future__ import annotations

from typing import Any


def count(number: int, singular: str, plural: str) -> str:
    """ "1 dag", "2 dagar", "0 dagar"."""
    return f"{number} {singular if number == 1 else plural}"


def number(value: int, *, space: str = " ") -> str:
    """ "100 000", as Swedish writes a large number. A web page passes a no-break space, so that the
    number is never broken between its groups."""
    return f"{value:,}".replace(",", space)


def days(number: int) -> str:
    return count(number, "dag", "dagar")


def shown(value: Any, limit: int = 60) -> str:
    """A value as the YAML shows it, never as Python writes it: 'text', 12, true, ett tomt värde,
    en mappning (nyckel: värde), en lista."""
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        first = next(iter(value), "")
        return f"en mappning ({cut(str(first), 30)}: …)" if value else "en tom mappning"
    if isinstance(value, list):
        return f"en lista med {count(len(value), 'värde', 'värden')}" if value else "en tom lista"
    text = value if isinstance(value, str) and limit > 60 else f"'{value}'" if isinstance(value, str) else str(value)
    return cut(text, limit)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "…"
