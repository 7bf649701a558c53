"""Calendar events to an RFC 5545 file (icalendar)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sb_cli import __version__
from sb_cli.core.calendar import Event

TIMEZONE = ZoneInfo("Europe/Stockholm")
# What iCalendar TEXT cannot hold (RFC 5545 3.3.11: no controls but the line breaks it escapes).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _CONTROL.sub("", value)


def to_ics(events: Sequence[Event], stamp: dt.datetime) -> bytes:
    """`stamp` becomes every DTSTAMP, so the same input gives the same file."""
    from icalendar import Alarm, Calendar
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", f"-//Samverkan Blekinge//sb {__version__}//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Samverkan Blekinge")
    for event in events:
        entry = VEvent()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("summary", _text(event.summary))
        if isinstance(event.start, dt.datetime):
            entry.add("dtstart", event.start.replace(tzinfo=TIMEZONE))
            if isinstance(event.end, dt.datetime):
                entry.add("dtend", event.end.replace(tzinfo=TIMEZONE))
        else:
            entry.add("dtstart", event.start)
            entry.add("dtend", event.start + dt.timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        if event.description:
            entry.add("description", _text(event.description))
        if event.location:
            entry.add("location", _text(event.location))
        if event.category:
            entry.add("categories", [_text(event.category)])
        if event.alarm_days is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _text(f"Påminnelse: {event.summary}"))
            alarm.add("trigger", dt.timedelta(days=-event.alarm_days))
            entry.add_component(alarm)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
