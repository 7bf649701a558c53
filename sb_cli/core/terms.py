"""Computed facts of SPEC §4: term ends, notice deadlines and document states, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from sb_cli.core.records import Styrdokument

MAX_RENEWALS = 10_000  # far beyond any real as-of date; keeps the search finite


@dataclass(frozen=True, slots=True)
class Schedule:
    """The dates an agreed term is made of."""

    valid_until: dt.date
    notice_months: int | None = None
    renewal_months: int | None = None
    terminated_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TermStatus:
    effective_end: dt.date
    next_notice_deadline: dt.date | None
    renewed: bool  # the effective end lies past valid_until


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic that clamps to the month's last day (2024-02-29 + 12 = 2025-02-28),
    and to the first or last representable day instead of overflowing."""
    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.max if months > 0 else dt.date.min


def add_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def end(schedule: Schedule, k: int) -> dt.date:
    """E(k) = valid_until + k·renewal months, always counted from valid_until."""
    return add_months(schedule.valid_until, k * (schedule.renewal_months or 0))


def notice_deadline(schedule: Schedule, term_end: dt.date) -> dt.date | None:
    if schedule.notice_months is None:
        return None
    return add_months(term_end, -schedule.notice_months)


def _first_end_reachable_from(schedule: Schedule, day: dt.date) -> dt.date:
    """The first E(k) whose notice deadline (or the end itself, without one) is on or after `day`."""
    candidate = schedule.valid_until
    for k in range(MAX_RENEWALS):
        candidate = end(schedule, k)
        deadline = notice_deadline(schedule, candidate) or candidate
        if deadline >= day or candidate == dt.date.max:
            return candidate
    return candidate


def status(schedule: Schedule, as_of: dt.date) -> TermStatus:
    if schedule.terminated_on is not None:
        effective = (
            _first_end_reachable_from(schedule, schedule.terminated_on)
            if schedule.renewal_months
            else schedule.valid_until
        )
        return TermStatus(effective, None, effective > schedule.valid_until)
    effective = _first_end_reachable_from(schedule, as_of) if schedule.renewal_months else schedule.valid_until
    deadline = notice_deadline(schedule, effective)
    upcoming = deadline if deadline is not None and deadline >= as_of else None
    return TermStatus(effective, upcoming, effective > schedule.valid_until)


def schedule_of(document: Styrdokument) -> Schedule | None:
    """The agreed term of a styrdokument, or None when it has no valid_until."""
    if document.valid_until is None:
        return None
    term = document.term
    return Schedule(
        valid_until=document.valid_until,
        notice_months=term.notice_months if term else None,
        renewal_months=term.renewal_months if term else None,
        terminated_on=document.terminated.date if document.terminated else None,
    )


def document_state(document: Styrdokument, as_of: dt.date, window_days: int) -> str:
    """One state per styrdokument, the most urgent first: expired, expiring, review_overdue."""
    if document.status == "upphavd":
        return "repealed"
    if document.status != "beslutad":
        return "draft"
    schedule = schedule_of(document)
    if schedule is not None:
        facts = status(schedule, as_of)
        if facts.effective_end < as_of:
            return "expired"
        horizon = add_days(as_of, window_days)
        if facts.effective_end <= horizon or (
            facts.next_notice_deadline is not None and facts.next_notice_deadline <= horizon
        ):
            return "expiring"
    if document.review_by is not None and document.review_by < as_of:
        return "review_overdue"
    return "in_force"
