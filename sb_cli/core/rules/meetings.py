"""SB020 § numbering, SB021 quorum, SB022 notice, SB023 attendance, SB024 deferrals, SB025 kinds,
SB026 att-clauses, SB027 a kallelse's time and place."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from sb_cli.core.meetings import meeting_order, name_key, quorum, roster_during
from sb_cli.core.model import Corpus, Document, Finding, Path_, Severity
from sb_cli.core.records import Decision, Forum, Kallelse, Paper, Protocol, Record, When
from sb_cli.core.refs import Point, item_label, iter_items, points_with, refers_to
from sb_cli.core.rules.base import Compares, Context, Rule, Scope
from sb_cli.core.words import days


def _numbers(protocol: Protocol) -> list[tuple[int, int]]:
    """(item index, number) of the top-level items, in document order."""
    return [(index, item.number) for index, item in enumerate(protocol.items)]


def check_numbering(corpus: Corpus, context: Context) -> Iterator[Finding]:
    by_year: dict[tuple[str, int], list[Document[Protocol]]] = defaultdict(list)
    for document in corpus.protocols():
        record = document.record
        held = record.meeting.when
        if record.numbering != "list" and held is not None:
            by_year[(record.forum, held.year)].append(document)
        else:  # items numbered from 1, or paragraphs of a meeting without a date: within the protocol only
            yield from _sequence(document, _numbers(record), expected=1 if record.numbering == "list" else None)
    for key in sorted(by_year):
        yield from _year_sequence(by_year[key])


def _year_sequence(documents: list[Document[Protocol]]) -> Iterator[Finding]:
    """The paragraphs of a forum's protocols of one year run on from one meeting to the next."""
    protocols = sorted(documents, key=lambda d: (meeting_order(d.record.meeting), d.path))
    previous: Document[Protocol] | None = None
    last: int | None = None
    for document in protocols:
        numbers = _numbers(document.record)
        if last is not None and previous is not None and numbers and numbers[0][1] != last + 1:
            yield _broken_run(document, numbers[0], previous, last)
        yield from _sequence(document, numbers, expected=None)
        if numbers:
            last, previous = max(last or 0, numbers[-1][1]), document


def _broken_run(
    document: Document[Protocol], opening: tuple[int, int], previous: Document[Protocol], last: int
) -> Finding:
    index, first = opening
    if first <= last:
        message = f"§ {first} finns redan i {previous.id} (som slutar på § {last})"
    else:
        gap = f"§ {last + 1}" if first - 1 == last + 1 else f"§ {last + 1}–{first - 1}"
        message = f"§ {first} följer på § {last} i {previous.id}: {gap} saknas"
    return SB020.at(document, message, "items", index, "number")


def _sequence(document: Document[Protocol], numbers: list[tuple[int, int]], expected: int | None) -> Iterator[Finding]:
    """Numbers inside one protocol run on by one (from `expected` when given)."""
    seen: set[int] = set()
    for index, number in numbers:
        if number in seen:
            yield SB020.at(document, f"punkt {number} förekommer två gånger", "items", index, "number")
        elif expected is not None and number != expected:
            message = (
                f"punkt {number} kommer efter {expected - 1}: numreringen har en lucka"
                if number > expected
                else f"punkt {number} står i fel ordning"
            )
            yield SB020.at(document, message, "items", index, "number")
        seen.add(number)
        expected = number + 1


SB020 = Rule(
    "SB020",
    Severity.ERROR,
    "Fel i paragrafnumreringen",
    "Paragraferna i ett forums protokoll under ett kalenderår har en lucka eller en dubblett, eller "
    "punkterna i ett protokoll med punktnumrering börjar inte på 1 och löper på ett i taget.",
    "Rätta numret så att paragraferna löper på utan luckor; det första protokollet i samlingen för "
    "ett år får börja på vilket nummer som helst.",
    Scope.CORPUS,
    check_numbering,
    frozenset({Compares.MEETINGS}),
)


def check_quorum(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        record = document.record
        forum = corpus.organisation.forums.get(record.forum)
        day = record.meeting.when
        if forum is None or day is None or record.attendance.present is None or not _counts_quorum(record, forum, day):
            continue
        present = {name_key(person.name) for person in record.attendance.present}
        for group in quorum(forum, corpus.organisation, day, present):
            if not group.met:
                yield SB021.at(
                    document,
                    f"beslut utan beslutsförhet: {group.present} av {group.voting} röstberättigade "
                    f"ledamöter ({group.label}) närvarande; fler än hälften krävs",
                    "attendance",
                    "present",
                )


def _counts_quorum(record: Protocol, forum: Forum, day: When) -> bool:
    """Quorum is checked where the forum has a rule and members that day (for a month: the same
    members every day of it), and the meeting decided."""
    if forum.quorum is None or not roster_during(forum, day):
        return False
    return any(p.point.decisions for p in iter_items(record))


SB021 = Rule(
    "SB021",
    Severity.ERROR,
    "Beslut utan beslutsförhet",
    "Protokollet har beslut, men färre än hälften av de röstberättigade ledamöterna av varje "
    "huvudmannatyp (eller part) var närvarande.",
    "Kontrollera närvarolistan; saknades beslutsförhet ska besluten tas om.",
    Scope.DOCUMENT,
    check_quorum,
)


def check_notice(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.kallelser():
        record = document.record
        forum = corpus.organisation.forums.get(record.forum)
        sent, day = record.sent, record.meeting.date
        if forum is None or forum.agenda_notice_days is None or sent is None or day is None:
            continue
        if (day - sent).days < forum.agenda_notice_days:
            yield SB022.at(
                document,
                f"kallelsen skickades {sent}, {days((day - sent).days)} före mötet; "
                f"{forum.id} kräver minst {days(forum.agenda_notice_days)}",
                "sent",
            )


SB022 = Rule(
    "SB022",
    Severity.WARNING,
    "Kallelsen skickades för sent",
    "Kallelsen skickades senare än forumets agenda_notice_days före mötet.",
    "Skicka kallelsen i tid, eller notera i protokollet att mötet godkände den sena kallelsen.",
    Scope.DOCUMENT,
    check_notice,
)


def check_time_and_place(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.kallelser():
        meeting = document.record.meeting
        missing = [word for word, value in (("tid", meeting.start), ("plats", meeting.place)) if not value]
        if missing:
            yield SB027.at(
                document,
                f"kallelsen saknar {' och '.join(missing)} för mötet",
                "meeting",
                hint='fyll i meeting.start och meeting.place, t.ex. start: "13:00", place: via Teams',
            )


SB027 = Rule(
    "SB027",
    Severity.WARNING,
    "Kallelse utan tid eller plats",
    "En kallelse saknar mötets starttid (meeting.start) eller plats (meeting.place), så den säger inte "
    "när eller var mötet hålls.",
    "Fyll i meeting.start och meeting.place innan kallelsen skickas.",
    Scope.DOCUMENT,
    check_time_and_place,
)


def check_attendance(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        record = document.record
        forum = corpus.organisation.forums.get(record.forum)
        day = record.meeting.when
        if forum is None or day is None:
            continue
        yield from _attendance_findings(document, forum, day)


def _attendance_findings(document: Document[Protocol], forum: Forum, day: When) -> Iterator[Finding]:
    """Names not on the forum's roster that day (for a month: only when the roster is the same all
    month), and names both present and absent."""
    record = document.record
    roster = {name_key(member.name) for member in roster_during(forum, day) or ()}
    present_list = record.attendance.present or ()
    present = {name_key(person.name) for person in present_list}
    for group, people in (("present", present_list), ("absent", record.attendance.absent)):
        for index, person in enumerate(people):
            if roster and name_key(person.name) not in roster:
                yield _not_a_member(document, forum, day, group, index, person.name)
            if group == "absent" and name_key(person.name) in present:
                yield _present_and_absent(document, index, person.name)


def _not_a_member(document: Document[Protocol], forum: Forum, day: When, group: str, index: int, name: str) -> Finding:
    nearest = nearest_name(name, [member.name for member in roster_during(forum, day) or ()])
    return SB023.at(
        document,
        f"{name} finns inte bland {forum.id}:s ledamöter {day.isoformat()}"
        + (f"; menade du '{nearest}'?" if nearest else ""),
        "attendance",
        group,
        index,
        hint="lägg till personen i organisation.yaml eller under 'others'",
    )


def nearest_name(name: str, roster: list[str]) -> str | None:
    """The roster's name closest to `name` as written ("Bodil Sundlöf" for "Bodil Sundlof"), or None."""
    import difflib

    by_key = {name_key(member): member for member in roster}
    close = difflib.get_close_matches(name_key(name), list(by_key), n=1, cutoff=0.8)
    return by_key[close[0]] if close else None


def _present_and_absent(document: Document[Protocol], index: int, name: str) -> Finding:
    return SB023.at(document, f"{name} står både som närvarande och frånvarande", "attendance", "absent", index)


SB023 = Rule(
    "SB023",
    Severity.WARNING,
    "Okänd eller dubbelt angiven deltagare",
    "Ett namn under present eller absent finns inte bland forumets ledamöter på mötesdagen, eller "
    "står både som närvarande och frånvarande. Övriga deltagare (others) kontrolleras inte.",
    "Rätta namnet, lägg till ledamoten i organisation.yaml, eller för personen till 'others'.",
    Scope.DOCUMENT,
    check_attendance,
)


def check_deferrals(corpus: Corpus, context: Context) -> Iterator[Finding]:
    meetings: dict[tuple[str, dt.date], list[Document[Protocol]]] = defaultdict(list)
    for document in corpus.protocols():
        if document.record.meeting.date is not None:
            meetings[(document.record.forum, document.record.meeting.date)].append(document)
    for document in corpus.protocols():
        record = document.record
        for point in points_with(record, "deferred_to"):
            day = point.point.deferred_to
            later = meetings.get((record.forum, day), []) if day is not None else []
            if not later:
                continue
            if not _taken_up(record, point, later):
                label = item_label(record, point.number, point.letter)
                yield SB024.at(
                    document,
                    f"{label} flyttades till {day}, men {later[0].id} tar inte upp den",
                    *point.path,
                    "deferred_to",
                )


def _taken_up(record: Protocol, point: Point, later: list[Document[Protocol]]) -> bool:
    """Whether a later protocol has an item that follows the point up or has its title."""
    title = name_key(point.point.title)
    return any(
        refers_to(other.point.follows_up, record.id, point.number, point.letter) or name_key(other.point.title) == title
        for target in later
        for other in iter_items(target.record)
    )


SB024 = Rule(
    "SB024",
    Severity.WARNING,
    "Bordlagd punkt som tappats bort",
    "En punkt flyttades (deferred_to) till ett möte vars protokoll finns, men det protokollet har "
    "ingen punkt som följer upp den (follows_up) eller har samma rubrik.",
    "Ta upp punkten på mötet den flyttades till, med follows_up som pekar på den, eller flytta den igen.",
    Scope.CORPUS,
    check_deferrals,
    frozenset({Compares.MEETINGS, Compares.IDS}),
)


def check_kinds(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        for point in iter_items(document.record):
            item = point.point
            if item.kind is None:
                continue
            if item.decides and not item.decisions:
                yield SB025.at(
                    document,
                    f"beslutsärende (kind {item.kind}) utan beslut",
                    *point.path,
                    "kind",
                    hint="lägg till beslut under 'decisions' eller ändra 'kind'",
                )
            elif item.decisions and not item.decides:
                yield SB025.at(
                    document,
                    f"beslut i ett ärende av slag {item.kind}, inte B",
                    *point.path,
                    "decisions",
                    hint="sätt kind: B (eller t.ex. B/D)",
                )


SB025 = Rule(
    "SB025",
    Severity.ERROR,
    "Beslut och ärendeslag stämmer inte",
    "Ett beslutsärende (kind B) saknar beslut, eller ett ärende som inte är B har beslut.",
    "Skriv besluten under 'decisions', eller ändra 'kind'.",
    Scope.DOCUMENT,
    check_kinds,
)


_ATT = re.compile(r"\s*att(?:\s|$)", re.IGNORECASE)


def check_att(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """Att-clauses are printed after "att": one that begins with the word itself prints "att att"."""
    for document in corpus.documents:
        record = document.record
        if isinstance(record, Protocol | Kallelse):
            for point in iter_items(record):
                for key in ("decisions", "proposed_decisions"):
                    yield from _doubled_att(document, getattr(point.point, key), (*point.path, key))
        elif isinstance(record, Paper):
            yield from _doubled_att(document, record.proposed_decisions, ("proposed_decisions",))


def _doubled_att(document: Document[Record], decisions: tuple[Decision, ...], path: Path_) -> Iterator[Finding]:
    for index, decision in enumerate(decisions):
        if _ATT.match(decision.text):
            yield SB026.at(
                document,
                f"att-satsen börjar med ”att” och skrivs ut som ”att {' '.join(decision.text.split())}”",
                *path,
                index,
                hint="ta bort ”att” i början: det skrivs ut framför varje beslut",
            )


SB026 = Rule(
    "SB026",
    Severity.WARNING,
    "Beslut som börjar med ”att”",
    "Varje beslut (att-sats) skrivs ut efter ordet ”att”; en text som själv börjar med ”att” blir ”att att …”.",
    "Skriv beslutet utan ”att” i början.",
    Scope.DOCUMENT,
    check_att,
)
