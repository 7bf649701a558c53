"""Calendar events (SPEC §6, `sb calendar`): deadlines, ends, reviews, meetings and the årshjul."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sb_cli.core.model import Corpus, Document
from sb_cli.core.organisation import forum_name
from sb_cli.core.records import Arshjul, Kallelse, Protocol, Styrdokument
from sb_cli.core.terms import MAX_RENEWALS, Schedule, add_days, end, notice_deadline, schedule_of, status

DOMAIN = "sb"  # the UIDs' domain when the caller names none (sb calendar and sb publish name the site's)
REMINDER_DAYS = (90, 30, 7)  # as contract-management tools remind of a notice deadline
WHEEL_REMINDER_DAYS = (14,)
# SEQUENCE counts seconds from here to an event's last change: it grows with every change, stays put
# without one, and fits the 32-bit integer calendar programs keep it in until 2068.
SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_SEQUENCE_MAX = 2**31 - 1
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Event:
    uid: str  # stable across exports, so a re-import updates instead of duplicating
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    description: str = ""
    location: str | None = None
    reminders: tuple[int, ...] = ()  # remind this many days before, one reminder each
    category: str = ""
    sources: tuple[str, ...] = ()  # the files it is read from: their changes are its changes
    moved: dt.date | None = None  # the day its date moved with no file changing (a notice deadline passed)
    sequence: int = 0  # SEQUENCE, see sequenced()
    modified: dt.datetime | None = None  # LAST-MODIFIED, see sequenced()


def _uid(*parts: object) -> str:
    """An event's UID before its domain (events() adds it)."""
    return "-".join(_UNSAFE.sub("_", str(p)) for p in parts)


def events(
    corpus: Corpus,
    as_of: dt.date,
    year: int | None = None,
    *,
    reminder_days: Sequence[int] = REMINDER_DAYS,
    domain: str = DOMAIN,
) -> list[Event]:
    """`reminder_days` (sb.toml) sets the reminders before each notice deadline, end and review date;
    `domain` ends every UID (the site's host, so two regions' calendars never share one)."""
    reminders = tuple(reminder_days)
    found = [
        *_document_events(corpus, as_of, reminders),
        *_meeting_events(corpus),
        *_wheel_events(corpus, year or as_of.year),
        *_posting_events(corpus),
    ]
    unique: dict[str, Event] = {}
    for event in sorted(found, key=lambda e: (e.category == "möte", e.uid)):  # the protocol wins over the kallelse
        before = unique.get(event.uid)
        sources = tuple(sorted({*event.sources, *before.sources})) if before else event.sources
        unique[event.uid] = replace(event, sources=sources)
    unique = {uid: replace(event, uid=f"{uid}@{domain}") for uid, event in unique.items()}
    return sorted(unique.values(), key=lambda e: (_day(e.start), e.uid))


def _document_events(corpus: Corpus, as_of: dt.date, reminders: tuple[int, ...]) -> list[Event]:
    """The deadlines of the decided styrdokument: notice, end and review, with their reminders."""
    return [
        replace(e, sources=(document.path,))
        for document in corpus.styrdokument()
        if document.record.status == "beslutad"
        for e in _document_dates(document.record, as_of, reminders)
    ]


def _meeting_events(corpus: Corpus) -> list[Event]:
    return [
        replace(event, sources=(meeting.path,))
        for meeting in corpus.meetings()
        if (event := _meeting(corpus, meeting)) is not None
    ]


def _posting_events(corpus: Corpus) -> list[Event]:
    """The postings of justeringar on the notice board (anslag): from the day posted up to the day
    the posting may be taken down, which is the end (exclusive) of the whole-day event."""
    from sb_cli.core.announce import posting

    result = []
    for document in corpus.protocols():
        record = document.record
        forum = corpus.organisation.forums.get(record.forum)
        found = posting(record, forum)
        if found is None:
            continue
        name = forum_name(forum, record.meeting.when) if forum else record.forum
        held = record.meeting.when.isoformat() if record.meeting.when else "okänt datum"
        result.append(
            Event(
                _uid("anslag", record.id),
                f"Anslag: justerat protokoll {name} {held}",
                found.posted,
                found.taken_down,
                description=f"Överklagandetiden för besluten i {record.id} går ut {found.appeal_ends}.",
                category="anslag",
                sources=(document.path,),
            )
        )
    return result


def _wheel_events(corpus: Corpus, year: int) -> list[Event]:
    return [replace(e, sources=(wheel.path,)) for wheel in corpus.arshjul() for e in _wheel(wheel.record, year)]


def sequenced(found: Sequence[Event], changed: Mapping[str, dt.datetime]) -> list[Event]:
    """Each event with SEQUENCE and LAST-MODIFIED from its last change: the latest of when its files
    last changed (`changed`, by path) and the day its date moved by itself.

    A calendar program that already holds an event takes a new copy of it only when SEQUENCE has grown
    (Google Calendar and Outlook do so on import), and sb keeps no record of what it exported before.
    The time of the last change is a number that grows with each change and stays the same without
    one, so exporting twice gives the same file and a changed meeting still updates."""
    result = []
    for event in found:
        moments = [changed[path] for path in event.sources if path in changed]
        if event.moved is not None:
            moments.append(dt.datetime.combine(event.moved, dt.time(), tzinfo=dt.UTC))
        last = max(moments, default=None)
        if last is None:
            result.append(event)
            continue
        seconds = int((last - SEQUENCE_EPOCH).total_seconds())
        result.append(replace(event, sequence=min(max(seconds, 0), _SEQUENCE_MAX), modified=last))
    return result


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _renewed_on(schedule: Schedule, effective_end: dt.date) -> dt.date | None:
    """The day an agreement renewed by itself to `effective_end`: the day after the notice deadline
    of the end before it passed without notice. None when the end comes from the file as it is."""
    if schedule.terminated_on is not None or not schedule.renewal_months or effective_end <= schedule.valid_until:
        return None
    previous = schedule.valid_until
    for k in range(1, MAX_RENEWALS):
        if end(schedule, k) >= effective_end:
            return add_days(notice_deadline(schedule, previous) or previous, 1)
        previous = end(schedule, k)
    return None


def _document_dates(record: Styrdokument, as_of: dt.date, reminders: tuple[int, ...]) -> list[Event]:
    result = []
    schedule = schedule_of(record)
    if schedule is not None:
        facts = status(schedule, as_of)
        renewed_on = _renewed_on(schedule, facts.effective_end)
        if facts.next_notice_deadline is not None:
            result.append(
                Event(
                    _uid("uppsagning", record.id),
                    f"Sista dag att säga upp: {record.title}",
                    facts.next_notice_deadline,
                    description=f"Utan uppsägning senast denna dag förlängs {record.id} efter {facts.effective_end}.",
                    reminders=reminders,
                    category="uppsägning",
                    moved=renewed_on,
                )
            )
        result.append(
            Event(
                _uid("slut", record.id),
                f"Upphör: {record.title}",
                facts.effective_end,
                description=f"{record.id} upphör om det har sagts upp i tid.",
                reminders=reminders,
                category="slut",
                moved=renewed_on,
            )
        )
    if record.review_by is not None:
        result.append(
            Event(
                _uid("revision", record.id),
                f"Revideras senast: {record.title}",
                record.review_by,
                description=f"{record.id} version {record.version}",
                reminders=reminders,
                category="revision",
            )
        )
    return result


def _meeting(corpus: Corpus, document: Document[Protocol | Kallelse]) -> Event | None:
    record = document.record
    day = record.meeting.date
    if day is None:  # no day, or only the month (`date: 2024-02`): never a calendar event (SPEC §3.5)
        return None
    forum = corpus.organisation.forums.get(record.forum)
    name = forum_name(forum, day) if forum else record.forum
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
                reminders=WHEEL_REMINDER_DAYS,
                category="årshjul",
            )
        )
    return result
