"""Calendar events (SPEC §6, `sb calendar`): deadlines, ends, reviews, meetings and the årshjul."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Arshjul, Kallelse, Protocol, Styrdokument
from sb_cli.core.terms import schedule_of, status

DOMAIN = "sb.samverkanblekinge.se"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Event:
    uid: str  # stable across exports, so a re-import updates instead of duplicating
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    description: str = ""
    location: str | None = None
    alarm_days: int | None = None  # remind this many days before
    category: str = ""


def _uid(*parts: object) -> str:
    return "-".join(_UNSAFE.sub("_", str(p)) for p in parts) + f"@{DOMAIN}"


def events(corpus: Corpus, as_of: dt.date, year: int | None = None) -> list[Event]:
    found: list[Event] = []
    for document in corpus.styrdokument():
        if document.record.status == "beslutad":
            found += _document_dates(document.record, as_of)
    for meeting in corpus.meetings():
        event = _meeting(corpus, meeting)
        if event is not None:
            found.append(event)
    for wheel in corpus.arshjul():
        found += _wheel(wheel.record, year or as_of.year)
    unique = {e.uid: e for e in sorted(found, key=lambda e: (e.category == "möte", e.uid))}  # protocol wins
    return sorted(unique.values(), key=lambda e: (_day(e.start), e.uid))


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _document_dates(record: Styrdokument, as_of: dt.date) -> list[Event]:
    result = []
    schedule = schedule_of(record)
    if schedule is not None:
        facts = status(schedule, as_of)
        if facts.next_notice_deadline is not None:
            result.append(
                Event(
                    _uid("uppsagning", record.id),
                    f"Sista dag att säga upp: {record.title}",
                    facts.next_notice_deadline,
                    description=f"Utan uppsägning senast denna dag förlängs {record.id} efter {facts.effective_end}.",
                    alarm_days=30,
                    category="uppsägning",
                )
            )
        result.append(
            Event(
                _uid("slut", record.id),
                f"Upphör: {record.title}",
                facts.effective_end,
                description=f"{record.id} upphör om det har sagts upp i tid.",
                alarm_days=30,
                category="slut",
            )
        )
    if record.review_by is not None:
        result.append(
            Event(
                _uid("revision", record.id),
                f"Revideras senast: {record.title}",
                record.review_by,
                description=f"{record.id} version {record.version}",
                alarm_days=30,
                category="revision",
            )
        )
    return result


def _meeting(corpus: Corpus, document: Document[Protocol | Kallelse]) -> Event | None:
    record = document.record
    day = record.meeting.date
    if day is None:
        return None
    forum = corpus.organisation.forums.get(record.forum)
    name = forum.name if forum else record.forum
    start, end = record.meeting.start, record.meeting.end
    begins: dt.date | dt.datetime = day
    ends: dt.date | dt.datetime | None = None
    if start is not None:
        begins = dt.datetime.combine(day, dt.time.fromisoformat(start))
        if end is not None:
            ends = dt.datetime.combine(day, dt.time.fromisoformat(end))
    agenda = "\n".join(f"{item.number}. {item.title}" for item in record.items)
    return Event(
        _uid("mote", record.forum, day.isoformat()),
        f"{name} sammanträde",
        begins,
        ends,
        description=agenda,
        location=record.meeting.place,
        category="möte" if isinstance(record, Protocol) else "kallelse",
    )


def _wheel(record: Arshjul, year: int) -> list[Event]:
    result = []
    for index, event in enumerate(record.events):
        day = event.date or (dt.date(year, event.month, 1) if event.month is not None else None)
        if day is None:
            continue  # the årshjul does not say when: nothing to put in a calendar
        result.append(
            Event(
                _uid("arshjul", record.id, index, year),
                event.title,
                day,
                description=event.description or event.source or "",
                alarm_days=14,
                category="årshjul",
            )
        )
    return result
