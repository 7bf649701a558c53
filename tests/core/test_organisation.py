"""A forum's names over time (SPEC 3.4): the name on a day or a month, the text that names a forum,
and names whose dates contradict each other. core.organisation as pure functions."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.core.organisation import (
    decision_phrase,
    forum_heading,
    forum_name,
    forums_called,
    name_on,
    name_period_problems,
    organisation_from,
    resolve_forum,
)
from sb_cli.core.records import Forum, ForumName, YearMonth

# Dated as a source might date them: the new name from 1 March 2024, the old one without an end.
RENAMED = organisation_from(
    {
        "parties": [],
        "forums": [
            {
                "id": "att-aldras",
                "name": "Samverkansgrupp att åldras",
                "names": [
                    {"name": "Samverkansgrupp Äldre"},
                    {"name": "Samverkansgrupp att åldras", "from": "2024-03-01"},
                ],
                "aliases": ["att åldras"],
                "protocol": {"heading": "Samverkansgrupp Äldre"},
            },
            {"id": "LSVO", "name": "Ledningssamverkan vård och omsorg", "decision_phrase": "LSVO beslutar"},
        ],
    }
)
ALDRAS = RENAMED.forums["att-aldras"]
LSVO = RENAMED.forums["LSVO"]


def _forum(*names: ForumName, heading: str | None = None) -> Forum:
    data: dict = {"id": "grupp", "name": "Gruppen nu", "names": [_written(n) for n in names]}
    if heading:
        data["protocol"] = {"heading": heading}
    return organisation_from({"forums": [data]}).forums["grupp"]


def _written(entry: ForumName) -> dict:
    data: dict = {"name": entry.name}
    if entry.valid_from:
        data["from"] = entry.valid_from.isoformat()
    if entry.valid_until:
        data["until"] = entry.valid_until.isoformat()
    return data


def _name(name: str, start: str | None = None, end: str | None = None) -> ForumName:
    return ForumName(
        name=name,
        valid_from=dt.date.fromisoformat(start) if start else None,
        valid_until=dt.date.fromisoformat(end) if end else None,
    )


def test_the_registry_reads_names_and_aliases() -> None:
    assert [n.name for n in ALDRAS.names] == ["Samverkansgrupp Äldre", "Samverkansgrupp att åldras"]
    assert ALDRAS.names[1].valid_from == dt.date(2024, 3, 1) and ALDRAS.names[0].valid_until is None
    assert ALDRAS.aliases == ("att åldras",)
    assert LSVO.names == () and LSVO.aliases == ()


def test_the_name_on_a_day_changes_on_the_day_a_source_gives() -> None:
    assert name_on(ALDRAS, dt.date(2024, 2, 29)) == "Samverkansgrupp Äldre"  # the old name ends the day before
    assert name_on(ALDRAS, dt.date(2024, 3, 1)) == "Samverkansgrupp att åldras"
    assert name_on(ALDRAS, dt.date(2019, 1, 1)) == "Samverkansgrupp Äldre"  # the first name reaches back
    assert name_on(ALDRAS, dt.date(2030, 1, 1)) == "Samverkansgrupp att åldras"  # the last one forward


def test_a_month_has_a_name_only_when_it_held_one_the_whole_month() -> None:
    assert name_on(ALDRAS, YearMonth(year=2024, month=2)) == "Samverkansgrupp Äldre"
    assert name_on(ALDRAS, YearMonth(year=2024, month=3)) == "Samverkansgrupp att åldras"
    renamed_mid_month = _forum(_name("Gamla"), _name("Nya", "2024-02-15"))
    assert name_on(renamed_mid_month, YearMonth(year=2024, month=2)) is None
    assert forum_name(renamed_mid_month, YearMonth(year=2024, month=2)) == "Gruppen nu"


def test_an_undated_change_names_no_day_and_the_document_falls_back() -> None:
    undated = _forum(_name("Samverkansgrupp Äldre"), _name("Samverkansgrupp att åldras"), heading="Rubriken")
    february = YearMonth(year=2024, month=2)
    assert name_on(undated, february) is None and name_on(undated, dt.date(2021, 3, 5)) is None
    assert forum_heading(undated, february) == "Rubriken"  # the name it was written with
    assert forum_name(undated, february) == "Gruppen nu"  # its name now


def test_one_undated_name_holds_on_every_day() -> None:
    only = _forum(_name("Enda namnet"))
    assert name_on(only, dt.date(1990, 1, 1)) == name_on(only, dt.date(2090, 1, 1)) == "Enda namnet"


def test_a_gap_between_dated_names_names_nobody() -> None:
    gap = _forum(_name("Först", end="2021-12-31"), _name("Sedan", "2022-06-01"))
    assert name_on(gap, dt.date(2021, 12, 31)) == "Först"
    assert name_on(gap, dt.date(2022, 3, 1)) is None
    assert name_on(gap, dt.date(2022, 6, 1)) == "Sedan"


def test_without_names_or_date_the_registry_keeps_its_name_and_heading() -> None:
    assert name_on(LSVO, dt.date(2023, 6, 16)) is None and name_on(ALDRAS, None) is None
    assert forum_name(LSVO, dt.date(2023, 6, 16)) == "Ledningssamverkan vård och omsorg"
    assert forum_heading(LSVO, dt.date(2023, 6, 16)) == "LSVO"  # protocol.heading's default: the id
    assert forum_heading(ALDRAS, None) == "Samverkansgrupp Äldre"


def test_the_heading_and_decision_phrase_follow_the_date() -> None:
    assert forum_heading(ALDRAS, dt.date(2024, 3, 8)) == "Samverkansgrupp att åldras"
    assert decision_phrase(ALDRAS, dt.date(2024, 3, 8)) == "Samverkansgrupp att åldras beslutar"
    assert decision_phrase(ALDRAS, dt.date(2024, 2, 8)) == "Samverkansgrupp Äldre beslutar"
    assert decision_phrase(LSVO, dt.date(2024, 3, 8)) == "LSVO beslutar"  # its own phrase stays


@pytest.mark.parametrize(
    "text",
    [
        "att-aldras",
        "ATT-ALDRAS",
        "Samverkansgrupp att åldras",
        "samverkansgrupp  ATT\u00a0åldras ",
        "Samverkansgrupp Äldre",
        "att åldras",
        "Att a\u030aldras",  # "å" written as "a" and a combining ring, as some PDFs give it
    ],
)
def test_a_forum_is_found_by_its_id_any_name_or_alias(text: str) -> None:
    found = resolve_forum(RENAMED, text)
    assert found is not None and found.id == "att-aldras"


def test_an_unknown_or_ambiguous_text_names_no_forum() -> None:
    assert resolve_forum(RENAMED, "Samverkansgrupp Vuxna") is None
    assert resolve_forum(RENAMED, "") is None
    shared = organisation_from(
        {"forums": [{"id": "a", "name": "A", "aliases": ["Gruppen"]}, {"id": "b", "name": "B", "aliases": ["gruppen"]}]}
    )
    assert resolve_forum(shared, "Gruppen") is None
    assert [f.id for f in forums_called(shared, "Gruppen")] == ["a", "b"]
    assert [f.id for f in forums_called(shared, "a")] == ["a"]  # an id comes before any name


def test_names_that_contradict_each_other_are_found() -> None:
    assert list(name_period_problems([_name("A", "2020-01-01", "2019-12-31")])) == [
        (0, "from", "namnet 'A' gäller från 2020-01-01, efter sin sista dag 2019-12-31")
    ]
    overlapping = [_name("A", end="2022-06-30"), _name("B", "2022-06-01")]
    assert [(i, key) for i, key, _ in name_period_problems(overlapping)] == [(1, "from")]
    out_of_order = [_name("A", "2023-01-01"), _name("B", end="2021-12-31")]
    assert [(i, key) for i, key, _ in name_period_problems(out_of_order)] == [(1, "until")]


def test_names_in_order_or_undated_are_no_problem() -> None:
    assert not list(name_period_problems([_name("A", end="2021-12-31"), _name("B", "2022-01-01"), _name("C")]))
    assert not list(name_period_problems([_name("A"), _name("B")]))


_DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


@given(changes=st.lists(_DAYS, min_size=1, max_size=4, unique=True), day=_DAYS)
def test_names_dated_by_their_changes_give_every_day_exactly_one_name(changes: list[dt.date], day: dt.date) -> None:
    starts = sorted(changes)
    names = [_name("namn 0"), *(_name(f"namn {i}", start.isoformat()) for i, start in enumerate(starts, start=1))]
    forum = _forum(*names)
    expected = f"namn {sum(1 for start in starts if start <= day)}"
    assert not list(name_period_problems(names))
    assert name_on(forum, day) == expected
