"""The calendar's events as pure functions: reminders, the files each event comes from, and a SEQUENCE
that grows with every change and only then."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sb_cli.core.calendar import SEQUENCE_EPOCH, Event, events, sequenced
from tests.builders import avtal, corpus, protokoll, wheel

D = dt.date
AGREEMENT = avtal(valid_until="2026-12-31")  # notice 12 months, renewed by 24: deadlines 2025-12-31, 2027-12-31 …
WHEEL = wheel("{title: Uppföljning, forum: LSVO, duty: uppfoljning, document: a, month: 6}")
KALLELSE = """id: kallelse-LSVO-2026-01-16
type: kallelse
title: Kallelse
forum: LSVO
meeting: {date: 2026-01-16, start: "09:00", end: "12:00"}
numbering: paragraph
sent: 2026-01-05
items:
  - {number: 1, title: Punkt 1, kind: I}
"""


def named(found: list[Event]) -> dict[str, Event]:
    return {e.uid.split("@")[0]: e for e in found}


def test_each_notice_deadline_end_and_review_date_gets_one_reminder_per_reminder_day():
    found = named(events(corpus(AGREEMENT, protokoll(), WHEEL), D(2026, 11, 22), reminder_days=(60, 14, 1)))
    for uid in ("uppsagning-a", "slut-a", "revision-a"):
        assert found[uid].reminders == (60, 14, 1), uid
    assert found["mote-LSVO-2026-01-16"].reminders == ()
    assert found["arshjul-w-0-2026"].reminders == (14,)  # the årshjul keeps its own two weeks


def test_the_reminders_are_90_30_and_7_days_unless_sb_toml_says_otherwise():
    found = named(events(corpus(AGREEMENT), D(2026, 11, 22)))
    assert {e.reminders for e in found.values()} == {(90, 30, 7)}
    assert {e.reminders for e in events(corpus(AGREEMENT), D(2026, 11, 22), reminder_days=())} == {()}


def test_every_event_knows_its_files_and_a_meeting_both_its_kallelse_and_protocol():
    found = named(events(corpus(AGREEMENT, KALLELSE, protokoll()), D(2026, 11, 22)))
    assert found["uppsagning-a"].sources == ("documents/d0.yaml",)
    meeting = found["mote-LSVO-2026-01-16"]
    assert meeting.category == "möte" and meeting.start == D(2026, 1, 16)  # the protocol (no time) wins
    assert meeting.sources == ("documents/d1.yaml", "documents/d2.yaml")
    alone = named(events(corpus(KALLELSE), D(2026, 11, 22)))["mote-LSVO-2026-01-16"]
    assert alone.start == dt.datetime(2026, 1, 16, 9, 0) and alone.sources == ("documents/d0.yaml",)  # noqa: DTZ001


def test_a_renewal_moves_the_deadline_and_end_on_the_day_after_the_deadline_passed():
    before = named(events(corpus(AGREEMENT), D(2025, 12, 31)))
    assert (before["uppsagning-a"].start, before["uppsagning-a"].moved) == (D(2025, 12, 31), None)
    after = named(events(corpus(AGREEMENT), D(2026, 1, 1)))
    assert (after["uppsagning-a"].start, after["slut-a"].start) == (D(2027, 12, 31), D(2028, 12, 31))
    assert after["uppsagning-a"].moved == after["slut-a"].moved == D(2026, 1, 1)
    assert named(events(corpus(AGREEMENT), D(2030, 6, 1)))["slut-a"].moved == D(2030, 1, 1)  # the second renewal
    assert after["revision-a"].moved is None


def test_an_end_set_by_a_notice_in_the_file_has_not_moved_by_itself():
    terminated = AGREEMENT.replace("adopted:", "terminated: {date: 2027-06-01, by: karlskrona}\nadopted:")
    found = named(events(corpus(terminated), D(2027, 7, 1)))
    assert "uppsagning-a" not in found
    assert (found["slut-a"].start, found["slut-a"].moved) == (D(2028, 12, 31), None)


CHANGED = dt.datetime(2026, 2, 1, 10, 30, tzinfo=dt.UTC)


def seconds(moment: dt.datetime) -> int:
    return int((moment - SEQUENCE_EPOCH).total_seconds())


def test_sequence_counts_seconds_from_2000_to_the_last_change_of_the_events_files():
    meeting = Event("m@x", "Möte", D(2026, 1, 16), sources=("documents/k.yaml", "documents/p.yaml"))
    later = CHANGED + dt.timedelta(days=3)
    (event,) = sequenced([meeting], {"documents/k.yaml": later, "documents/p.yaml": CHANGED})
    assert (event.sequence, event.modified) == (seconds(later), later)
    assert seconds(later) == 823_516_200
    (unknown,) = sequenced([meeting], {"documents/annan.yaml": CHANGED})
    assert (unknown.sequence, unknown.modified) == (0, None)
    (old,) = sequenced([meeting], {"documents/k.yaml": dt.datetime(1999, 5, 1, tzinfo=dt.UTC)})
    assert old.sequence == 0


def test_sequence_takes_the_day_a_deadline_passed_when_it_is_later_than_the_files_change():
    changed = {"documents/d0.yaml": CHANGED}
    renewed = named(sequenced(events(corpus(AGREEMENT), D(2026, 11, 22)), changed))  # moved 2026-01-01
    assert renewed["uppsagning-a"].sequence == seconds(CHANGED)
    later = named(sequenced(events(corpus(AGREEMENT), D(2028, 2, 1)), changed))  # moved 2028-01-01
    assert later["uppsagning-a"].sequence == seconds(dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    assert later["revision-a"].sequence == seconds(CHANGED)


DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2040, 12, 31))


@settings(max_examples=200, deadline=None)
@given(first=DAYS, second=DAYS)
def test_an_event_that_changes_between_two_exports_gets_a_higher_sequence_and_one_that_does_not_the_same(first, second):
    """The promise calendar programs need: exported later, an event that changed has a higher
    SEQUENCE, and one that did not change has the same."""
    first, second = sorted((first, second))
    agreement = corpus(AGREEMENT)
    changed = {"documents/d0.yaml": dt.datetime(2024, 1, 20, tzinfo=dt.UTC)}
    before = {e.uid: e for e in sequenced(events(agreement, first), changed)}
    after = {e.uid: e for e in sequenced(events(agreement, second), changed)}
    for uid in before.keys() & after.keys():
        if (before[uid].start, before[uid].end) == (after[uid].start, after[uid].end):
            assert before[uid].sequence == after[uid].sequence, uid
        else:
            assert before[uid].sequence < after[uid].sequence, uid


def test_a_meeting_known_by_its_month_is_no_event_and_gets_no_day():
    month_kallelse = KALLELSE.replace("kallelse-LSVO-2026-01-16", "kallelse-LSVO-2026-02").replace(
        'meeting: {date: 2026-01-16, start: "09:00", end: "12:00"}', "meeting: {date: 2026-02}"
    )
    month_protocol = protokoll(id_="LSVO-2026-02", day="2026-02", extra="adjusted: true\n")
    found = named(events(corpus(KALLELSE, month_kallelse, month_protocol), D(2026, 11, 22)))
    assert "mote-LSVO-2026-01-16" in found  # the meeting with a day is one
    assert not any("2026-02" in uid for uid in found)
