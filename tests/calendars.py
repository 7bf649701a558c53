"""sb's calendar files as three independent programs read them: icalendar, vobject and ical.js.

Each reader gives {uid: {start, end, sequence, alarms}}, a timed start or end in UTC
("2023-06-16T06:15:00Z") and a date as a date ("2027-12-31"), so the three can be compared as they are.
The Python readers rename the time zone first, to a name no time zone database knows: then the only
way to UTC is the VTIMEZONE in the file, as for a calendar program that has no database of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import icalendar
import vobject

from tests.conftest import REPO

WEB = REPO / "tests" / "web"
Events = dict[str, dict[str, Any]]


def unknown_zone(data: bytes) -> tuple[bytes, str]:
    """The file with Europe/Stockholm renamed to a zone name nobody has seen (both libraries keep
    the zones they have read by name, so every reading gets a new one)."""
    name = f"Prov/Zon-{uuid.uuid4().hex}"
    return data.replace(b"Europe/Stockholm", name.encode()), name


def _moment(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"flytande tid {value}"
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _duration(value: dt.timedelta) -> str:
    assert value == dt.timedelta(days=value.days) and value.days < 0, value
    return f"-P{-value.days}D"


def read_icalendar(data: bytes) -> Events:
    renamed, _ = unknown_zone(data)
    events: Events = {}
    for entry in icalendar.Calendar.from_ical(renamed).walk("VEVENT"):
        events[str(entry["UID"])] = {
            "start": _moment(entry.decoded("DTSTART")),
            "end": _moment(entry.decoded("DTEND")) if "DTEND" in entry else None,
            "sequence": int(entry["SEQUENCE"]) if "SEQUENCE" in entry else None,
            "alarms": [
                {
                    "action": str(alarm["ACTION"]),
                    "trigger": _duration(alarm.decoded("TRIGGER")),
                    "related": alarm["TRIGGER"].params.get("RELATED"),
                    "description": str(alarm["DESCRIPTION"]),
                }
                for alarm in entry.walk("VALARM")
            ],
        }
    return events


def read_vobject(data: bytes) -> Events:
    renamed, _ = unknown_zone(data)
    events: Events = {}
    calendar = vobject.readOne(renamed.decode("utf-8"))
    for entry in calendar.contents.get("vevent", []):
        events[entry.uid.value] = {
            "start": _moment(entry.dtstart.value),
            "end": _moment(entry.dtend.value) if hasattr(entry, "dtend") else None,
            "sequence": int(entry.sequence.value) if hasattr(entry, "sequence") else None,
            "alarms": [
                {
                    "action": alarm.action.value,
                    "trigger": _duration(alarm.trigger.value),
                    "related": alarm.trigger.params.get("RELATED", [None])[0],
                    "description": alarm.description.value,
                }
                for alarm in entry.contents.get("valarm", [])
            ],
        }
    return events


def read_icaljs(path: Path) -> Events:
    """ical.js (tests/web/ics.mjs) on the file as sb wrote it."""
    assert (WEB / "node_modules" / "ical.js").is_dir(), "kör: npm ci --prefix tests/web"
    result = subprocess.run(
        ["node", str(WEB / "ics.mjs"), str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    events: Events = json.loads(result.stdout)
    return events
