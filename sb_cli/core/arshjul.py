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
    duty, forum = event.duty, event.forum
    if duty is None:
        return Evidence(None, [], "ingen uppgift att kontrollera")
    if forum is None:
        return Evidence(None, [], "årshjulet anger inget forum")
    if duty in ("verksamhetsplan", "handlingsplan"):
        plans = [
            d.id
            for d in corpus.styrdokument()
            if d.type == duty and d.record.owner == forum and _year_of(d.record) == year
        ]
        return Evidence(bool(plans), plans, f"{duty} beslutad {year}" if plans else f"ingen {duty} från {year}")
    if duty == "arsrapport":
        reports = [
            d.id
            for d in corpus.papers()
            if d.type == "arsrapport" and forum in (d.record.forum, d.record.owner) and _report_year(d.record) == year
        ]
        return Evidence(bool(reports), reports, "årsrapport finns" if reports else f"ingen årsrapport från {year}")
    if duty == "uppfoljning":
        if event.document is None:
            return Evidence(None, [], "årshjulet anger inte vilket dokument som ska följas upp")
        target = corpus.by_id.get(event.document)
        record = target.record if target else None
        entries = record.followed_up if isinstance(record, Styrdokument) else ()
        found = [
            entry.ref or entry.date.isoformat() for entry in entries if entry.by == forum and entry.date.year == year
        ]
        detail = "uppföljd" if found else f"ingen uppföljning av {event.document} {year}"
        return Evidence(bool(found), found, detail)
    forum_info = corpus.organisation.forums.get(forum)
    meetings = sorted(
        {
            d.record.meeting.date.isoformat()
            for d in corpus.meetings()
            if d.record.forum == forum and d.record.meeting.date is not None and d.record.meeting.date.year == year
        }
    )
    low = forum_info.meetings_per_year.min if forum_info else None
    high = forum_info.meetings_per_year.max if forum_info else None
    held = count(len(meetings), "möte", "möten")
    if low is None and high is None:
        return Evidence(None, [], f"{held}; organisation.yaml anger inget krav (meetings_per_year)")
    enough = (low is None or len(meetings) >= low) and (high is None or len(meetings) <= high)
    span = (
        f"{low}–{high}"
        if low is not None and high is not None
        else f"minst {low}"
        if low is not None
        else f"högst {high}"
    )
    return Evidence(enough, meetings if enough else [], f"{held} (krav {span})")


def _year_of(record: Styrdokument) -> int | None:
    day = (record.decided.date if record.decided else None) or record.valid_from
    return day.year if day else None


def _report_year(record: Paper) -> int | None:
    """The year an annual report accounts for: its `year`, else the year of its date."""
    if record.year is not None:
        return record.year
    return record.date.year if record.date else None
