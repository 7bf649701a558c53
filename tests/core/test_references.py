"""SB004 and SB031 for every place a document names a forum, a party, a document or a file."""

import pytest

from sb_cli.core.rules import Context, references
from tests.builders import AS_OF, corpus, protokoll, rutin

STYR = """id: r
type: {type}
title: T
owner: {owner}
status: beslutad
version: "1.0"
decided: {{by: {by}, date: 2026-01-16, ref: "{ref}"}}
valid_from: 2026-02-01
review_by: 2027-01-01
{extra}"""


def styr(type="rutin", owner="LSVO", by="LSVO", ref="p", extra=""):
    return STYR.format(type=type, owner=owner, by=by, ref=ref, extra=extra)


def found(check, *texts, exists=lambda p: False):
    out = check(corpus(*texts), Context(as_of=AS_OF, path_exists=exists))
    return [(f.path, f.line, f.column, f.message) for f in out]


def unknown(value, what):
    return f"'{value}' finns inte bland {what} i organisation.yaml"


FORUM_OR_PARTY, FORUM, PARTY = "forumen eller parterna", "forumen", "parterna"


def test_every_forum_and_party_a_styrdokument_names_is_checked():
    extra = (
        "parties: [region-blekinge, okand-part]\n"
        "terminated: {date: 2026-03-01, by: annan-part}\n"
        "follow_up: {every_months: 12, by: [LSVO, okant-forum]}\n"
        "followed_up: [{date: 2026-02-01, by: LSVO}, {date: 2026-03-01, by: ingen}]\n"
        "adopted: [{party: karlskrona, date: 2026-01-20}, {party: vaxjo, date: 2026-01-21}]\n"
        "valid_until: 2029-12-31\n"
    )
    text = styr(type="overenskommelse", owner="X", by="Y", extra=extra)
    assert found(references.check_known, text) == [
        ("documents/d0.yaml", 4, 1, unknown("X", FORUM_OR_PARTY)),
        ("documents/d0.yaml", 7, 11, unknown("Y", FORUM_OR_PARTY)),
        ("documents/d0.yaml", 11, 32, unknown("annan-part", PARTY)),
        ("documents/d0.yaml", 10, 28, unknown("okand-part", PARTY)),
        ("documents/d0.yaml", 12, 42, unknown("okant-forum", FORUM)),
        ("documents/d0.yaml", 14, 51, unknown("vaxjo", PARTY)),
        ("documents/d0.yaml", 13, 64, unknown("ingen", FORUM_OR_PARTY)),
    ]
    assert found(references.check_known, styr()) == []


def test_an_arshjul_paper_kallelse_and_protocol_name_their_forums():
    wheel = styr(
        type="arshjul", extra="events:\n  - {title: A, forum: LSVO}\n  - {title: B, forum: nej}\n  - {title: C}\n"
    )
    paper = "id: f\ntype: foredragning\ntitle: F\nforum: okant\nowner: fel\n"
    kallelse = "id: k\ntype: kallelse\ntitle: K\nforum: saknas\nmeeting: {date: 2026-03-13}\nitems: []\n"
    attendance = (
        "attendance: {present: [{name: A, party: p1}], absent: [{name: B, party: p2}], "
        "others: [{name: C, party: p3}, D]}\n"
    )
    protocol = protokoll(extra=attendance)
    assert found(references.check_known, wheel, paper, kallelse, protocol) == [
        ("documents/d0.yaml", 12, 16, unknown("nej", FORUM)),
        ("documents/d1.yaml", 5, 1, unknown("fel", FORUM_OR_PARTY)),
        ("documents/d1.yaml", 4, 1, unknown("okant", FORUM)),
        ("documents/d2.yaml", 4, 1, unknown("saknas", FORUM)),
        ("documents/d3.yaml", 7, 34, unknown("p1", PARTY)),
        ("documents/d3.yaml", 7, 66, unknown("p2", PARTY)),
        ("documents/d3.yaml", 7, 98, unknown("p3", PARTY)),
    ]


def missing(ident):
    return f"hänvisningen '{ident}' pekar på dokumentet '{ident}' som inte finns"


def test_every_reference_to_a_document_or_an_item_is_resolved():
    extra = (
        "supersedes: [a, b]\nsuperseded_by: [c]\n"
        "followed_up: [{date: 2026-02-01, by: LSVO, ref: d}, {date: 2026-02-02, by: LSVO}]\n"
    )
    wheel = styr(type="arshjul", ref="e", extra="events:\n  - {title: A, document: f}\n  - {title: B}\n")
    sub = protokoll(item_extra=', kind: I, follows_up: "g", subitems: [{letter: a, title: S, follows_up: "h"}]')
    got = found(references.check_references, styr(extra=extra), wheel, sub)
    assert got == [
        ("documents/d0.yaml", 7, 39, missing("p")),
        ("documents/d0.yaml", 10, 14, missing("a")),
        ("documents/d0.yaml", 10, 17, missing("b")),
        ("documents/d0.yaml", 11, 17, missing("c")),
        ("documents/d0.yaml", 12, 44, missing("d")),
        ("documents/d1.yaml", 7, 39, missing("e")),
        ("documents/d1.yaml", 11, 16, missing("f")),
        ("documents/d2.yaml", 8, 42, missing("g")),
        ("documents/d2.yaml", 8, 92, missing("h")),
    ]


LINK = "link"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("https://regionblekinge.se", None),
        ("mailto:a@b.se", None),
        ("#rubrik", None),
        ("?fråga", None),
        ("r", None),  # the document's own id
        ("finns.md#del", None),
        ("finns.md?x=1", None),
        ("finns.md?x=1?y=2", None),
        ("/Xfinns.md", None),
        ("/documents/finns.md", None),
        ("saknas.md", "länken 'saknas.md' pekar på en fil som inte finns (documents/saknas.md)"),
        ("saknas.md#x#y", "länken 'saknas.md' pekar på en fil som inte finns (documents/saknas.md)"),
        ("/saknas.md", "länken '/saknas.md' pekar på en fil som inte finns (saknas.md)"),
        ("../../etc/passwd", "länken '../../etc/passwd' pekar utanför repositoriet"),
        ("../..", "länken '../..' pekar utanför repositoriet"),
        ("..", "länken '..' pekar på en fil som inte finns (.)"),  # the repository's own root
        ("okand-id", "länken 'okand-id' pekar varken på ett dokument-id eller en fil som finns"),
        ("under/mapp", "länken 'under/mapp' pekar på en fil som inte finns (documents/under/mapp)"),
    ],
)
def test_links_to_files_and_ids(target, message):
    exists = {"documents/finns.md", "Xfinns.md"}.__contains__
    got = found(references.check_links, rutin(body=f"Se [x]({target})."), exists=exists)
    assert got == ([] if message is None else [("documents/d0.yaml", 10, None, message)])


def test_a_link_in_a_body_has_its_line_and_column_and_unreadable_ids_are_no_dangling_links():
    from sb_cli.core.model import Corpus
    from tests.builders import ORGANISATION, document

    header = 'id: r\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\n'
    text = f"---\n{header}---\n\nRad\n  och [a](trasig) [b](borta)\n"
    built = Corpus.of((document(text, "documents/d0.md"),), ORGANISATION, unreadable_ids=frozenset({"trasig"}))
    out = references.check_links(built, Context(as_of=AS_OF, path_exists=lambda p: False))
    assert [(f.line, f.column, f.message) for f in out] == [
        (11, 19, "länken 'borta' pekar varken på ett dokument-id eller en fil som finns")
    ]
    only = references.check_links(built, Context(as_of=AS_OF, path_exists=lambda p: False, selected=frozenset()))
    assert list(only) == []


def test_a_path_limited_run_checks_the_chosen_documents_and_names_each():
    texts = [rutin(body="Se [x](borta.md)."), rutin(body="Se [x](saknas.md).").replace("id: r", "id: r1")]
    texts = [t.replace("owner: LSVO\n", "owner: LSVO\nsupersedes: ingen\n") for t in texts]
    context = Context(as_of=AS_OF, path_exists=lambda p: False, selected=frozenset({"documents/d1.yaml"}))
    for check in (references.check_links, references.check_references):
        out = list(check(corpus(*texts), context))
        assert [(f.code, f.path, f.document) for f in out] == [(f.code, "documents/d1.yaml", "r1") for f in out]
        assert len(out) == 1


def test_a_link_on_the_first_line_of_a_body_has_column_one():
    from sb_cli.core.model import Corpus
    from tests.builders import ORGANISATION, document

    header = 'id: r\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\n'
    built = Corpus.of((document(f"---\n{header}---\n[b](borta)\n", "documents/d0.md"),), ORGANISATION)
    out = references.check_links(built, Context(as_of=AS_OF, path_exists=lambda p: False))
    assert [(f.line, f.column) for f in out] == [(9, 1)]
