"""References between documents as pure functions: parsing, labels, lookup, resolving and collecting."""

import msgspec
import pytest

from sb_cli.core.model import Corpus
from sb_cli.core.refs import (
    Point,
    Reference,
    find_item,
    item_label,
    iter_items,
    parse_reference,
    referenced_ids,
    references,
    refers_to,
    resolve,
)
from tests.builders import ORGANISATION, avtal, corpus, document, protokoll, rutin, wheel

LIST_PROTOCOL = """id: att-aldras-2024-02
type: protokoll
title: P
forum: att-aldras
meeting: {date: 2024-02-08}
numbering: list
items:
  - {number: 8, title: Åtta, kind: I, follows_up: LSVO-2026-01-16}
  - number: 9
    title: Nio
    kind: I
    follows_up: LSVO-2026-01-16 §1
    subitems:
      - {letter: a, title: Nio a, kind: B, decisions: [gör], follows_up: r §2a}
      - {letter: b, title: Nio b}
"""

KALLELSE = """id: k
type: kallelse
title: K
forum: LSVO
meeting: {date: 2026-03-13}
items:
  - {number: 3, title: Tre, follows_up: LSVO-2026-01-16 §1}
  - number: 4
    title: Fyra
    subitems:
      - {letter: a, title: Fyra a, follows_up: "a"}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LSVO-2023-06-16", Reference("LSVO-2023-06-16")),
        ("  LSVO-2023-06-16  ", Reference("LSVO-2023-06-16")),
        ("LSVO-2023-06-16 §61", Reference("LSVO-2023-06-16", 61)),
        ("LSVO-2023-06-16 § 61", Reference("LSVO-2023-06-16", 61)),
        ("LSVO-2023-06-16  §61", Reference("LSVO-2023-06-16", 61)),
        ("LSVO-2023-06-16 §61a", Reference("LSVO-2023-06-16", 61, "a")),
        ("LSVO-2023-06-16 §61 a", Reference("LSVO-2023-06-16", 61, "a")),
        ("att-aldras-2024-02 9", Reference("att-aldras-2024-02", 9)),
        ("att-aldras-2024-02 9b", Reference("att-aldras-2024-02", 9, "b")),
        ("att-aldras-2024-02 9 b", Reference("att-aldras-2024-02", 9, "b")),
        ("a.b_c-d 0", Reference("a.b_c-d", 0)),
        ("x 007", Reference("x", 7)),
        ("", None),
        ("-x", None),
        ("x §", None),
        ("x §a", None),
        ("x 9A", None),
        ("x 9ab", None),
        ("x§9", None),
        ("x 9 a b", None),
        ("x y", None),
    ],
)
def test_parse_reference(text, expected):
    assert parse_reference(text) == expected


def test_item_label_for_both_numberings():
    paragraph = document(protokoll()).record
    listed = document(LIST_PROTOCOL).record
    kallelse = document(KALLELSE).record  # without a numbering of its own: paragraphs
    assert item_label(paragraph, 64) == "LSVO-2026-01-16 §64"
    assert item_label(paragraph, 71, "a") == "LSVO-2026-01-16 §71a"
    assert item_label(listed, 9) == "att-aldras-2024-02 9"
    assert item_label(listed, 9, "b") == "att-aldras-2024-02 9b"
    assert item_label(kallelse, 3) == "k §3"
    assert item_label(msgspec.structs.replace(kallelse, numbering="list"), 3) == "k 3"


def test_iter_items_yields_items_and_subitems_in_document_order():
    record = document(LIST_PROTOCOL).record
    eight, nine = record.items
    points = list(iter_items(record))
    assert points == [
        Point(("items", 0), eight, 8, None),
        Point(("items", 1), nine, 9, None),
        Point(("items", 1, "subitems", 0), nine.subitems[0], 9, "a"),
        Point(("items", 1, "subitems", 1), nine.subitems[1], 9, "b"),
    ]
    assert [p.is_subitem for p in points] == [False, False, True, True]


def test_find_item_by_number_and_letter():
    record = document(LIST_PROTOCOL).record
    nine = record.items[1]
    assert find_item(record, 8, None) is record.items[0]
    assert find_item(record, 9, None) is nine
    assert find_item(record, 9, "a") is nine.subitems[0]
    assert find_item(record, 9, "b") is nine.subitems[1]
    assert find_item(record, 9, "c") is None
    assert find_item(record, 8, "a") is None
    assert find_item(record, 7, None) is None


def test_resolve_says_why_a_reference_does_not_resolve():
    found = Corpus.of(
        (document(protokoll()), document(LIST_PROTOCOL, "documents/d1.yaml"), document(rutin(), "documents/d2.yaml")),
        ORGANISATION,
        unreadable_ids=frozenset({"trasig"}),
    )
    assert resolve(found, "LSVO-2026-01-16") is None
    assert resolve(found, "LSVO-2026-01-16 §1") is None
    assert resolve(found, "att-aldras-2024-02 9a") is None
    assert resolve(found, "trasig") is None
    assert resolve(found, "trasig §3") is None
    assert resolve(found, "r") is None
    assert resolve(found, "x §") == "'x §' är ingen giltig hänvisning (skriv t.ex. 'LSVO-2023-06-16 §64')"
    assert resolve(found, "saknas §2") == "hänvisningen 'saknas §2' pekar på dokumentet 'saknas' som inte finns"
    assert resolve(found, "LSVO-2026-01-16 §2") == (
        "hänvisningen 'LSVO-2026-01-16 §2': dokumentet 'LSVO-2026-01-16' har ingen punkt 2"
    )
    assert resolve(found, "att-aldras-2024-02 9c") == (
        "hänvisningen 'att-aldras-2024-02 9c': dokumentet 'att-aldras-2024-02' har ingen punkt 9c"
    )
    assert resolve(found, "r §1") == "hänvisningen 'r §1': dokumentet 'r' har ingen punkt 1"


def test_refers_to_compares_document_number_and_letter():
    assert refers_to("LSVO-2026-01-16 §1", "LSVO-2026-01-16", 1, None)
    assert refers_to("att-aldras-2024-02 9a", "att-aldras-2024-02", 9, "a")
    assert not refers_to("att-aldras-2024-02 9a", "att-aldras-2024-02", 9, None)
    assert not refers_to("att-aldras-2024-02 9", "att-aldras-2024-02", 9, "a")
    assert not refers_to("LSVO-2026-01-16 §1", "LSVO-2026-01-16", 2, None)
    assert not refers_to("LSVO-2026-01-16 §1", "LSVO-2026-02-13", 1, None)
    assert not refers_to("LSVO-2026-01-16", "LSVO-2026-01-16", 1, None)
    assert not refers_to(None, "LSVO-2026-01-16", 1, None)
    assert not refers_to("x §", "x", 1, None)


STYRDOKUMENT = rutin().replace(
    "decided: {by: LSVO, date: 2026-01-16}",
    'decided: {by: LSVO, date: 2026-01-16, ref: "LSVO-2026-01-16 §1"}\n'
    "supersedes: [old-1, old-2]\nsuperseded_by: new\n"
    "followed_up: [{date: 2026-05-01, ref: LSVO-2026-05-01 §4}, {date: 2026-06-01}, {date: 2026-07-01, ref: k §3}]",
)

WHEEL = wheel(
    "{title: Uppföljning, forum: LSVO, duty: uppfoljning, document: a}",
    "{title: Möten, forum: LSVO, duty: moten}",
    "{title: Uppföljning, forum: LSVO, duty: uppfoljning, document: r}",
    head="decided: {by: LSVO, date: 2026-01-16, ref: LSVO-2026-01-16 §1}\nsupersedes: w-2025\n"
    "followed_up: [{date: 2026-05-01, ref: LSVO-2026-05-01}]\n",
)

PAPER = """id: rapport
type: arsrapport
title: Årsrapport
forum: LSVO
date: 2026-02-01
"""


def test_references_of_every_record_type_as_written_and_in_order():
    assert references(document(STYRDOKUMENT).record) == [
        "LSVO-2026-01-16 §1",
        "old-1",
        "old-2",
        "new",
        "LSVO-2026-05-01 §4",
        "k §3",
    ]
    assert references(document(rutin()).record) == []
    undecided = (
        rutin().replace("status: beslutad", "status: utkast").replace("decided: {by: LSVO, date: 2026-01-16}\n", "")
    )
    assert document(undecided).record.decided is None
    assert references(document(undecided).record) == []
    assert references(document(avtal()).record) == []
    assert references(document(WHEEL).record) == ["LSVO-2026-01-16 §1", "w-2025", "LSVO-2026-05-01", "a", "r"]
    assert references(document(LIST_PROTOCOL).record) == ["LSVO-2026-01-16", "LSVO-2026-01-16 §1", "r §2a"]
    assert references(document(KALLELSE).record) == ["LSVO-2026-01-16 §1", "a"]
    assert references(document(protokoll()).record) == []
    assert references(document(PAPER).record) == []


def test_referenced_ids_are_the_documents_pointed_at():
    assert referenced_ids(document(STYRDOKUMENT).record) == {
        "LSVO-2026-01-16",
        "old-1",
        "old-2",
        "new",
        "LSVO-2026-05-01",
        "k",
    }
    assert referenced_ids(document(WHEEL).record) == {"LSVO-2026-01-16", "w-2025", "LSVO-2026-05-01", "a", "r"}
    assert referenced_ids(document(LIST_PROTOCOL).record) == {"LSVO-2026-01-16", "r"}
    assert referenced_ids(document(PAPER).record) == set()
    assert referenced_ids(corpus(KALLELSE).documents[0].record) == {"LSVO-2026-01-16", "a"}


def test_referenced_ids_leave_out_what_does_not_parse():
    record = document(rutin()).record
    broken = msgspec.structs.replace(record, supersedes=("ok", "-bad", "x §"))
    assert references(broken) == ["ok", "-bad", "x §"]
    assert referenced_ids(broken) == {"ok"}
