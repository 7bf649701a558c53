"""The årshjul's yearly duties for one year, each met or missing (SPEC §6, `sb report arshjul`)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sb_cli.core.model import Corpus
from sb_cli.core.records import Arshjul, ArshjulEvent, Paper, Styrdokument
from sb_cli.core.reports import Row
from sb_cli.core.words import count


def duties(corpus: Corpus, year: int, as_of: dt.date) -> list[Row]:
    return [
        _duty(corpus, wheel.record, event, year, as_of) for wheel in corpus.arshjul() for event in wheel.record.events
    ]


@dataclass(frozen=True, slots=True)
class Evidence:
    met: bool | None  # None: the årshjul does not say enough to check the duty
    documents: list[str]  # what fulfils it
    detail: str


def _duty(corpus: Corpus, wheel: Arshjul, event: ArshjulEvent, year: int, as_of: dt.date) -> Row:
    evidence = _evidence(corpus, event, year)
    due = _month_end(year, event.month) if event.month else dt.date(year, 12, 31)
    if evidence.met:
        state = "uppfyllt"
    elif evidence.met is None:
        state = "ej kontrollerad"
    elif as_of <= due:
        state = "pågår"
    else:
        state = "saknas"
    return {
        "arshjul": wheel.id,
        "year": year,
        "month": event.month,
        "title": event.title,
        "forum": event.forum,
        "duty": event.duty,
        "status": state,
        "evidence": evidence.documents,
        "detail": evidence.detail,
    }


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _evidence(corpus: Corpus, event: ArshjulEvent, year: int) -> Evidence:
    """What fulfils the duty in `year`, and a short explanation."""
    if event.duty is None:
        return Evidence(None, [], "ingen uppgift att kontrollera")
    if event.forum is None:
        return Evidence(None, [], "årshjulet anger inget forum")
    check = _CHECKS.get(event.duty, _meetings_held)
    return check(corpus, event, event.forum, year)


def _plan_decided(corpus: Corpus, event: ArshjulEvent, forum: str, year: int) -> Evidence:
    """A verksamhetsplan or handlingsplan the forum owns, decided (or valid from) in the year."""
    duty = event.duty
    plans = [
        d.id for d in corpus.styrdokument() if d.type == duty and d.record.owner == forum and _year_of(d.record) == year
    ]
    return Evidence(bool(plans), plans, f"{duty} beslutad {year}" if plans else f"ingen {duty} från {year}")


def _report_written(corpus: Corpus, event: ArshjulEvent, forum: str, year: int) -> Evidence:
    """An årsrapport of the forum that accounts for the year."""
    reports = [
        d.id
        for d in corpus.papers()
        if d.type == "arsrapport" and forum in (d.record.forum, d.record.owner) and _report_year(d.record) == year
    ]
    return Evidence(bool(reports), reports, "årsrapport finns" if reports else f"ingen årsrapport från {year}")


def _followed_up(corpus: Corpus, event: ArshjulEvent, forum: str, year: int) -> Evidence:
    """A follow-up of the named document by the forum in the year."""
    if event.document is None:
        return Evidence(None, [], "årshjulet anger inte vilket dokument som ska följas upp")
    target = corpus.by_id.get(event.document)
    record = target.record if target else None
    entries = record.followed_up if isinstance(record, Styrdokument) else ()
    found = [entry.ref or entry.date.isoformat() for entry in entries if entry.by == forum and entry.date.year == year]
    detail = "uppföljd" if found else f"ingen uppföljning av {event.document} {year}"
    return Evidence(bool(found), found, detail)


def _meetings_held(corpus: Corpus, event: ArshjulEvent, forum: str, year: int) -> Evidence:
    """Any other duty is met by the forum's meetings in the year, as many as organisation.yaml asks."""
    meetings = _meeting_dates(corpus, forum, year)
    forum_info = corpus.organisation.forums.get(forum)
    low = forum_info.meetings_per_year.min if forum_info else None
    high = forum_info.meetings_per_year.max if forum_info else None
    held = count(len(meetings), "möte", "möten")
    if low is None and high is None:
        return Evidence(None, [], f"{held}; organisation.yaml anger inget krav (meetings_per_year)")
    enough = (low is None or len(meetings) >= low) and (high is None or len(meetings) <= high)
    return Evidence(enough, meetings if enough else [], f"{held} (krav {_span(low, high)})")


def _meeting_dates(corpus: Corpus, forum: str, year: int) -> list[str]:
    held = {d.record.meeting.when for d in corpus.meetings() if d.record.forum == forum}  # a month counts too
    return sorted({when.isoformat() for when in held if when is not None and when.year == year})


def _span(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"minst {low}" if low is not None else f"högst {high}"


_CHECKS = {
    "verksamhetsplan": _plan_decided,
    "handlingsplan": _plan_decided,
    "arsrapport": _report_written,
    "uppfoljning": _followed_up,
}


def _year_of(record: Styrdokument) -> int | None:
    day = (record.decided.date if record.decided else None) or record.valid_from
    return day.year if day else None


def _report_year(record: Paper) -> int | None:
    """The year an annual report accounts for: its `year`, else the year of its date."""
    if record.year is not None:
        return record.year
    return record.date.year if record.date else None
