"""The list's filters as pure functions: the --status words, the known parties and owners."""

from __future__ import annotations

import datetime as dt

import pytest

from sb_cli.core import catalog
from sb_cli.core.catalog import StatusFilter, listing, resolve, status_filter
from tests.builders import avtal, corpus, protokoll, rutin

AS_OF = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("word", "states", "statuses"),
    [
        ("gäller", {"in_force"}, set()),
        ("  Gäller ", {"in_force"}, set()),
        ("galler", {"in_force"}, set()),
        ("in_force", {"in_force"}, set()),
        ("in-force", {"in_force"}, set()),
        ("löper ut", {"expiring"}, set()),
        ("loper_ut", {"expiring"}, set()),
        ("löper  ut", {"expiring"}, set()),
        ("revision försenad", {"review_overdue"}, set()),
        ("upphört", {"expired"}, set()),
        ("utkast", {"draft", "utkast"}, set()),
        ("draft", {"draft"}, set()),
        ("upphävd", {"repealed"}, {"upphavd"}),
        ("upphavd", {"repealed"}, {"upphavd"}),
        ("remiss", set(), {"remiss"}),
        ("beslutad", set(), {"beslutad"}),
        ("justerat", {"justerat"}, set()),
    ],
)
def test_status_words(word: str, states: set[str], statuses: set[str]) -> None:
    assert status_filter(word) == StatusFilter(frozenset(states), frozenset(statuses))


@pytest.mark.parametrize("word", ["", "giltig", "in force now", "löper", "x_y"])
def test_unknown_status_words(word: str) -> None:
    assert status_filter(word) is None


def test_a_status_filter_keeps_a_document_by_its_state_or_its_status() -> None:
    draft = status_filter("utkast")
    assert draft is not None
    assert draft.keeps("remiss", "draft") and draft.keeps(None, "utkast")
    assert not draft.keeps("beslutad", "in_force") and not draft.keeps(None, "justerat")
    remiss = status_filter("remiss")
    assert remiss is not None and remiss.keeps("remiss", "draft") and not remiss.keeps("utkast", "draft")


def test_listing_filters_by_the_words_the_table_shows() -> None:
    found = corpus(rutin(review_by="2026-01-01"), avtal(), protokoll())
    wanted = status_filter("revision försenad")
    assert [r["id"] for r in listing(found, AS_OF, 90, status_=wanted)] == ["r"]
    assert [r["id"] for r in listing(found, AS_OF, 90, status_=status_filter("gäller"))] == ["a"]
    assert [r["id"] for r in listing(found, AS_OF, 90, status_=status_filter("utkast"))] == ["LSVO-2026-01-16"]
    assert len(listing(found, AS_OF, 90)) == 3


def test_known_parties_and_owners_come_from_the_registry_and_the_documents() -> None:
    found = corpus(rutin(owner="okand-agare"), avtal())
    parties = catalog.known_parties(found)
    owners = catalog.known_owners(found)
    assert {"region-blekinge", "karlskrona"} <= set(parties) and "LSVO" not in parties
    assert set(found.organisation.parties) <= set(parties)
    assert {"LSVO", "okand-agare", "region-blekinge"} <= set(owners)
    assert set(found.organisation.forums) | set(found.organisation.parties) <= set(owners)
    assert owners == sorted(owners, key=str.casefold)


def test_resolve_finds_an_id_exactly_or_but_for_case() -> None:
    known = ["LSVO", "karlskrona", "Ab", "aB"]
    assert resolve("LSVO", known) == "LSVO"
    assert resolve("lsvo", known) == "LSVO"
    assert resolve(" Karlskrona ", known) == "karlskrona"
    assert resolve("ab", known) is None  # two ids differ only by case: neither is guessed
    assert resolve("Ab", known) == "Ab"
    assert resolve("karlskorna", known) is None


def test_the_list_dates_a_meeting_by_its_day_or_else_its_month() -> None:
    rows = listing(corpus(protokoll("LSVO-2026-02", day="2026-02"), protokoll()), AS_OF, 90)
    assert {row["id"]: row["date"] for row in rows} == {"LSVO-2026-02": "2026-02", "LSVO-2026-01-16": "2026-01-16"}
