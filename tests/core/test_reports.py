"""The reports as pure functions over small corpora."""

import datetime as dt

from sb_cli.core import arshjul, reports
from sb_cli.core.calendar import events
from tests.builders import avtal, corpus, protokoll, rutin, wheel

D = dt.date


def test_expiring_says_when_an_agreement_renews():
    rows = reports.expiring(corpus(avtal(valid_until="2026-12-31")), D(2026, 11, 22), 90)
    assert len(rows) == 1
    row = rows[0]
    assert (row["effective_end"], row["next_notice_deadline"]) == ("2028-12-31", "2027-12-31")
    assert (row["event"], row["event_date"], row["days_left"]) == ("förlängs", "2026-12-31", 39)
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


WHEEL = wheel(
    "{title: Möten, forum: LSVO, duty: moten}",
    "{title: Uppföljning, forum: LSVO, duty: uppfoljning, document: a, month: 6}",
    "{title: Verksamhetsplan, forum: LSVO, duty: verksamhetsplan}",
)


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
    assert "1 möte (krav 8–10)" in arshjul.duties(corpus(WHEEL, meetings), 2026, D(2027, 1, 1))[0]["detail"]


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


# --- whole rows ---------------------------------------------------------------------------------

PARTIES = ["region-blekinge", "karlskrona"]


def agreement(id_="a", valid_until="2026-12-31", renewal=24, notice=12, review_by="2028-01-01", extra="", **kw):
    text = avtal(valid_until=valid_until, review_by=review_by, renewal=renewal, **kw)
    text = text.replace("id: a\n", f"id: {id_}\n").replace("notice_months: 12", f"notice_months: {notice}")
    return text.replace("adopted:", f"{extra}adopted:") if extra else text


def expiring_row(id_, valid_until, effective_end, deadline, state, days_left, event, event_date, renewed, note, **kw):
    return {
        "id": id_,
        "title": "Avtal",
        "type": kw.get("type", "overenskommelse"),
        "owner": "LSVO",
        "parties": PARTIES,
        "valid_until": valid_until,
        "effective_end": effective_end,
        "next_notice_deadline": deadline,
        "state": state,
        "days_left": days_left,
        "event": event,
        "event_date": event_date,
        "renewed": renewed,
        "note": note,
    }


def test_expiring_a_renewal_exactly_on_as_of_and_exactly_at_the_end_of_the_window():
    renews = corpus(agreement())
    renewal = ("2026-12-31", "2028-12-31", "2027-12-31", "in_force")
    note = "förlängs automatiskt till 2028-12-31"
    assert reports.expiring(renews, D(2026, 12, 31), 90) == [
        expiring_row("a", *renewal, 0, "förlängs", "2026-12-31", True, note)
    ]
    assert reports.expiring(renews, D(2026, 10, 2), 90) == [
        expiring_row("a", *renewal, 90, "förlängs", "2026-12-31", True, note)
    ]
    assert reports.expiring(renews, D(2026, 10, 2), 89) == []


def test_expiring_a_notice_deadline_of_an_agreement_that_has_renewed():
    rows = reports.expiring(corpus(agreement()), D(2027, 12, 1), 60)
    assert rows == [
        expiring_row(
            "a",
            "2026-12-31",
            "2028-12-31",
            "2027-12-31",
            "expiring",
            30,
            "uppsägning",
            "2027-12-31",
            True,
            "förlängs automatiskt till 2028-12-31",
        )
    ]


def test_expiring_a_renewal_before_the_notice_deadline_when_notice_is_longer_than_renewal():
    rows = reports.expiring(corpus(agreement(renewal=3)), D(2027, 1, 15), 90)
    assert rows == [
        expiring_row(
            "a",
            "2026-12-31",
            "2028-03-31",
            "2027-03-31",
            "expiring",
            75,
            "förlängs",
            "2027-03-31",
            True,
            "förlängs automatiskt till 2028-03-31",
        )
    ]


def test_expiring_notice_end_and_ended_sorted_by_date_then_id():
    found = corpus(
        rutin(),
        agreement("e", valid_until="2027-03-31", review_by="2027-01-01").replace("status: beslutad", "status: utkast"),
        agreement("f", valid_until="2029-12-31"),
        agreement("d", valid_until="2027-03-31", review_by="2027-01-01"),
        agreement("b", valid_until="2026-04-30", renewal=None, review_by="2026-01-01").replace(
            "type: overenskommelse", "type: avtal"
        ),
        agreement("c", valid_until="2027-03-31", review_by="2027-01-01"),
        agreement("a", valid_until="2026-01-31", renewal=None, review_by="2026-01-01"),
    )
    notice = ("2027-03-31", "2027-03-31", "2026-03-31", "expiring", 30, "uppsägning", "2026-03-31", False, "")
    assert reports.expiring(found, D(2026, 3, 1), 90) == [
        expiring_row(
            "a",
            "2026-01-31",
            "2026-01-31",
            None,
            "expired",
            -29,
            "upphörde",
            "2026-01-31",
            False,
            "upphörde 2026-01-31",
        ),
        expiring_row("c", *notice),
        expiring_row("d", *notice),
        expiring_row(
            "b", "2026-04-30", "2026-04-30", None, "expiring", 60, "upphör", "2026-04-30", False, "", type="avtal"
        ),
    ]


def test_expiring_terminated_agreements():
    late = "terminated: {date: 2026-02-01, by: karlskrona}\n"
    renewed_once = corpus(agreement(extra=late))
    assert reports.expiring(renewed_once, D(2026, 11, 22), 90) == [
        expiring_row(
            "a",
            "2026-12-31",
            "2028-12-31",
            None,
            "in_force",
            39,
            "förlängs",
            "2026-12-31",
            True,
            "uppsagt 2026-02-01; upphör 2028-12-31",
        )
    ]
    in_time = "terminated: {date: 2024-06-01, by: region-blekinge}\n"
    ended = corpus(agreement(valid_until="2025-12-31", review_by="2025-06-01", extra=in_time))
    assert reports.expiring(ended, D(2026, 3, 1), 90) == [
        expiring_row(
            "a",
            "2025-12-31",
            "2025-12-31",
            None,
            "expired",
            -60,
            "upphörde",
            "2025-12-31",
            False,
            "uppsagt 2024-06-01; upphör 2025-12-31",
        )
    ]
    assert reports.expiring(ended, D(2025, 10, 2), 90) == [
        expiring_row(
            "a",
            "2025-12-31",
            "2025-12-31",
            None,
            "expiring",
            90,
            "upphör",
            "2025-12-31",
            False,
            "uppsagt 2024-06-01; upphör 2025-12-31",
        )
    ]


def overdue_row(id_, review_by, days, *, contact=None, type_="rutin", parties=(), version="1.0"):
    return {
        "id": id_,
        "title": "Avtal" if type_ == "overenskommelse" else "Rutin",
        "type": type_,
        "owner": "LSVO",
        "parties": list(parties),
        "review_by": review_by,
        "contact": contact,
        "days_overdue": days,
        "version": version,
    }


def test_overdue_whole_rows_longest_overdue_first_then_by_id():
    def routine(id_, review_by, extra=""):
        return rutin(review_by=review_by).replace("id: r\n", f"id: {id_}\n").replace("owner:", f"{extra}owner:")

    found = corpus(
        routine("z", "2026-02-01"),
        routine("on-the-day", "2026-03-01"),
        routine("utkast", "2025-01-01").replace("status: beslutad", "status: utkast"),
        routine("b", "2026-02-01", 'contact: "Kim Kommun"\nversion: "2.1"\n').replace('version: "1.0"\n', ""),
        agreement("avtal", valid_until="2029-12-31", review_by="2025-12-01"),
        routine("a", "2026-01-01"),
    )
    assert reports.overdue(found, D(2026, 3, 1)) == [
        overdue_row("avtal", "2025-12-01", 90, type_="overenskommelse", parties=PARTIES),
        overdue_row("a", "2026-01-01", 59),
        overdue_row("b", "2026-02-01", 28, contact="Kim Kommun", version="2.1"),
        overdue_row("z", "2026-02-01", 28),
    ]


FIRST = """id: LSVO-2026-01-16
type: protokoll
title: P
forum: LSVO
meeting: {date: 2026-01-16}
numbering: paragraph
items:
  - number: 1
    title: Plan
    kind: B
    decisions: [anta planen, {text: återrapportera, responsible: Kim Kommun, due: 2026-02-01}]
  - number: 2
    title: Uppdrag
    kind: B
    decisions:
      - informera parterna
      - {text: rapportera, responsible: Rut Region, due: 2026-02-28}
      - {text: utreda, due: 2026-03-01}
  - {number: 3, title: Budget, kind: I, deferred_to: 2026-02-13}
  - {number: 4, title: Lokaler, kind: I, deferred_to: 2026-02-13}
  - {number: 5, title: Avtal, kind: I, deferred_to: 2026-02-13}
  - {number: 6, title: Rekrytering, kind: I, deferred_to: 2026-03-01}
  - {number: 7, title: Statistik, kind: I, deferred_to: 2026-02-20}
  - number: 8
    title: Rutiner
    kind: I
    subitems:
      - {letter: a, title: Ny rutin, kind: B, decisions: [{text: ta fram rutin, due: 2026-01-31}]}
      - {letter: b, title: Gammal rutin, kind: B, decisions: [avveckla]}
      - {letter: c, title: Rutin c, kind: I, deferred_to: 2026-04-10}
"""

SECOND = """id: LSVO-2026-02-13
type: protokoll
title: P
forum: LSVO
meeting: {date: 2026-02-13}
numbering: paragraph
items:
  - {number: 4, title: Återrapport, kind: I, follows_up: "LSVO-2026-01-16 §1"}
  - {number: 5, title: BUDGET, kind: I}
  - number: 6
    title: Uppföljning
    kind: I
    subitems:
      - {letter: a, title: Rutin, kind: I, follows_up: "LSVO-2026-01-16 §8a"}
  - {number: 9, title: Avtalet, kind: I, follows_up: "LSVO-2026-01-16 §5"}
  - {number: 10, title: Framtid, kind: B, decisions: [{text: återkomma, due: 2026-05-01}]}
"""

OTHER_FORUM = """id: att-aldras-2026-02-13
type: protokoll
title: P
forum: att-aldras
meeting: {date: 2026-02-13}
numbering: list
items:
  - {number: 1, title: Lokaler, kind: I}
"""


def decision_row(protocol, reference, item, text, status, *, kind="beslut", responsible=None, due=None, by=None):
    forum = "att-aldras" if protocol.startswith("att-aldras") else "LSVO"
    meeting = protocol.removeprefix("att-aldras-").removeprefix("LSVO-")
    return {
        "protocol": protocol,
        "forum": forum,
        "meeting": meeting if meeting[:1].isdigit() else None,
        "reference": f"{protocol} {reference}",
        "item": item,
        "kind": kind,
        "text": text,
        "responsible": responsible,
        "due": due,
        "followed_up_by": by,
        "status": status,
    }


def deferral_row(protocol, reference, item, to, status, by=None):
    return decision_row(protocol, reference, item, f"flyttad till {to}", status, kind="bordlagd", due=to, by=by)


P1, P2 = "LSVO-2026-01-16", "LSVO-2026-02-13"
ALL_DECISIONS = [
    decision_row(P1, "§1", "Plan", "att anta planen", "uppföljt", by=f"{P2} §4"),
    decision_row(
        P1, "§1", "Plan", "att återrapportera", "uppföljt", responsible="Kim Kommun", due="2026-02-01", by=f"{P2} §4"
    ),
    decision_row(P1, "§2", "Uppdrag", "att informera parterna", "inget datum"),
    decision_row(P1, "§2", "Uppdrag", "att rapportera", "öppen", responsible="Rut Region", due="2026-02-28"),
    decision_row(P1, "§2", "Uppdrag", "att utreda", "väntar", due="2026-03-01"),
    deferral_row(P1, "§3", "Budget", "2026-02-13", "uppföljt", by=f"{P2} §5"),
    deferral_row(P1, "§4", "Lokaler", "2026-02-13", "tappad"),
    deferral_row(P1, "§5", "Avtal", "2026-02-13", "uppföljt", by=f"{P2} §9"),
    deferral_row(P1, "§6", "Rekrytering", "2026-03-01", "väntar"),
    deferral_row(P1, "§7", "Statistik", "2026-02-20", "protokoll saknas"),
    decision_row(P1, "§8a", "Ny rutin", "att ta fram rutin", "uppföljt", due="2026-01-31", by=f"{P2} §6a"),
    decision_row(P1, "§8b", "Gammal rutin", "att avveckla", "inget datum"),
    deferral_row(P1, "§8c", "Rutin c", "2026-04-10", "väntar"),
    decision_row(P2, "§10", "Framtid", "att återkomma", "väntar", due="2026-05-01"),
]


def test_decisions_and_deferrals_as_whole_rows():
    found = corpus(SECOND, OTHER_FORUM, FIRST)
    assert reports.decisions(found, D(2026, 3, 1)) == ALL_DECISIONS
    assert reports.decisions(found, D(2026, 3, 1), open_only=True) == [ALL_DECISIONS[3], ALL_DECISIONS[6]]


def test_decisions_without_the_later_protocols():
    rows = reports.decisions(corpus(FIRST), D(2026, 3, 2))
    assert [(r["reference"], r["followed_up_by"], r["status"]) for r in rows] == [
        (f"{P1} §1", None, "inget datum"),
        (f"{P1} §1", None, "öppen"),
        (f"{P1} §2", None, "inget datum"),
        (f"{P1} §2", None, "öppen"),
        (f"{P1} §2", None, "öppen"),
        (f"{P1} §3", None, "protokoll saknas"),
        (f"{P1} §4", None, "protokoll saknas"),
        (f"{P1} §5", None, "protokoll saknas"),
        (f"{P1} §6", None, "protokoll saknas"),
        (f"{P1} §7", None, "protokoll saknas"),
        (f"{P1} §8a", None, "öppen"),
        (f"{P1} §8b", None, "inget datum"),
        (f"{P1} §8c", None, "väntar"),
    ]


LIST_FIRST = """id: att-aldras-2026-01-10
type: protokoll
title: P
forum: att-aldras
meeting: {date: 2026-01-10}
numbering: list
items:
  - number: 9
    title: Samverkan
    kind: B
    decisions: [{text: samordna, due: 2026-01-31}]
    subitems:
      - {letter: a, title: Inbjudan, kind: B, decisions: [{text: bjuda in, responsible: Ronja Ronneby}]}
      - {letter: b, title: Hemtjänst, kind: I, deferred_to: 2026-02-14}
"""

LIST_SECOND = """id: att-aldras-2026-02-14
type: protokoll
title: P
forum: att-aldras
meeting: {date: 2026-02-14}
numbering: list
items:
  - {number: 2, title: hemtjänst, kind: I}
  - {number: 3, title: Inbjudan, kind: I, follows_up: att-aldras-2026-01-10 9a}
"""

UNDATED = """id: LSVO-odaterat
type: protokoll
title: P
forum: LSVO
meeting: {date: null}
numbering: paragraph
items:
  - {number: 1, title: Beslut, kind: B, decisions: [besluta]}
  - {number: 2, title: Ekonomi, kind: I, deferred_to: 2026-01-20}
"""

LATER = """id: LSVO-2026-01-20
type: protokoll
title: P
forum: LSVO
meeting: {date: 2026-01-20}
numbering: paragraph
items:
  - {number: 1, title: Beslut, kind: B, decisions: [anta]}
  - {number: 7, title: EKONOMI, kind: I}
"""


def test_decisions_with_list_numbering_and_without_a_meeting_date_sorted_by_meeting():
    found = corpus(LATER, LIST_SECOND, LIST_FIRST, UNDATED)
    a1, a2, odaterat = "att-aldras-2026-01-10", "att-aldras-2026-02-14", "LSVO-odaterat"
    assert reports.decisions(found, D(2026, 3, 1)) == [
        decision_row(odaterat, "§1", "Beslut", "att besluta", "inget datum"),
        deferral_row(odaterat, "§2", "Ekonomi", "2026-01-20", "uppföljt", by="LSVO-2026-01-20 §7"),
        decision_row(a1, "9", "Samverkan", "att samordna", "öppen", due="2026-01-31"),
        decision_row(a1, "9a", "Inbjudan", "att bjuda in", "uppföljt", responsible="Ronja Ronneby", by=f"{a2} 3"),
        deferral_row(a1, "9b", "Hemtjänst", "2026-02-14", "uppföljt", by=f"{a2} 2"),
        decision_row("LSVO-2026-01-20", "§1", "Beslut", "att anta", "inget datum"),
    ]


def adoption_row(id_, party, *, title="Avtal", status="beslutad", by=None, date=None, diarienummer=None, name=None):
    names = {"region-blekinge": "Region Blekinge", "karlskrona": "Karlskrona kommun", "ronneby": "Ronneby kommun"}
    return {
        "id": id_,
        "title": title,
        "status": status,
        "party": party,
        "party_name": names.get(party, party),
        "adopted": date is not None,
        "by": by,
        "date": date,
        "diarienummer": diarienummer,
    }


def test_adoption_whole_rows_up_to_and_including_as_of():
    adopted = (
        "[{party: region-blekinge, date: 2024-02-01, by: Regionfullmäktige, diarienummer: RB-1},"
        " {party: karlskrona, date: 2024-01-21, by: Kommunstyrelsen},"
        " {party: karlskrona, date: 2024-03-01, by: Kommunfullmäktige, diarienummer: KK-9},"
        " {party: ronneby, date: 2024-01-01}]"
    )
    draft = (
        agreement("b", adopted="[]")
        .replace("status: beslutad", "status: utkast")
        .replace("type: overenskommelse", "type: avtal")
        .replace("[region-blekinge, karlskrona]", "[ronneby, vaxjo]")
    )
    found = corpus(rutin(), agreement("a", adopted=adopted), draft)
    region = {"by": "Regionfullmäktige", "date": "2024-02-01", "diarienummer": "RB-1"}
    untouched = [adoption_row("b", "ronneby", status="utkast"), adoption_row("b", "vaxjo", status="utkast")]
    assert reports.adoption(found, D(2024, 1, 31)) == [
        adoption_row("a", "region-blekinge"),
        adoption_row("a", "karlskrona", by="Kommunstyrelsen", date="2024-01-21"),
        *untouched,
    ]
    assert reports.adoption(found, D(2024, 2, 1)) == [
        adoption_row("a", "region-blekinge", **region),
        adoption_row("a", "karlskrona", by="Kommunstyrelsen", date="2024-01-21"),
        *untouched,
    ]
    assert reports.adoption(found, D(2024, 3, 1)) == [  # the later of two adoptions by the same party
        adoption_row("a", "region-blekinge", **region),
        adoption_row("a", "karlskrona", by="Kommunfullmäktige", date="2024-03-01", diarienummer="KK-9"),
        *untouched,
    ]
    assert reports.adoption(corpus(rutin()), D(2024, 3, 1)) == []


def test_decisions_are_ordered_by_item_number_as_a_number():
    numbers = (4, 10, 9)
    first = protokoll(numbers=numbers, item_extra=", kind: B, decisions: [beslut]")
    rows = reports.decisions(corpus(first), D(2026, 3, 1))
    assert [r["reference"] for r in rows] == ["LSVO-2026-01-16 §4", "LSVO-2026-01-16 §9", "LSVO-2026-01-16 §10"]
