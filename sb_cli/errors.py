"""The one exception root and the one table of exit codes; the CLI maps the first to the second."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sb_cli.core.model import Finding


class ExitCode(IntEnum):
    OK = 0  # clean (warnings allowed)
    FINDINGS = 1  # errors found (or warnings with --strict); a document sb would not act on
    USAGE = 2  # bad option or argument, unreadable sb.toml, an operating-system failure
    INTERNAL = 3  # a bug in sb
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    TERMINATED = 143  # SIGTERM, as a CI job that is cancelled


class SbError(Exception):
    exit_code = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SbError):
    """Wrong options, missing repository, unreadable settings: exit 2."""


class Refused(SbError):
    """What a document's findings stop (rendering, justering, a new protocol): exit 1, as findings;
    `findings` says which."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, findings: Sequence[Finding], message: str) -> None:
        super().__init__(message)
        self.findings = list(findings)


class Terminated(BaseException):
    """SIGTERM arrived; raised in the main thread so that every cleanup runs."""


# What an operating-system failure means, in the words a secretary reads.
_OS_ERRORS = {
    "EACCES": "åtkomst nekas",
    "EPERM": "åtkomst nekas",
    "EROFS": "filsystemet är skrivskyddat",
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EFBIG": "filen blir större än filsystemet eller filgränsen tillåter",
    "EEXIST": "finns redan",
    "ENOTDIR": "en del av sökvägen är en fil, inte en mapp",
    "EISDIR": "är en mapp, inte en fil",
    "ENOENT": "finns inte",
    "ENAMETOOLONG": "namnet är för långt",
    "EMFILE": "för många öppna filer",
    "EIO": "in- eller utmatningsfel",
}


def os_error_message(error: OSError) -> str:
    """ "ut/p.pdf: disken är full" — the path and what went wrong, in Swedish."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    what = _OS_ERRORS.get(name) or error.strerror or str(error)
    where = error.filename if error.filename is not None else None
    return f"{where}: {what}" if where else what
