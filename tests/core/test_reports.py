"""The reports as pure functions over small corpora."""

import datetime as dt

from sb_cli.core import arshjul, reports
from sb_cli.core.calendar import events
from tests.builders import avtal, corpus, protokoll, rutin

D = dt.date


def test_expiring_says_when_an_agreement_renews():
    rows = reports.expiring(corpus(avtal(valid_until="2026-12-31")), D(2026, 11, 22), 90)
    assert len(rows) == 1
    row = rows[0]
    assert (row["effective_end"], row["next_notice_deadline"]) == ("2028-12-31", "2027-12-31")
    assert (row["event"], row["event_date"], row["days_left"]) == ("förlängning", "2026-12-31", 39)
    assert row["note"] == "förlängs automatiskt till 2028-12-31"


def test_expiring_lists_a_close_notice_deadline_and_leaves_out_distant_ones():
    close = reports.expiring(corpus(avtal(valid_until="2027-03-31", review_by="2027-01-01")), D(2026, 3, 1), 90)
    assert [(r["event"], r["event_date"]) for r in close] == [("uppsägning", "2026-03-31")]
    assert reports.expiring(corpus(avtal()), D(2026, 3, 1), 90) == []


def test_expiring_shows_what_has_ended():
    rows = reports.expiring(
        corpus(avtal(valid_until="2026-01-31", review_by="2026-01-01", renewal=0)), D(2026, 3, 1), 90
    )
    assert [(r["event"], r["state"]) for r in rows] == [("upphörde", "expired")]


def test_overdue_lists_only_passed_review_dates():
    rows = reports.overdue(corpus(rutin(review_by="2026-01-01")), D(2026, 3, 1))
    assert [(r["id"], r["days_overdue"]) for r in rows] == [("r", 59)]
    assert reports.overdue(corpus(rutin(review_by="2026-03-01")), D(2026, 3, 1)) == []


def test_decisions_open_followed_up_and_waiting():
    first = protokoll(item_extra=", kind: B, decisions: [{text: återrapportera, responsible: Kim, due: 2026-02-01}]")
    second = protokoll("LSVO-2026-02-13", "2026-02-13", (2,), item_extra=', kind: I, follows_up: "LSVO-2026-01-16 §1"')
    assert [r["status"] for r in reports.decisions(corpus(first), D(2026, 3, 1))] == ["öppen"]
    rows = reports.decisions(corpus(first, second), D(2026, 3, 1))
    assert [(r["status"], r["followed_up_by"]) for r in rows] == [("uppföljt", "LSVO-2026-02-13 §2")]
    assert [r["status"] for r in reports.decisions(corpus(first), D(2026, 1, 20))] == ["väntar"]
    assert reports.decisions(corpus(first, second), D(2026, 3, 1), open_only=True) == []


def test_deferrals_are_lost_taken_up_or_waiting():
    deferred = protokoll(item_extra=", kind: I, deferred_to: 2026-02-13")
    later = protokoll("LSVO-2026-02-13", "2026-02-13", (2,))
    lost = reports.decisions(corpus(deferred, later.replace("Punkt 2", "Annat")), D(2026, 3, 1), open_only=True)
    assert [r["status"] for r in lost] == ["tappad"]
    kept = reports.decisions(corpus(deferred, later.replace("Punkt 2", "Punkt 1")), D(2026, 3, 1))
    assert [r["status"] for r in kept] == ["uppföljt"]
    assert [r["status"] for r in reports.decisions(corpus(deferred), D(2026, 2, 1))] == ["väntar"]
    assert [r["status"] for r in reports.decisions(corpus(deferred), D(2026, 3, 1))] == ["protokoll saknas"]


def test_adoption_per_party():
    agreement = corpus(avtal(adopted="[{party: karlskrona, by: Kommunfullmäktige, date: 2024-01-21}]"))
    rows = reports.adoption(agreement, D(2024, 2, 1))
    assert [(r["party"], r["adopted"]) for r in rows] == [("region-blekinge", False), ("karlskrona", True)]
    assert not any(r["adopted"] for r in reports.adoption(agreement, D(2024, 1, 20)))


WHEEL = """id: w
type: arshjul
title: Årshjul
owner: LSVO
status: utkast
version: "0.1"
events:
  - {title: Möten, forum: LSVO, duty: moten}
  - {title: Uppföljning, forum: LSVO, duty: uppfoljning, document: a, month: 6}
  - {title: Verksamhetsplan, forum: LSVO, duty: verksamhetsplan}
"""


def test_arshjul_duties_met_missing_and_pending():
    followed = avtal().replace("adopted:", "followed_up: [{date: 2025-05-20, by: LSVO}]\nadopted:")
    rows = arshjul.duties(corpus(WHEEL, followed, protokoll()), 2025, D(2026, 3, 1))
    assert [(r["duty"], r["status"]) for r in rows] == [
        ("moten", "saknas"),
        ("uppfoljning", "uppfyllt"),
        ("verksamhetsplan", "saknas"),
    ]
    pending = arshjul.duties(corpus(WHEEL, followed), 2026, D(2026, 3, 1))
    assert [r["status"] for r in pending] == ["pågår", "pågår", "pågår"]
    meetings = "\n".join(protokoll(f"LSVO-2026-{m:02d}-10", f"2026-{m:02d}-10", (m,)) for m in range(1, 2))
    assert "1 möten (krav 8–10)" in arshjul.duties(corpus(WHEEL, meetings), 2026, D(2027, 1, 1))[0]["detail"]


def test_calendar_events_carry_the_report_dates_with_stable_uids():
    found = events(corpus(avtal(valid_until="2026-12-31"), protokoll(), WHEEL), D(2026, 11, 22))
    by_uid = {e.uid.split("@")[0]: e for e in found}
    assert by_uid["uppsagning-a"].start == D(2027, 12, 31)
    assert by_uid["slut-a"].start == D(2028, 12, 31)
    assert by_uid["revision-a"].start == D(2028, 1, 1)
    assert by_uid["mote-LSVO-2026-01-16"].start == D(2026, 1, 16)
    assert by_uid["arshjul-w-1-2026"].start == D(2026, 6, 1)  # only the event that has a month
    assert {e.uid for e in found} == {
        e.uid for e in events(corpus(avtal(valid_until="2026-12-31"), protokoll(), WHEEL), D(2026, 12, 1))
    }
