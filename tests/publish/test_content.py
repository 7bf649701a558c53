"""What is published, as pure functions over the corpus (SPEC §8)."""

import datetime as dt

from sb_cli.core.reports import decisions
from sb_cli.corpus import load_corpus
from sb_cli.io.repo import load_settings
from sb_cli.publish.content import (
    decision_meetings,
    decision_state,
    mandate,
    public_corpus,
    select,
    state_words,
    withheld_texts,
)
from sb_cli.render.markdown import parse, plain, text_of
from tests.conftest import CASES, build_repo

DAY = dt.date(2026, 11, 22)


def corpus_of(tmp_path):
    root = build_repo(CASES / "publish", tmp_path)
    return load_corpus(load_settings(root, root)).corpus


def test_justerade_protocols_sent_kallelser_and_decided_styrdokument_only(tmp_path):
    selection = select(corpus_of(tmp_path), DAY)
    assert [(m.forum, m.date.isoformat(), bool(m.kallelse), bool(m.protocol)) for m in selection.meetings] == [
        ("LSVO", "2026-01-16", False, True),
        ("LSVO", "2026-02-13", False, True),
        ("LSVO", "2026-03-13", True, False),  # its protocol is a draft
    ]
    assert [d.id for d in selection.documents] == ["overenskommelse-test", "rutin-avvikelser"]
    assert "rutin-utkast" not in {d.id for d in selection.published()}


def test_before_its_meeting_a_protocol_and_before_its_sent_date_a_kallelse_wait(tmp_path):
    selection = select(corpus_of(tmp_path), dt.date(2026, 2, 1))
    assert [m.date.isoformat() for m in selection.meetings] == ["2026-01-16"]


def test_documents_with_errors_are_left_out_and_named(tmp_path):
    corpus = corpus_of(tmp_path)
    selection = select(corpus, DAY, {"documents/lsvo-1.yaml"})
    assert "2026-01-16" not in [m.date.isoformat() for m in selection.meetings]
    assert selection.left_out == [("documents/lsvo-1.yaml", "har fel (sb validate)")]


def test_the_public_corpus_has_no_withheld_point_and_the_withheld_texts_are_known(tmp_path):
    corpus = corpus_of(tmp_path)
    selection = select(corpus, DAY)
    public = public_corpus(corpus, selection)
    protocol = next(d for d in public.protocols() if d.id == "LSVO-2026-02-13")
    assert [i.number for i in protocol.record.items] == [4, 5]
    assert withheld_texts(selection) == ["Redovisning av ett enskilt ärende.", "Ärende om en enskild"]
    assert {d.id for d in public.documents} == {d.id for d in selection.published()}


def test_the_mandate_is_the_uppdrag_under_the_heading_that_names_the_forum():
    blocks = parse(
        "# 3 Mål\n\n### Strategisk nivå - LSVO\n\nMål för LSVO.\n\n"
        "## 6.2 LSVO – Ledningssamverkan vård och omsorg\n\n### Uppdrag\n\nLSVO leder samverkan.\n\n"
        "- bereder ärenden\n\n### Ledamöter\n\nRegionens chefer.\n\n## 6.3 Beredningsgrupp\n\n### Uppdrag\n\nBereder.\n"
    )
    found = mandate(blocks, ["LSVO", "Ledningssamverkan vård och omsorg"])
    assert text_of(tuple(found)).split() == "LSVO leder samverkan. bereder ärenden".split()
    assert mandate(blocks, ["PSVO", "Politisk samverkan"]) == []
    assert plain(found[0].inlines) == "LSVO leder samverkan."


def test_a_protocol_waits_for_its_adjustment(tmp_path):
    selection = select(corpus_of(tmp_path), dt.date(2026, 2, 15))  # LSVO-2026-02-13 justeras 2026-02-20
    assert [(m.date.isoformat(), bool(m.protocol)) for m in selection.meetings] == [("2026-01-16", True)]


def test_a_justerat_protocol_whose_day_is_unknown_is_published(tmp_path):
    root = build_repo(CASES / "publish", tmp_path)
    path = root / "documents" / "lsvo-1.yaml"
    path.write_text(path.read_text("utf-8").replace("adjusted: 2026-01-20", "adjusted: true"), "utf-8")
    corpus = load_corpus(load_settings(root, root)).corpus
    assert {d.id: d.record.adjusted for d in corpus.protocols()}["LSVO-2026-01-16"] is True
    published = {d.id for d in select(corpus, DAY).published()}
    assert "LSVO-2026-01-16" in published


def row(status, kind="beslut", due=None, **more):
    return {"status": status, "kind": kind, "due": due, **more}


def test_each_decision_state_reads_in_words():
    day = {"2026-03-13": "13 mars 2026"}.__getitem__
    assert [decision_state(row(s)) for s in ("uppföljt", "väntar", "inget datum", "öppen", "tappad")] == [
        "uppfoljt",
        "vantar",
        "utan-tidsgrans",
        "oppet",
        "oppet",
    ]
    assert state_words(row("väntar", due="2026-03-13"), day) == "väntar till 13 mars 2026"
    assert state_words(row("inget datum"), day) == "utan tidsgräns"
    assert state_words(row("öppen", due="2026-03-13"), day) == "öppet, skulle vara gjort senast 13 mars 2026"
    assert state_words(row("uppföljt"), day) == "uppföljt i"
    deferred = row("tappad", kind="bordlagd", due="2026-03-13")
    assert state_words(deferred, day) == "öppet: togs inte upp vid det sammanträdet"
    missing = row("protokoll saknas", kind="bordlagd", due="2026-03-13")
    assert state_words(missing, day) == "öppet: protokollet från det sammanträdet är inte publicerat"
    assert state_words(row("väntar", kind="bordlagd", due="2026-03-13"), day) == "väntar till 13 mars 2026"


def test_the_register_groups_att_clauses_under_their_meeting_and_paragraph(tmp_path):
    corpus = corpus_of(tmp_path)
    meetings = decision_meetings(decisions(public_corpus(corpus, select(corpus, DAY)), DAY))
    first = meetings[0]
    assert (first.protocol, first.forum, first.meeting) == ("LSVO-2026-01-16", "LSVO", "2026-01-16")
    assert [(p.reference, p.title, [r["text"] for r in p.rows]) for p in first.points] == [
        ("LSVO-2026-01-16 §1", "Godkännande av dagordning", ["att godkänna dagordningen"]),
        ("LSVO-2026-01-16 §2", "Rutin för avvikelser", ["att fastställa rutinen", "att återrapportera införandet"]),
    ]
    assert [(r["reference"], r["followed_up_by"]) for r in first.deferred] == [
        ("LSVO-2026-01-16 §3a", "LSVO-2026-02-13 §4")
    ]
    assert [m.protocol for m in meetings] == ["LSVO-2026-01-16"]  # LSVO-2026-02-13 decides nothing
