"""Computed facts of SPEC §4: term ends, notice deadlines and document states, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from sb_cli.core.model import Document, parse_date

MAX_RENEWALS = 10_000  # far beyond any real as-of date; keeps the search finite


@dataclass(frozen=True, slots=True)
class Term:
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
    """Calendar month arithmetic that clamps to the month's last day (2024-02-29 + 12 = 2025-02-28)."""
    return day + relativedelta(months=months)


def end(term: Term, k: int) -> dt.date:
    """E(k) = valid_until + k·renewal months, always counted from valid_until."""
    return add_months(term.valid_until, k * (term.renewal_months or 0))


def notice_deadline(term: Term, term_end: dt.date) -> dt.date | None:
    if term.notice_months is None:
        return None
    return add_months(term_end, -term.notice_months)


def _first_end_reachable_from(term: Term, day: dt.date) -> dt.date:
    """The first E(k) whose notice deadline (or the end itself, without one) is on or after `day`."""
    last = term.valid_until
    for k in range(MAX_RENEWALS):
        try:
            candidate = end(term, k)
        except (OverflowError, ValueError):
            return last
        deadline = notice_deadline(term, candidate) or candidate
        if deadline >= day:
            return candidate
        last = candidate
    return last


def status(term: Term, as_of: dt.date) -> TermStatus:
    if term.terminated_on is not None:
        effective = (
            _first_end_reachable_from(term, term.terminated_on)
            if term.renewal_months
            else term.valid_until
        )
        return TermStatus(effective, None, effective > term.valid_until)
    effective = _first_end_reachable_from(term, as_of) if term.renewal_months else term.valid_until
    deadline = notice_deadline(term, effective)
    upcoming = deadline if deadline is not None and deadline >= as_of else None
    return TermStatus(effective, upcoming, effective > term.valid_until)


def term_of(document: Document) -> Term | None:
    """The agreed term of a styrdokument, or None when it has no (readable) valid_until."""
    valid_until = document.date("valid_until")
    if valid_until is None:
        return None
    raw: Any = document.get("term") or {}
    notice = raw.get("notice_months") if isinstance(raw, dict) else None
    renewal = raw.get("renewal_months") if isinstance(raw, dict) else None
    return Term(
        valid_until=valid_until,
        notice_months=notice if isinstance(notice, int) and notice >= 0 else None,
        renewal_months=renewal if isinstance(renewal, int) and renewal > 0 else None,
        terminated_on=parse_date(document.get("terminated", "date")),
    )


STATES = ("draft", "in_force", "review_overdue", "expiring", "expired", "repealed")


def document_state(document: Document, as_of: dt.date, window_days: int) -> str:
    """One state per styrdokument, the most urgent first: expired, expiring, review_overdue."""
    doc_status = document.get("status")
    if doc_status == "upphavd":
        return "repealed"
    if doc_status != "beslutad":
        return "draft"
    term = term_of(document)
    if term is not None:
        facts = status(term, as_of)
        if facts.effective_end < as_of:
            return "expired"
        horizon = as_of + dt.timedelta(days=window_days)
        if facts.effective_end <= horizon or (
            facts.next_notice_deadline is not None and facts.next_notice_deadline <= horizon
        ):
            return "expiring"
    review_by = document.date("review_by")
    if review_by is not None and review_by < as_of:
        return "review_overdue"
    return "in_force"
