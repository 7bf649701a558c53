"""The meeting rules SB020–SB025 beyond their basic cases: list numbering, protocols without a date,
the order across a year, forums without settings, and documents that each rule must pass over
before it reaches the one it reports (code, severity, file, line, column, message, hint)."""

from sb_cli.core.model import Corpus
from sb_cli.core.organisation import organisation_from
from sb_cli.core.rules import Context, meetings
from sb_cli.io.yamlpos import parse_yaml
from tests.builders import AS_OF, ORGANISATION, document, protokoll
from tests.conftest import CASES

# The registry of the cases, with a forum that has members but no quorum and no notice period.
AU = """  - id: AU
    name: Arbetsutskottet
    members:
      - {name: Rut Region, party: region-blekinge}
      - {name: Kim Kommun, party: karlskrona}
"""
WITH_AU = organisation_from(parse_yaml((CASES / "organisation.yaml").read_text("utf-8") + AU).data)
DECIDES = ", kind: B, decisions: [godkänna]"
ATTENDANCE_HINT = "lägg till personen i organisation.yaml eller under 'others'"


def found(check, *texts, organisation=ORGANISATION):
    built = tuple(document(text, f"documents/d{i}.yaml") for i, text in enumerate(texts))
    out = check(Corpus.of(built, organisation), Context(as_of=AS_OF))
    return [(f.code, f.severity.value, f.path, f.line, f.column, f.message, f.hint, f.document) for f in out]


def e(code, line, column, message, path="documents/d0.yaml", doc="LSVO-2026-01-16", hint=None):
    severity = {"SB020": "error", "SB021": "error", "SB022": "warning", "SB023": "warning", "SB024": "warning"}[code]
    return (code, severity, path, line, column, message, hint, doc)


def listed(numbers, id_="att-aldras-2026-01"):
    """A protocol of att-aldras, whose items are numbered from 1 at every meeting."""
    text = protokoll(id_, numbers=numbers, item_extra="")
    return text.replace("forum: LSVO", "forum: att-aldras").replace("numbering: paragraph", "numbering: list")


def kallelse(id_, sent, forum="LSVO", day="2026-03-13"):
    sent_line = f"sent: {sent}\n" if sent else ""
    return f"id: {id_}\ntype: kallelse\ntitle: K\nforum: {forum}\nmeeting: {{date: {day}}}\n{sent_line}items: []\n"


def test_list_numbering_starts_at_1_and_runs_on_by_one():
    doc = "att-aldras-2026-01"
    assert found(meetings.check_numbering, listed((1, 3, 2, 2))) == [
        e("SB020", 9, 6, "punkt 3 kommer efter 1: numreringen har en lucka", doc=doc),
        e("SB020", 10, 6, "punkt 2 står i fel ordning", doc=doc),
        e("SB020", 11, 6, "punkt 2 förekommer två gånger", doc=doc),
    ]
    assert found(meetings.check_numbering, listed((2, 3))) == [
        e("SB020", 8, 6, "punkt 2 kommer efter 0: numreringen har en lucka", doc=doc)
    ]
    # Each list protocol starts again at 1, whatever the one before ended on.
    assert found(meetings.check_numbering, listed((1, 2)), listed((1,), "att-aldras-2026-02")) == []


def test_a_protocol_without_a_date_is_checked_on_its_own():
    undated = protokoll(day="null", numbers=(4, 4, 6))
    assert found(meetings.check_numbering, protokoll(numbers=(1, 2)), undated) == [
        e("SB020", 9, 6, "punkt 4 förekommer två gånger", path="documents/d1.yaml"),
        e("SB020", 10, 6, "punkt 6 kommer efter 4: numreringen har en lucka", path="documents/d1.yaml"),
    ]


def test_paragraphs_run_on_in_the_order_of_the_meetings_not_of_the_files():
    february = protokoll("LSVO-2026-02-13", "2026-02-13", (3,))
    assert found(meetings.check_numbering, february, protokoll(numbers=(1, 2))) == []
    assert found(
        meetings.check_numbering, protokoll("LSVO-2026-02-13", "2026-02-13", (1,)), protokoll(numbers=(1, 2))
    ) == [e("SB020", 8, 6, "§ 1 finns redan i LSVO-2026-01-16 (som slutar på § 2)", doc="LSVO-2026-02-13")]


def test_a_paragraph_that_was_used_already_or_a_gap_of_several():
    january = protokoll(numbers=(1, 2))
    again = protokoll("LSVO-2026-02-13", "2026-02-13", (2, 3))
    assert found(meetings.check_numbering, january, again) == [
        e(
            "SB020",
            8,
            6,
            "§ 2 finns redan i LSVO-2026-01-16 (som slutar på § 2)",
            "documents/d1.yaml",
            "LSVO-2026-02-13",
        )
    ]
    gap = protokoll("LSVO-2026-02-13", "2026-02-13", (5,))
    assert found(meetings.check_numbering, january, gap) == [
        e("SB020", 8, 6, "§ 5 följer på § 2 i LSVO-2026-01-16: § 3–4 saknas", "documents/d1.yaml", "LSVO-2026-02-13")
    ]


def test_a_protocol_without_items_does_not_end_the_year_and_a_new_year_starts_anew():
    empty = protokoll("LSVO-2026-02-13", "2026-02-13", ()).replace("items:\n", "items: []\n")
    march = protokoll("LSVO-2026-03-13", "2026-03-13", (3,))
    assert found(meetings.check_numbering, protokoll(numbers=(1, 2)), empty, march) == []
    december = protokoll("LSVO-2025-12-12", "2025-12-12", (90,))
    assert found(meetings.check_numbering, december, protokoll(numbers=(1,))) == []


def test_quorum_passes_over_what_it_cannot_judge():
    three = "[Rut Region, Rolf Region, Kim Kommun]"
    texts = (
        protokoll(present=three, item_extra=DECIDES).replace("forum: LSVO", "forum: OKAND"),  # unknown forum
        protokoll(present=three, item_extra=DECIDES, day="null"),  # no date
        protokoll(item_extra=DECIDES),  # no attendance
        protokoll(present=three),  # no decisions
        protokoll(present="[Rut Region]", item_extra=DECIDES).replace("forum: LSVO", "forum: AU"),  # no quorum rule
        protokoll(present=three, item_extra=DECIDES),
    )
    assert found(meetings.check_quorum, *texts, organisation=WITH_AU) == [
        e(
            "SB021",
            7,
            14,
            "beslut utan beslutsförhet: 1 av 3 röstberättigade ledamöter (kommun) närvarande; fler än hälften krävs",
            path="documents/d5.yaml",
        )
    ]


def test_late_notice_passes_over_what_it_cannot_judge():
    texts = (
        kallelse("k0", "2026-03-12", forum="OKAND"),
        kallelse("k1", None),
        kallelse("k2", "2026-03-12", day="null"),
        kallelse("k3", "2026-03-12", forum="AU"),  # AU has no notice period
        kallelse("k4", "2026-03-12"),
    )
    assert found(meetings.check_notice, *texts, organisation=WITH_AU) == [
        e(
            "SB022",
            6,
            1,
            "kallelsen skickades 2026-03-12, 1 dag före mötet; LSVO kräver minst 7 dagar",
            path="documents/d4.yaml",
            doc="k4",
        )
    ]


def test_attendance_names_unknown_people_with_a_hint_and_passes_over_unknown_forums():
    texts = (
        protokoll(present="[Okänd]").replace("forum: LSVO", "forum: OKAND"),
        protokoll(present="[Okänd]", day="null"),
        protokoll(present="[Rut Region, Okänd], absent: [Rut Region, Ingen]"),
    )
    assert found(meetings.check_attendance, *texts) == [
        e(
            "SB023",
            7,
            36,
            "Okänd finns inte bland LSVO:s ledamöter 2026-01-16",
            "documents/d2.yaml",
            hint=ATTENDANCE_HINT,
        ),
        e("SB023", 7, 53, "Rut Region står både som närvarande och frånvarande", "documents/d2.yaml"),
        e(
            "SB023",
            7,
            65,
            "Ingen finns inte bland LSVO:s ledamöter 2026-01-16",
            "documents/d2.yaml",
            hint=ATTENDANCE_HINT,
        ),
    ]


def test_an_unknown_name_suggests_the_nearest_name_on_the_roster():
    assert found(meetings.check_attendance, protokoll(present="[Ronja Roneby, Kjell Kommun]")) == [
        e(
            "SB023",
            7,
            24,
            "Ronja Roneby finns inte bland LSVO:s ledamöter 2026-01-16; menade du 'Ronja Ronneby'?",
            hint=ATTENDANCE_HINT,
        ),
        e("SB023", 7, 38, "Kjell Kommun finns inte bland LSVO:s ledamöter 2026-01-16", hint=ATTENDANCE_HINT),
    ]


def test_nearest_name_tolerates_a_missing_accent_and_case_but_not_another_person():
    roster = ["Bodil Sundlöf", "Martin Åsman", "Mats Wennstig"]
    assert meetings.nearest_name("Bodil Sundlof", roster) == "Bodil Sundlöf"
    assert meetings.nearest_name("martin asman", roster) == "Martin Åsman"
    assert meetings.nearest_name("Karin Berg", roster) is None
    assert meetings.nearest_name("Bodil Sundlof", []) is None


def test_a_deferred_subitem_is_taken_up_by_a_follow_up_that_names_its_letter():
    deferred = protokoll(item_extra=", subitems: [{letter: a, title: Sub, deferred_to: 2026-02-13}]")

    def february(follows_up):
        return protokoll("LSVO-2026-02-13", "2026-02-13", (2,), item_extra=f', follows_up: "{follows_up}"')

    assert found(meetings.check_deferrals, deferred, february("LSVO-2026-01-16 §1a")) == []
    lost = e("SB024", 8, 68, "LSVO-2026-01-16 §1a flyttades till 2026-02-13, men LSVO-2026-02-13 tar inte upp den")
    assert found(meetings.check_deferrals, deferred, february("LSVO-2026-01-16 §1")) == [lost]
    assert found(meetings.check_deferrals, deferred, february("LSVO-2026-01-16 §2a")) == [lost]
    assert found(meetings.check_deferrals, deferred, february("LSVO-2025-01-16 §1a")) == [lost]


def test_sb026_reads_the_proposed_decisions_of_a_paper_and_a_kallelse():
    paper = (
        "id: f\ntype: foredragning\ntitle: F\nforum: LSVO\n"
        "proposed_decisions:\n  - ATT anta planen\n  - anta budgeten\n"
    )
    kallelse = (
        "id: k\ntype: kallelse\ntitle: K\nforum: LSVO\nmeeting: {date: 2026-01-16}\n"
        "items:\n  - {number: 1, title: T, kind: B, proposed_decisions: [att fastställa]}\n"
    )
    got = found(meetings.check_att, paper, kallelse)
    assert [(f[0], f[1], f[2], f[3], f[4], f[7]) for f in got] == [
        ("SB026", "warning", "documents/d0.yaml", 6, 5, "f"),
        ("SB026", "warning", "documents/d1.yaml", 7, 57, "k"),
    ]
    assert got[0][5] == "att-satsen börjar med ”att” och skrivs ut som ”att ATT anta planen”"
    assert got[0][6] == "ta bort ”att” i början: det skrivs ut framför varje beslut"
