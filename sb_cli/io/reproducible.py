"""Reproducible output: the one reader of SOURCE_DATE_EPOCH and the one writer of zip files.

With SOURCE_DATE_EPOCH set, every file sb writes says it was made at that moment, so the same input
gives the same bytes (https://reproducible-builds.org/specs/source-date-epoch/).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from sb_cli.errors import UsageError

VARIABLE = "SOURCE_DATE_EPOCH"
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)  # a zip entry's date cannot be earlier …
ZIP_LATEST = (2107, 12, 31, 23, 59, 58)  # … nor later
FILE_MODE = 0o644
UNIX = 3  # the zip field "made by": the mode above is a Unix one


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as seconds since 1970, None when it is unset or empty."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise UsageError(
            f"{VARIABLE} är {value!r}, inte ett antal sekunder sedan 1970-01-01",
            hint=f"ange ett heltal, till exempel {VARIABLE}=1767225600, eller ta bort variabeln",
        )
    return int(value)


def made_at(now: Callable[[], float] = time.time) -> int:
    """When written files say they were made: SOURCE_DATE_EPOCH when set, else now."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else int(now())


def zip_date(timestamp: int | None) -> tuple[int, int, int, int, int, int]:
    """The date every entry gets: the timestamp (UTC) within what a zip file can hold, else 1980-01-01."""
    if timestamp is None:
        return ZIP_EARLIEST
    try:
        moment = time.gmtime(timestamp)
    except (OverflowError, OSError, ValueError):
        return ZIP_LATEST if timestamp > 0 else ZIP_EARLIEST
    stamp = (moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour, moment.tm_min, moment.tm_sec)
    return max(ZIP_EARLIEST, min(stamp, ZIP_LATEST))


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, timestamp: int | None, compress: bool = True) -> bytes:
    """A zip file of the entries in the order given, every entry with the same date and mode, so
    the same entries and timestamp give the same bytes on every machine."""
    import io
    import zipfile

    date = zip_date(timestamp)
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date)
            info.compress_type = method
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            archive.writestr(info, data)
    return out.getvalue()


def zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    """The entries of a zip file, in its order: to rewrite one that a library wrote with the clock."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return [(info.filename, source.read(info.filename)) for info in source.infolist()]
