import datetime as dt

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.core.terms import (
    MAX_RENEWALS,
    Schedule,
    TermStatus,
    add_days,
    add_months,
    document_state,
    end,
    notice_deadline,
    schedule_of,
    status,
)
from tests.builders import avtal, document, rutin

D = dt.date


def test_seed_001_renews_to_2028_with_next_deadline_2027():
    facts = status(Schedule(D(2026, 12, 31), 12, 24), D(2026, 11, 22))
    assert facts.effective_end == D(2028, 12, 31)
    assert facts.next_notice_deadline == D(2027, 12, 31)
    assert facts.renewed


def test_on_the_deadline_notice_can_still_be_given():
    facts = status(Schedule(D(2026, 12, 31), 12, 24), D(2025, 12, 31))
    assert facts.effective_end == D(2026, 12, 31)
    assert facts.next_notice_deadline == D(2025, 12, 31)
    assert not facts.renewed


def test_without_renewal_the_end_is_valid_until_and_a_passed_deadline_is_none():
    facts = status(Schedule(D(2026, 12, 31), 3, None), D(2026, 11, 22))
    assert facts.effective_end == D(2026, 12, 31)
    assert facts.next_notice_deadline is None


def test_without_term_there_is_no_deadline():
    facts = status(Schedule(D(2026, 12, 31)), D(2020, 1, 1))
    assert (facts.effective_end, facts.next_notice_deadline) == (D(2026, 12, 31), None)


def test_termination_stops_at_the_first_end_its_notice_reaches():
    term = Schedule(D(2026, 12, 31), 12, 24, terminated_on=D(2026, 3, 1))
    facts = status(term, D(2030, 1, 1))
    assert facts.effective_end == D(2028, 12, 31)
    assert facts.next_notice_deadline is None


def test_month_ends_clamp_and_count_from_valid_until():
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)
    term = Schedule(D(2024, 2, 29), 1, 12)
    assert end(term, 4) == D(2028, 2, 29)  # not 2028-02-28 as step-by-step clamping would give
    assert notice_deadline(term, D(2024, 3, 31)) == D(2024, 2, 29)


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
terms = st.builds(
    Schedule,
    valid_until=dates,
    notice_months=st.one_of(st.none(), st.integers(0, 36)),
    renewal_months=st.one_of(st.none(), st.integers(1, 60)),
    terminated_on=st.one_of(st.none(), dates),
)


@given(terms, dates)
def test_effective_end_never_before_valid_until(term, as_of):
    assert status(term, as_of).effective_end >= term.valid_until


@given(terms, dates)
def test_next_notice_deadline_is_never_in_the_past(term, as_of):
    deadline = status(term, as_of).next_notice_deadline
    assert deadline is None or deadline >= as_of


@given(terms, dates, dates)
def test_terminated_agreement_never_renews_past_the_end_its_notice_reached(term, terminated, as_of):
    term = Schedule(term.valid_until, term.notice_months, term.renewal_months, terminated)
    facts = status(term, as_of)
    deadline = notice_deadline(term, facts.effective_end) or facts.effective_end
    assert facts.next_notice_deadline is None
    if deadline >= terminated and facts.effective_end > term.valid_until:
        previous = add_months(facts.effective_end, -(term.renewal_months or 0))
        assert (notice_deadline(term, previous) or previous) < terminated


@given(dates, st.integers(-600, 600))
def test_add_months_lands_in_the_right_month_and_clamps(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day


def test_add_months_clamps_at_the_first_and_last_representable_day():
    assert add_months(D.max, 1) == D.max
    assert add_months(D.min, -1) == D.min
    assert add_months(D(2000, 1, 1), 10**20) == D.max  # too large for relativedelta itself
    assert add_months(D(2000, 1, 1), -(10**20)) == D.min
    assert add_months(D.max, 0) == D.max
    assert add_months(D.max, -1) == D(9999, 11, 30)
    assert add_months(D.min, 1) == D(1, 2, 1)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)


def test_add_days_clamps_at_the_first_and_last_representable_day():
    assert add_days(D.max, 1) == D.max
    assert add_days(D.min, -1) == D.min
    assert add_days(D(2000, 1, 1), 10**10) == D.max  # too large for timedelta itself
    assert add_days(D(2000, 1, 1), -(10**10)) == D.min
    assert add_days(D.max, 0) == D.max
    assert add_days(D.max, -1) == D(9999, 12, 30)
    assert add_days(D(2024, 2, 28), 1) == D(2024, 2, 29)
    assert add_days(D(2024, 3, 1), -1) == D(2024, 2, 29)


def test_end_without_renewal_stays_at_valid_until():
    assert end(Schedule(D(2026, 12, 31)), 0) == D(2026, 12, 31)
    assert end(Schedule(D(2026, 12, 31)), 3) == D(2026, 12, 31)
    assert end(Schedule(D(2026, 12, 31), None, 24), 0) == D(2026, 12, 31)
    assert end(Schedule(D(2026, 12, 31), None, 24), 2) == D(2030, 12, 31)


def test_notice_deadline_with_none_and_zero_months():
    assert notice_deadline(Schedule(D(2026, 12, 31)), D(2026, 12, 31)) is None
    assert notice_deadline(Schedule(D(2026, 12, 31), 0), D(2026, 12, 31)) == D(2026, 12, 31)
    assert notice_deadline(Schedule(D(2026, 12, 31), 3), D(2028, 12, 31)) == D(2028, 9, 30)


@pytest.mark.parametrize(
    ("schedule", "as_of", "expected"),
    [
        # no term at all: the end is valid_until, before and after it
        (Schedule(D(2026, 12, 31)), D(2026, 1, 1), TermStatus(D(2026, 12, 31), None, False)),
        (Schedule(D(2026, 12, 31)), D(2027, 1, 1), TermStatus(D(2026, 12, 31), None, False)),
        # notice without renewal: the deadline until it passes, then none
        (Schedule(D(2026, 12, 31), 3), D(2026, 9, 30), TermStatus(D(2026, 12, 31), D(2026, 9, 30), False)),
        (Schedule(D(2026, 12, 31), 3), D(2026, 10, 1), TermStatus(D(2026, 12, 31), None, False)),
        # renewal without notice: the first end on or after as-of
        (Schedule(D(2026, 12, 31), None, 12), D(2026, 12, 31), TermStatus(D(2026, 12, 31), None, False)),
        (Schedule(D(2026, 12, 31), None, 12), D(2027, 1, 1), TermStatus(D(2027, 12, 31), None, True)),
        # renewal with notice: the day after the deadline renews
        (Schedule(D(2026, 12, 31), 12, 24), D(2026, 1, 1), TermStatus(D(2028, 12, 31), D(2027, 12, 31), True)),
        # terminated: no deadline left, the end the termination reached
        (
            Schedule(D(2026, 12, 31), 3, None, terminated_on=D(2026, 1, 1)),
            D(2020, 1, 1),
            TermStatus(D(2026, 12, 31), None, False),
        ),
        (
            Schedule(D(2026, 12, 31), 12, 24, terminated_on=D(2025, 12, 31)),
            D(2020, 1, 1),
            TermStatus(D(2026, 12, 31), None, False),
        ),
        (
            Schedule(D(2026, 12, 31), 12, 24, terminated_on=D(2026, 1, 1)),
            D(2020, 1, 1),
            TermStatus(D(2028, 12, 31), None, True),
        ),
        (Schedule(D(2026, 12, 31), None, None, D(2030, 1, 1)), D(2030, 1, 1), TermStatus(D(2026, 12, 31), None, False)),
        # renewal up to the last representable day
        (Schedule(D(9990, 12, 31), 12, 120), D(9999, 6, 1), TermStatus(D.max, None, True)),
    ],
)
def test_status_facts(schedule, as_of, expected):
    assert status(schedule, as_of) == expected


def test_the_search_for_the_effective_end_is_finite():
    term = Schedule(D(2000, 1, 31), None, 1)
    last = add_months(D(2000, 1, 31), MAX_RENEWALS - 1)
    assert last == D(2833, 4, 30)
    assert status(term, D(2999, 1, 1)) == TermStatus(last, None, True)
    assert status(Schedule(D(2000, 1, 31), None, 1, terminated_on=D(2999, 1, 1)), D(2000, 1, 1)).effective_end == last


def test_schedule_of_a_styrdokument():
    assert schedule_of(document(rutin()).record) is None
    assert schedule_of(document(avtal()).record) == Schedule(D(2029, 12, 31), 12, 24, None)
    assert schedule_of(document(avtal(renewal=None)).record) == Schedule(D(2029, 12, 31), 12, None, None)
    without_term = rutin().replace("review_by:", "valid_until: 2027-06-30\nreview_by:")
    assert schedule_of(document(without_term).record) == Schedule(D(2027, 6, 30), None, None, None)
    terminated = avtal().replace("adopted:", "terminated: {date: 2026-02-01, by: karlskrona}\nadopted:")
    assert schedule_of(document(terminated).record) == Schedule(D(2029, 12, 31), 12, 24, D(2026, 2, 1))


def state(text, as_of, window_days=30, **changes):
    record = document(text).record
    return document_state(msgspec.structs.replace(record, **changes), as_of, window_days)


def test_document_state_repealed_and_draft_before_anything_else():
    ended = avtal(valid_until="2020-12-31", review_by="2020-01-01", renewal=None)
    assert state(ended.replace("status: beslutad", "status: upphavd"), D(2026, 3, 1)) == "repealed"
    assert state(ended.replace("status: beslutad", "status: utkast"), D(2026, 3, 1)) == "draft"
    assert state(ended.replace("status: beslutad", "status: remiss"), D(2026, 3, 1)) == "draft"
    assert state(ended, D(2026, 3, 1)) == "expired"


def test_document_state_expired_from_the_day_after_the_end():
    ended = avtal(valid_until="2026-01-31", review_by="2026-01-01", renewal=None)
    assert state(ended, D(2026, 2, 1)) == "expired"
    assert state(ended, D(2026, 1, 31), 0) == "expiring"


def test_document_state_expiring_when_the_end_is_inside_the_window():
    ends = avtal(valid_until="2026-01-31", review_by="2026-06-01", renewal=None)
    assert state(ends, D(2026, 1, 1), 30) == "expiring"
    assert state(ends, D(2026, 1, 1), 29) == "in_force"


def test_document_state_expiring_when_the_notice_deadline_is_inside_the_window():
    renews = avtal(valid_until="2029-12-31", review_by="2029-06-01")
    assert state(renews, D(2028, 12, 1), 30) == "expiring"  # deadline 2028-12-31
    assert state(renews, D(2028, 12, 1), 29) == "in_force"
    assert state(renews, D(2028, 12, 31), 0) == "expiring"


def test_document_state_without_a_deadline_left_is_in_force():
    passed = avtal(valid_until="2029-12-31", review_by="2029-12-01", renewal=None)
    assert state(passed, D(2029, 6, 1), 30) == "in_force"  # the deadline 2028-12-31 has passed


def test_document_state_review_overdue_from_the_day_after_review_by():
    assert state(rutin(review_by="2026-01-01"), D(2026, 1, 2)) == "review_overdue"
    assert state(rutin(review_by="2026-01-01"), D(2026, 1, 1)) == "in_force"
    assert state(rutin(), D(2030, 1, 1), review_by=None) == "in_force"
    expiring_and_overdue = avtal(valid_until="2026-01-31", review_by="2025-01-01", renewal=None)
    assert state(expiring_and_overdue, D(2026, 1, 1), 30) == "expiring"
    assert state(expiring_and_overdue, D(2026, 1, 1), 29) == "review_overdue"
