"""Help texts with examples that stay whole at any width."""

from __future__ import annotations


def examples(*lines: str, note: str = "") -> str:
    """ "Exempel:" and one command per line, kept as written (Click's \\b: not rewrapped), then a note
    that wraps like any paragraph."""
    text = "Exempel:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)
    return text + (f"\n\n{note}" if note else "")
