"""The one exception root; the CLI maps it to an exit status."""

from __future__ import annotations


class SbError(Exception):
    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SbError):
    """Wrong options, missing repository, unreadable settings: exit 2."""
