"""The one exception root and the one table of exit codes; the CLI maps the first to the second."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # clean (warnings allowed)
    FINDINGS = 1  # errors found (or warnings with --strict); a document sb would not act on
    USAGE = 2  # bad option or argument, unreadable sb.toml, an operating-system failure
    INTERNAL = 3  # a bug in sb
    INTERRUPTED = 130  # Ctrl-C


class SbError(Exception):
    exit_code = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SbError):
    """Wrong options, missing repository, unreadable settings: exit 2."""
