"""Calendar events to an RFC 5545 file (icalendar), and when the files they come from last changed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sb_cli import __version__
from sb_cli.core.calendar import Event
from sb_cli.io.git import Git, GitError, blob_id, commit_times, open_repository, stored_blobs

if TYPE_CHECKING:
    from icalendar import Timezone

TZID = "Europe/Stockholm"
TIMEZONE = ZoneInfo(TZID)
# What iCalendar TEXT cannot hold (RFC 5545 3.3.11: no controls but the line breaks it escapes).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _CONTROL.sub("", value)


def _stockholm() -> Timezone:
    """Swedish time as two yearly rules (EU summer time, in force since 1996), not as the list of
    every change that icalendar would write: some readers (ical.js) take only a list's first date
    and put a summer meeting an hour wrong. Rules are what Outlook and Google write themselves."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    rules = (
        # kind, name, first change (local time before it), offset before, offset after, month
        (TimezoneStandard, "CET", dt.datetime(1970, 10, 25, 3), 2, 1, 10),  # noqa: DTZ001 - local time
        (TimezoneDaylight, "CEST", dt.datetime(1970, 3, 29, 2), 1, 2, 3),  # noqa: DTZ001 - local time
    )
    for kind, name, first, before, after, month in rules:
        part = kind()
        part.add("tzname", name)
        part.add("tzoffsetfrom", dt.timedelta(hours=before))
        part.add("tzoffsetto", dt.timedelta(hours=after))
        part.add("dtstart", first)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})  # the last Sunday
        zone.add_component(part)
    return zone


def _reminder(days: int, event: Event) -> str:
    when = "1 dag" if days == 1 else f"{days} dagar"
    day = event.start.date() if isinstance(event.start, dt.datetime) else event.start
    return _text(f"Om {when}: {event.summary} ({day.isoformat()})")


def to_ics(
    events: Sequence[Event],
    stamp: dt.datetime,
    entry: Callable[[Event, dt.datetime], bytes] | None = None,
    *,
    name: str,
) -> bytes:
    """`stamp` becomes every DTSTAMP, so the same input gives the same file. Each event is written
    by `entry` (default `vevent`; sb publish takes the events it wrote before from its cache).
    `name` is the calendar's (X-WR-CALNAME): the site's name from sb.toml."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", f"-//sb//sb {__version__}//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if any(isinstance(event.start, dt.datetime) for event in events):
        calendar.add_component(_stockholm())  # once, before the events that name it
    end = b"END:VCALENDAR\r\n"
    # A component is written as its own lines followed by its components', each line folded on its own.
    head: bytes = calendar.to_ical().removesuffix(end)
    return head + b"".join((entry or vevent)(event, stamp) for event in events) + end


def vevent(event: Event, stamp: dt.datetime) -> bytes:
    """One event as its VEVENT lines."""
    from icalendar import Alarm
    from icalendar import Event as VEvent

    entry = VEvent()
    entry.add("uid", event.uid)
    entry.add("dtstamp", stamp)
    entry.add("sequence", event.sequence)
    if event.modified is not None:
        entry.add("last-modified", event.modified.astimezone(dt.UTC))
    entry.add("summary", _text(event.summary))
    if isinstance(event.start, dt.datetime):
        entry.add("dtstart", event.start.replace(tzinfo=TIMEZONE))
        if isinstance(event.end, dt.datetime):
            entry.add("dtend", event.end.replace(tzinfo=TIMEZONE))
    else:
        entry.add("dtstart", event.start)
        # A period of whole days (a posting on the notice board) ends where it says; DTEND is exclusive.
        ends = event.end if isinstance(event.end, dt.date) and not isinstance(event.end, dt.datetime) else None
        entry.add("dtend", ends if ends is not None and ends > event.start else event.start + dt.timedelta(days=1))
        entry.add("transp", "TRANSPARENT")
    if event.description:
        entry.add("description", _text(event.description))
    if event.location:
        entry.add("location", _text(event.location))
    if event.category:
        entry.add("categories", [_text(event.category)])
    for days in event.reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _reminder(days, event))
        alarm.add("trigger", dt.timedelta(days=-days), parameters={"RELATED": "START"})
        entry.add_component(alarm)
    data: bytes = entry.to_ical()
    return data


def change_times(root: Path, folder: str, paths: Iterable[str]) -> dict[str, dt.datetime]:
    """When each file (a path relative to `root`, inside `folder`) last changed: the time of the
    newest commit on the branch that changed it (a merge counts when it brought the change), or its
    modification time when the file is not checked in as it is. Without readable history, only the
    modification times."""
    repository = open_repository(root)
    committed: dict[str, int] = {}
    stored: dict[str, str] = {}
    if isinstance(repository, Git):
        try:
            committed = commit_times(repository, folder)
            stored = stored_blobs(repository, folder)
        except GitError:
            committed, stored = {}, {}
    result = {}
    for path in sorted(set(paths)):
        try:
            data = (root / path).read_bytes()
            modified = int((root / path).stat().st_mtime)
        except OSError:
            continue
        when = committed.get(path)
        if when is None or stored.get(path) != blob_id(data):
            # Changed since its commit (or never committed): the change is newer than that commit.
            when = max(modified, when + 1) if when is not None else modified
        result[path] = dt.datetime.fromtimestamp(when, dt.UTC)
    return result
