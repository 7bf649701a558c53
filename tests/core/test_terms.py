import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sb_cli.core.terms import Schedule, add_months, end, notice_deadline, status

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
