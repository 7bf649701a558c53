"""SB020 § numbering, SB021 quorum, SB022 notice, SB023 attendance, SB024 deferrals, SB025 kinds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sb_cli.core.meetings import attendance, has_decisions, name_key, quorum
from sb_cli.core.model import Corpus, Document, Finding, Severity
from sb_cli.core.refs import item_label, iter_items, refers_to
from sb_cli.core.rules import Context, finding


def _numbers(document: Document) -> list[tuple[int, int]]:
    """(item index, number) of the top-level items, in document order."""
    items = document.get("items")
    if not isinstance(items, list):
        return []
    return [(i, it["number"]) for i, it in enumerate(items)
            if isinstance(it, dict) and isinstance(it.get("number"), int)]


def check_numbering(corpus: Corpus, context: Context) -> Iterator[Finding]:
    by_year: dict[tuple[str, int], list[Document]] = defaultdict(list)
    for document in corpus.protocols():
        numbers = _numbers(document)
        if document.get("numbering") == "list":
            yield from _sequence(document, numbers, expected=1)
            continue
        day = document.date("meeting", "date")
        if day is not None and isinstance(document.get("forum"), str):
            by_year[(document.get("forum"), day.year)].append(document)
        else:
            yield from _sequence(document, numbers, expected=None)
    for (_forum, _year), protocols in sorted(by_year.items()):
        protocols.sort(key=lambda d: (d.date("meeting", "date"), d.path))
        previous: Document | None = None
        last: int | None = None
        for document in protocols:
            numbers = _numbers(document)
            if last is not None and numbers and numbers[0][1] != last + 1 and previous is not None:
                index, first = numbers[0]
                if first <= last:
                    message = f"§ {first} finns redan i {previous.id} (som slutar på § {last})"
                else:
                    message = (f"§ {first} följer på § {last} i {previous.id}: "
                               f"§ {last + 1}–{first - 1} saknas")
                yield finding(document, "SB020", Severity.ERROR, message, "items", index, "number")
                yield from _sequence(document, numbers, expected=None)
            else:
                yield from _sequence(document, numbers, expected=None)
            if numbers:
                last, previous = max(last or 0, numbers[-1][1]), document


def _sequence(document: Document, numbers: list[tuple[int, int]], expected: int | None
              ) -> Iterator[Finding]:
    """Numbers inside one protocol run on by one (from `expected` when given)."""
    seen: set[int] = set()
    for index, number in numbers:
        if number in seen:
            yield finding(document, "SB020", Severity.ERROR,
                          f"punkt {number} förekommer två gånger", "items", index, "number")
        elif expected is not None and number != expected:
            message = (f"punkt {number} kommer efter {expected - 1}: numreringen har en lucka"
                       if number > expected else f"punkt {number} står i fel ordning")
            yield finding(document, "SB020", Severity.ERROR, message, "items", index, "number")
        seen.add(number)
        expected = number + 1


def check_quorum(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        forum = corpus.organisation.forums.get(document.get("forum"))
        day = document.date("meeting", "date")
        if forum is None or day is None or not forum.quorum_per or not forum.roster(day):
            continue
        if document.get("attendance", "present") is None:
            continue
        if not any(has_decisions(item) for _p, item, _n in iter_items(document)):
            continue
        present = {name_key(name) for _path, name in attendance(document, "present")}
        for group in quorum(forum, corpus.organisation, day, present):
            if not group.met:
                yield finding(
                    document, "SB021", Severity.ERROR,
                    f"beslut utan beslutsförhet: {group.present} av {group.voting} röstberättigade "
                    f"ledamöter ({group.label}) närvarande; fler än hälften krävs",
                    "attendance", "present")


def check_notice(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.documents:
        if document.type != "kallelse":
            continue
        forum = corpus.organisation.forums.get(document.get("forum"))
        sent, day = document.date("sent"), document.date("meeting", "date")
        if forum is None or forum.agenda_notice_days is None or sent is None or day is None:
            continue
        if (day - sent).days < forum.agenda_notice_days:
            yield finding(document, "SB022", Severity.WARNING,
                          f"kallelsen skickades {sent}, {(day - sent).days} dagar före mötet; "
                          f"{forum.id} kräver minst {forum.agenda_notice_days} dagar", "sent")


def check_attendance(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        forum = corpus.organisation.forums.get(document.get("forum"))
        day = document.date("meeting", "date")
        if forum is None or day is None:
            continue
        roster = {name_key(m.name) for m in forum.roster(day)}
        present = {name_key(n) for _p, n in attendance(document, "present")}
        for group in ("present", "absent"):
            for path, name in attendance(document, group):
                if roster and name_key(name) not in roster:
                    yield finding(document, "SB023", Severity.WARNING,
                                  f"{name} finns inte bland {forum.id}:s ledamöter {day}", *path,
                                  hint="lägg till personen i organisation.yaml eller under 'others'")
                if group == "absent" and name_key(name) in present:
                    yield finding(document, "SB023", Severity.WARNING,
                                  f"{name} står både som närvarande och frånvarande", *path)


def check_deferrals(corpus: Corpus, context: Context) -> Iterator[Finding]:
    meetings: dict[tuple[str, object], list[Document]] = defaultdict(list)
    for document in corpus.protocols():
        meetings[(document.get("forum"), document.date("meeting", "date"))].append(document)
    for document in corpus.protocols():
        for path, item, parent in iter_items(document):
            day = item.get("deferred_to")
            later = meetings.get((document.get("forum"), document.date(*path, "deferred_to")), [])
            if not later or not isinstance(day, str):
                continue
            number = parent if parent is not None else item.get("number")
            letter = item.get("letter") if parent is not None else None
            title = name_key(str(item.get("title", "")))
            if not any(
                refers_to(other.get("follows_up"), document, number, letter)
                or name_key(str(other.get("title", ""))) == title
                for target in later for _p, other, _n in iter_items(target)
            ):
                label = item_label(document, number, letter) if isinstance(number, int) else "punkten"
                yield finding(document, "SB024", Severity.WARNING,
                              f"{label} flyttades till {day}, men {later[0].id} tar inte upp den",
                              *path, "deferred_to")


def check_kinds(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        for path, item, _parent in iter_items(document):
            kind = item.get("kind")
            if not isinstance(kind, str):
                continue
            decides = "B" in kind.split("/")
            if decides and not has_decisions(item):
                yield finding(document, "SB025", Severity.ERROR,
                              f"beslutsärende (kind {kind}) utan beslut", *path, "kind",
                              hint="lägg till beslut under 'decisions' eller ändra 'kind'")
            elif has_decisions(item) and not decides:
                yield finding(document, "SB025", Severity.ERROR,
                              f"beslut i ett ärende av slag {kind}, inte B", *path, "decisions",
                              hint="sätt kind: B (eller t.ex. B/D)")
