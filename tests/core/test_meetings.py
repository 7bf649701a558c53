"""When a meeting was held (a day, or a month only), its order, its roster, and the meeting at which a
protocol was approved: core.meetings as pure functions."""

import datetime as dt

import pytest

from sb_cli.core.meetings import (
    approved_at,
    earliest_day,
    latest_day,
    meeting_order,
    quorum,
    roster_during,
    when_order,
)
from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Meeting, Protocol, YearMonth, to_record
from sb_cli.io.yamlpos import parse_yaml
from tests.builders import ORGANISATION, corpus, document, protokoll
from tests.conftest import CASES

FEBRUARY = YearMonth(year=2024, month=2)
LSVO = ORGANISATION.forums["LSVO"]


def test_a_month_is_read_as_a_month_and_never_as_a_day() -> None:
    record = to_record(
        {"id": "p", "type": "protokoll", "title": "P", "forum": "LSVO", "meeting": {"date": "2024-02"},
         "numbering": "list", "items": [{"number": 1, "title": "Punkt"}], "adjusted": True}
    )  # fmt: skip
    assert isinstance(record, Protocol)
    assert record.meeting.date is None and record.meeting.month == FEBRUARY and record.meeting.when == FEBRUARY
    assert record.is_adjusted and record.adjusted_on is None


def test_a_day_stays_a_day() -> None:
    record = document(protokoll(extra="adjusted: 2026-01-20\n")).record
    assert isinstance(record, Protocol)
    assert record.meeting.when == dt.date(2026, 1, 16) and record.meeting.month is None
    assert record.is_adjusted and record.adjusted_on == dt.date(2026, 1, 20)


def test_a_month_knows_its_days_even_in_a_leap_year() -> None:
    assert (FEBRUARY.first_day, FEBRUARY.last_day) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert len(FEBRUARY.days()) == 29 and FEBRUARY.days()[-1] == dt.date(2024, 2, 29)
    assert FEBRUARY.isoformat() == "2024-02" and FEBRUARY.year == 2024
    assert (earliest_day(FEBRUARY), latest_day(FEBRUARY)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert earliest_day(dt.date(2024, 2, 23)) == latest_day(dt.date(2024, 2, 23)) == dt.date(2024, 2, 23)


def test_a_month_sorts_after_every_day_of_it_and_before_the_next_month() -> None:
    meetings = [
        Meeting(date=dt.date(2024, 3, 1)),
        Meeting(month=FEBRUARY),
        Meeting(date=dt.date(2024, 2, 29)),
        Meeting(),
        Meeting(date=dt.date(2024, 2, 23)),
    ]
    ordered = [m.when for m in sorted(meetings, key=meeting_order)]
    assert ordered == [None, dt.date(2024, 2, 23), dt.date(2024, 2, 29), FEBRUARY, dt.date(2024, 3, 1)]
    assert when_order(FEBRUARY) < when_order(dt.date(2024, 3, 1))


def test_the_roster_of_a_month_is_known_only_when_it_is_the_same_every_day() -> None:
    assert roster_during(LSVO, FEBRUARY) == LSVO.roster(dt.date(2024, 2, 10))
    changing = organisation_from(
        parse_yaml(
            (CASES / "organisation.yaml").read_text("utf-8")
            + "  - id: AU\n    name: Arbetsutskottet\n    quorum: {per: kind}\n    members:\n"
            "      - {name: Rut Region, party: region-blekinge}\n"
            "      - {name: Kim Kommun, party: karlskrona, until: 2024-02-14}\n"
        ).data
    )
    forum = changing.forums["AU"]
    assert roster_during(forum, FEBRUARY) is None  # Kim left mid-month: who sat that day is unknown
    assert [m.name for m in roster_during(forum, dt.date(2024, 2, 10)) or ()] == ["Rut Region", "Kim Kommun"]
    assert quorum(forum, changing, FEBRUARY, {"rut region"}) == []  # no roster, no quorum to compute
    groups = quorum(LSVO, ORGANISATION, FEBRUARY, {"rut region", "rolf region", "kim kommun"})
    assert [(g.label, g.voting, g.present, g.met) for g in groups] == [("kommun", 3, 1, False), ("region", 2, 2, True)]


APPROVED = protokoll(id_="LSVO-2026-01-16", day="2026-01-16", numbers=(1,), extra="adjusted: 2026-01-20\n")


def approving(id_: str, day: str, number: int, follows_up: str, adjusted: str = "adjusted: 2026-02-20\n") -> str:
    return protokoll(
        id_=id_, day=day, numbers=(number,), extra=adjusted, item_extra=f", kind: I, follows_up: {follows_up!r}"
    )


def approval_of(*texts: str, as_of: dt.date = dt.date(2026, 6, 1)) -> str | None:
    built = corpus(APPROVED, *texts)
    target = built.by_id["LSVO-2026-01-16"].record
    assert isinstance(target, Protocol)
    found = approved_at(built, target, as_of)
    return found.id if found is not None else None


def test_the_next_protocol_that_follows_up_the_whole_protocol_approved_it() -> None:
    assert approval_of(approving("LSVO-2026-02-13", "2026-02-13", 2, "LSVO-2026-01-16")) == "LSVO-2026-02-13"


@pytest.mark.parametrize(
    "text",
    [
        approving("LSVO-2026-02-13", "2026-02-13", 2, "LSVO-2026-01-16 §1"),  # a follow-up of one §, no approval
        approving("LSVO-2026-02-13", "2026-02-13", 2, "LSVO-2026-01-16", adjusted=""),  # a draft approves nothing yet
        approving("LSVO-2026-02-13", "2026-02-13", 2, "LSVO-2026-01-16", adjusted="adjusted: 2026-07-01\n"),
    ],
    ids=["one-paragraph", "draft", "justerat-after-as-of"],
)
def test_no_approval_is_claimed_that_the_corpus_does_not_show(text: str) -> None:
    assert approval_of(text) is None


def test_the_earliest_approving_meeting_wins_and_a_month_or_unknown_day_counts() -> None:
    later = approving("LSVO-2026-03-13", "2026-03-13", 3, "LSVO-2026-01-16")
    month = approving("LSVO-2026-02", "2026-02", 2, "LSVO-2026-01-16", adjusted="adjusted: true\n")
    assert approval_of(later, month) == "LSVO-2026-02"
