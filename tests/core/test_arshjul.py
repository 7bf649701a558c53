"""The årshjul's duties as a pure function: every duty met, missing or pending, as whole rows."""

import datetime as dt

import pytest

from sb_cli.core.arshjul import duties
from sb_cli.core.model import Corpus
from sb_cli.core.organisation import organisation_from
from sb_cli.io.yamlpos import parse_yaml
from tests.builders import AS_OF, avtal, corpus, document, protokoll, wheel

D = dt.date


def row(title, duty, status, evidence, detail, *, month=None, forum="LSVO", year=2025, arshjul="w"):
    return {
        "arshjul": arshjul,
        "year": year,
        "month": month,
        "title": title,
        "forum": forum,
        "duty": duty,
        "status": status,
        "evidence": evidence,
        "detail": detail,
    }


def plan(id_, type_="verksamhetsplan", owner="LSVO", decided="2025-12-15", valid_from="2026-01-01", status="beslutad"):
    decided_line = f"decided: {{by: {owner}, date: {decided}}}\n" if decided else ""
    valid_line = f"valid_from: {valid_from}\n" if valid_from else ""
    review = "review_by: 2027-01-01\n" if status == "beslutad" else ""
    return (
        f'id: {id_}\ntype: {type_}\ntitle: Plan\nowner: {owner}\nstatus: {status}\nversion: "1.0"\n'
        f"{decided_line}{valid_line}{review}"
    )


def paper(id_, type_="arsrapport", forum="LSVO", owner=None, date="2026-02-10", year=None):
    lines = [f"id: {id_}", f"type: {type_}", "title: Rapport", f"date: {date}"]
    lines += [f"forum: {forum}"] if forum else []
    lines += [f"owner: {owner}"] if owner else []
    lines += [f"year: {year}"] if year else []
    return "\n".join(lines) + "\n"


def kallelse(id_, day, forum="LSVO"):
    return f"id: {id_}\ntype: kallelse\ntitle: K\nforum: {forum}\nmeeting: {{date: {day}}}\nitems: []\n"


def test_a_plan_counts_in_the_year_it_was_decided_by_the_forum_that_owns_it():
    found = corpus(
        wheel(
            "{title: VP, forum: LSVO, duty: verksamhetsplan, month: 1}",
            "{title: HP, forum: LSVO, duty: handlingsplan, month: 2}",
        ),
        plan("vp-2025"),  # decided 2025-12-15, in force from 2026: counts for 2025
        plan("vp-utkast", status="utkast", decided=None, valid_from="2025-03-01"),  # no decision: valid_from counts
        plan("vp-odaterad", status="utkast", decided=None, valid_from=None),
        plan("vp-annan", owner="att-aldras", decided="2025-02-01", valid_from="2025-03-01"),
        plan("vp-2024", decided="2024-12-01", valid_from="2025-01-01"),
        plan("hp-2026", type_="handlingsplan", decided="2026-01-10", valid_from="2026-02-01"),
    )
    assert duties(found, 2025, D(2026, 3, 1)) == [
        row("VP", "verksamhetsplan", "uppfyllt", ["vp-2025", "vp-utkast"], "verksamhetsplan beslutad 2025", month=1),
        row("HP", "handlingsplan", "saknas", [], "ingen handlingsplan från 2025", month=2),
    ]
    assert duties(found, 2026, D(2026, 1, 31)) == [
        row("VP", "verksamhetsplan", "pågår", [], "ingen verksamhetsplan från 2026", month=1, year=2026),
        row("HP", "handlingsplan", "uppfyllt", ["hp-2026"], "handlingsplan beslutad 2026", month=2, year=2026),
    ]


def test_an_annual_report_counts_by_its_year_or_else_by_its_date():
    found = corpus(
        wheel("{title: Årsrapport, forum: LSVO, duty: arsrapport, month: 3}"),
        paper("via-year", year=2025, date="2026-02-10"),
        paper("via-date", forum=None, owner="LSVO", date="2025-12-20"),
        paper("other-year", year=2024, date="2024-12-20"),
        paper("other-forum", forum="att-aldras", date="2025-06-01"),
        paper("not-a-report", type_="foredragning", date="2025-06-01"),
        paper("undated", date="null"),
    )
    assert duties(found, 2025, D(2026, 3, 1)) == [
        row("Årsrapport", "arsrapport", "uppfyllt", ["via-year", "via-date"], "årsrapport finns", month=3)
    ]
    assert duties(found, 2023, D(2026, 3, 1)) == [
        row("Årsrapport", "arsrapport", "saknas", [], "ingen årsrapport från 2023", month=3, year=2023)
    ]


FOLLOWED = avtal().replace(
    "adopted:",
    "followed_up:\n"
    "  - {date: 2025-05-20, by: LSVO, ref: LSVO-2025-05-20 §4}\n"
    "  - {date: 2025-09-01, by: LSVO}\n"
    "  - {date: 2025-10-01, by: karlskrona, ref: LSVO-2025-10-01 §2}\n"
    "  - {date: 2024-05-01, by: LSVO}\n"
    "  - {date: 2025-11-01}\n"
    "adopted:",
)


def test_a_follow_up_is_read_from_the_followed_up_of_the_document_it_concerns():
    found = corpus(
        wheel(
            "{title: Uppföljning, forum: LSVO, duty: uppfoljning, document: a, month: 6}",
            "{title: Uppföljning saknas, forum: LSVO, duty: uppfoljning, document: saknas}",
            "{title: Uppföljning protokoll, forum: LSVO, duty: uppfoljning, document: LSVO-2026-01-16}",
            "{title: Uppföljning utan dokument, forum: LSVO, duty: uppfoljning}",
        ),
        FOLLOWED,
        protokoll(),
    )
    rows = duties(found, 2025, D(2025, 6, 30))
    assert rows[:3] == [
        row("Uppföljning", "uppfoljning", "uppfyllt", ["LSVO-2025-05-20 §4", "2025-09-01"], "uppföljd", month=6),
        row("Uppföljning saknas", "uppfoljning", "pågår", [], "ingen uppföljning av saknas 2025"),
        row("Uppföljning protokoll", "uppfoljning", "pågår", [], "ingen uppföljning av LSVO-2026-01-16 2025"),
    ]
    assert rows[3] == row(  # no document: nothing to check
        "Uppföljning utan dokument",
        "uppfoljning",
        "ej kontrollerad",
        [],
        "årshjulet anger inte vilket dokument som ska följas upp",
    )
    assert duties(found, 2024, D(2025, 1, 1))[0] == row(
        "Uppföljning", "uppfoljning", "uppfyllt", ["2024-05-01"], "uppföljd", month=6, year=2024
    )
    assert duties(found, 2026, D(2026, 7, 1))[0] == row(
        "Uppföljning", "uppfoljning", "saknas", [], "ingen uppföljning av a 2026", month=6, year=2026
    )


ORGANISATION = organisation_from(
    parse_yaml(
        """parties:
  - {id: region-blekinge, name: Region Blekinge, kind: region}
forums:
  - {id: LSVO, name: LSVO, meetings_per_year: {min: 2, max: 3}}
  - {id: bara-min, name: Bara min, meetings_per_year: {min: 2}}
  - {id: bara-max, name: Bara max, meetings_per_year: {max: 1}}
  - {id: fritt, name: Fritt}
"""
    ).data
)


def meetings_corpus(*texts):
    return Corpus.of(tuple(document(t, f"documents/d{i}.yaml") for i, t in enumerate(texts)), ORGANISATION)


MEETINGS_WHEEL = wheel(
    "{title: Möten, forum: LSVO, duty: moten}",
    "{title: Möten min, forum: bara-min, duty: moten}",
    "{title: Möten max, forum: bara-max, duty: moten}",
    "{title: Möten fritt, forum: fritt, duty: moten}",
    "{title: Möten okänt, forum: okant, duty: moten}",
    "{title: Möten utan forum, duty: moten}",
)


def meetings_rows(found, as_of=AS_OF):
    return [(r["title"], r["status"], r["evidence"], r["detail"]) for r in duties(found, 2025, as_of)]


def test_meetings_are_counted_per_forum_and_year_against_the_registry():
    found = meetings_corpus(
        MEETINGS_WHEEL,
        kallelse("k1", "2025-02-10"),
        protokoll("p1", "2025-02-10"),  # the same meeting as k1: counted once
        kallelse("k2", "2025-09-10"),
        kallelse("k-2024", "2024-12-10"),
        kallelse("k-annat", "2025-05-10", forum="fritt"),
        kallelse("k-min-1", "2025-03-01", forum="bara-min"),
        kallelse("k-max-1", "2025-03-01", forum="bara-max"),
        kallelse("k-odaterad", "null"),
    )
    assert duties(found, 2025, D(2026, 3, 1))[0] == row(
        "Möten", "moten", "uppfyllt", ["2025-02-10", "2025-09-10"], "2 möten (krav 2–3)"
    )
    assert meetings_rows(found)[1:] == [
        ("Möten min", "saknas", [], "1 möte (krav minst 2)"),
        ("Möten max", "uppfyllt", ["2025-03-01"], "1 möte (krav högst 1)"),
        ("Möten fritt", "ej kontrollerad", [], "1 möte; organisation.yaml anger inget krav (meetings_per_year)"),
        ("Möten okänt", "ej kontrollerad", [], "0 möten; organisation.yaml anger inget krav (meetings_per_year)"),
        ("Möten utan forum", "ej kontrollerad", [], "årshjulet anger inget forum"),
    ]


def test_meetings_at_the_bounds_of_the_requirement():
    def dated(forum, *days):
        return [kallelse(f"{forum}-{d}", d, forum=forum) for d in days]

    at_bounds = meetings_corpus(
        MEETINGS_WHEEL,
        *dated("LSVO", "2025-01-10", "2025-02-10", "2025-03-10"),
        *dated("bara-min", "2025-01-10", "2025-02-10"),
        *dated("bara-max", "2025-01-10"),
    )
    assert meetings_rows(at_bounds)[:3] == [
        ("Möten", "uppfyllt", ["2025-01-10", "2025-02-10", "2025-03-10"], "3 möten (krav 2–3)"),
        ("Möten min", "uppfyllt", ["2025-01-10", "2025-02-10"], "2 möten (krav minst 2)"),
        ("Möten max", "uppfyllt", ["2025-01-10"], "1 möte (krav högst 1)"),
    ]
    beyond = meetings_corpus(
        MEETINGS_WHEEL,
        *dated("LSVO", "2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10"),
        *dated("bara-min", "2025-01-10", "2025-02-10", "2025-03-10"),
        *dated("bara-max", "2025-01-10", "2025-02-10"),
    )
    assert meetings_rows(beyond, D(2025, 6, 1))[:3] == [
        ("Möten", "pågår", [], "4 möten (krav 2–3)"),
        ("Möten min", "uppfyllt", ["2025-01-10", "2025-02-10", "2025-03-10"], "3 möten (krav minst 2)"),
        ("Möten max", "pågår", [], "2 möten (krav högst 1)"),
    ]


def test_an_event_without_a_duty_is_not_checked():
    found = corpus(
        wheel("{title: Planeringsdag, forum: LSVO, month: 9}", "{title: Fika}"),
        plan("vp-2025"),
    )
    assert duties(found, 2025, D(2026, 3, 1)) == [
        row("Planeringsdag", None, "ej kontrollerad", [], "ingen uppgift att kontrollera", month=9),
        row("Fika", None, "ej kontrollerad", [], "ingen uppgift att kontrollera", forum=None),
    ]


@pytest.mark.parametrize(
    ("year", "month", "last_day"),
    [
        (2024, 2, D(2024, 2, 29)),
        (2025, 2, D(2025, 2, 28)),
        (2000, 2, D(2000, 2, 29)),
        (2100, 2, D(2100, 2, 28)),
        (2025, 1, D(2025, 1, 31)),
        (2025, 4, D(2025, 4, 30)),
        (2025, 12, D(2025, 12, 31)),
        (2025, None, D(2025, 12, 31)),
    ],
)
def test_a_duty_is_pending_up_to_the_last_day_of_its_month(year, month, last_day):
    event = "{title: HP, forum: LSVO, duty: handlingsplan" + (f", month: {month}}}" if month else "}")
    found = corpus(wheel(event))
    detail = f"ingen handlingsplan från {year}"
    assert duties(found, year, last_day) == [row("HP", "handlingsplan", "pågår", [], detail, month=month, year=year)]
    after = last_day + dt.timedelta(days=1)
    assert duties(found, year, after) == [row("HP", "handlingsplan", "saknas", [], detail, month=month, year=year)]


def test_the_duties_of_every_wheel_in_document_order():
    found = corpus(
        wheel("{title: Ett, forum: LSVO, duty: handlingsplan, month: 5}", id_="w2"),
        wheel("{title: Två, forum: LSVO, duty: handlingsplan, month: 4}", "{title: Tre, forum: LSVO}", id_="w1"),
    )
    assert duties(found, 2025, D(2025, 4, 30)) == [
        row("Ett", "handlingsplan", "pågår", [], "ingen handlingsplan från 2025", month=5, arshjul="w2"),
        row("Två", "handlingsplan", "pågår", [], "ingen handlingsplan från 2025", month=4, arshjul="w1"),
        row("Tre", None, "ej kontrollerad", [], "ingen uppgift att kontrollera", arshjul="w1"),
    ]
    assert duties(corpus(plan("vp-2025")), 2025, D(2025, 4, 30)) == []


def test_an_annual_report_counts_for_the_year_it_names_and_an_event_needs_a_forum():
    report = "id: ar\ntype: arsrapport\ntitle: Årsrapport\nforum: LSVO\ndate: 2025-02-10\nyear: 2024\n"
    found = corpus(
        wheel("{title: Årsrapport, forum: LSVO, duty: arsrapport}", "{title: Utan forum, duty: arsrapport}"), report
    )
    assert [(r["status"], r["evidence"]) for r in duties(found, 2024, D(2025, 3, 1))] == [
        ("uppfyllt", ["ar"]),
        ("ej kontrollerad", []),
    ]
    assert duties(found, 2025, D(2026, 3, 1))[0]["status"] == "saknas"  # dated 2025, but it accounts for 2024
    assert duties(found, 2025, D(2026, 3, 1))[1]["detail"] == "årshjulet anger inget forum"
