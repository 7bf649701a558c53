"""SB040 against a document's history: which snapshot is the baseline, what counts as a change, and
exactly what the finding says (code, severity, file, line, column, message, hint)."""

from sb_cli.core.model import Corpus
from sb_cli.core.records import Protocol, Styrdokument
from sb_cli.core.rules import Context, history
from tests.builders import AS_OF, ORGANISATION, document, protokoll, rutin, source, wheel

REDECIDE = "ändra 'version' och 'status' (t.ex. till utkast) och låt ändringen beslutas på nytt"
# A changed text may also be a transcription put right: the hint names the record of that too.
RETEXT = (
    f"{REDECIDE}; stämmer avskriften inte med källan, lägg i samma ändring till en ny post under "
    "corrections (date, note, source)"
)
CORRECT = "ett justerat protokoll är en allmän handling: rätta genom ett nytt beslut i nästa protokoll"
ADJUSTED = protokoll(extra="adjusted: 2026-01-20\n")
ARSHJUL = wheel(
    "{month: 3, title: Verksamhetsplan}",
    id_="hjul",
    status="beslutad",
    version="2.0",
    head="decided: {by: LSVO, date: 2026-01-16}\nvalid_from: 2026-02-01\nreview_by: 2027-01-01\nyear: 2026\n",
)


def record(text):
    return document(text).record


def found(*texts, snapshots=None, selected=None):
    """SB040 on the documents documents/d0.yaml, d1.yaml … with the snapshots given per path (None: no
    history could be read)."""
    built = tuple(document(text, f"documents/d{i}.yaml") for i, text in enumerate(texts))
    read = None if snapshots is None else lambda doc: snapshots.get(doc.path, [])
    context = Context(as_of=AS_OF, history=read, selected=selected)
    out = history.check(Corpus.of(built, ORGANISATION), context)
    return [(f.code, f.severity.value, f.path, f.line, f.column, f.message, f.hint, f.document) for f in out]


def decided(line, column, what, commit="c3c3c3c", version="1.0", path="documents/d0.yaml", doc="r"):
    message = f"dokumentet är beslutat i version {version} (commit {commit}) men {what} har ändrats sedan dess"
    return ("SB040", "error", path, line, column, message, RETEXT if what == "texten" else REDECIDE, doc)


def adjusted(line, column, what, commit="c2c2c2c", path="documents/d0.yaml"):
    message = f"protokollet är justerat (commit {commit}) men {what} har ändrats sedan dess"
    return ("SB040", "error", path, line, column, message, CORRECT, "LSVO-2026-01-16")


def test_the_baseline_is_the_first_decided_snapshot_of_the_same_version():
    draft = rutin(body="Utkast.").replace("status: beslutad", "status: utkast")
    older = rutin(body="Version 0.9.").replace('version: "1.0"', 'version: "0.9"')
    snapshots = [
        ("c0c0c0c0c0", None),  # unreadable at that commit
        ("c1c1c1c1c1", record(draft)),  # the same version, but not yet decided
        ("c2c2c2c2c2", record(older)),  # decided, but an older version
        ("c3c3c3c3c3", record(rutin())),
        ("c4c4c4c4c4", record(rutin(body="Senare."))),
    ]
    assert found(rutin(body="Ny text."), snapshots={"documents/d0.yaml": snapshots}) == [decided(10, 1, "texten")]
    assert found(rutin(), snapshots={"documents/d0.yaml": snapshots}) == []


def test_a_new_version_needs_a_new_decision():
    older = rutin().replace('version: "1.0"', 'version: "0.9"')
    draft = rutin().replace("status: beslutad", "status: utkast")
    snapshots = {"documents/d0.yaml": [("c0", None), ("c1c1c1c1", record(older)), ("c2", record(draft))]}
    same_decision = (
        "SB040",
        "error",
        "documents/d0.yaml",
        7,
        1,
        "version 1.0 har samma beslut som version 0.9 (commit c1c1c1c): en ny version kräver ett nytt beslut",
        "ange beslutet om den nya versionen i decided (by, date och ref)",
        "r",
    )
    assert found(rutin(body="Ny text."), snapshots=snapshots) == [same_decision]
    redecided = rutin(body="Ny text.").replace("date: 2026-01-16", "date: 2026-02-13")
    assert found(redecided, snapshots=snapshots) == []
    assert found(rutin(body="Ny text."), snapshots={}) == []


def test_the_baseline_of_a_protocol_is_its_first_justerat_snapshot():
    changed = ADJUSTED.replace("title: P\n", "title: Ändrad\n")
    snapshots = [
        ("c0c0c0c0c0", None),
        ("c1c1c1c1c1", record(protokoll())),  # not yet justerat
        ("c2c2c2c2c2", record(ADJUSTED)),
        ("c3c3c3c3c3", record(changed)),
    ]
    assert found(changed, snapshots={"documents/d0.yaml": snapshots}) == [adjusted(3, 1, "'title'")]
    assert found(ADJUSTED, snapshots={"documents/d0.yaml": snapshots}) == []


def test_a_protocol_compares_every_key_and_calls_its_items_the_text():
    snapshots = {"documents/d0.yaml": [("c2c2c2c2c2", record(ADJUSTED))]}
    items = ADJUSTED.replace("Punkt 1", "Annan punkt")
    assert found(items, snapshots=snapshots) == [adjusted(8, 1, "texten")]
    later = ADJUSTED.replace("adjusted: 2026-01-20", "adjusted: 2026-01-21")
    assert found(later, snapshots=snapshots) == [adjusted(7, 1, "'adjusted'")]
    place = ADJUSTED.replace("{date: 2026-01-16}", "{date: 2026-01-16, place: Karlskrona}")
    assert found(place, snapshots=snapshots) == [adjusted(5, 1, "'meeting'")]


def test_removing_the_adjustment_of_a_justerat_protocol_is_sb040():
    snapshots = {"documents/d0.yaml": [("c2c2c2c2", record(ADJUSTED))]}
    removed = (
        "SB040",
        "error",
        "documents/d0.yaml",
        1,
        1,
        "protokollet justerades i commit c2c2c2c men 'adjusted' har tagits bort",
        CORRECT,
        "LSVO-2026-01-16",
    )
    assert found(protokoll().replace("title: P\n", "title: Ändrad\n"), snapshots=snapshots) == [removed]
    assert found(protokoll(), snapshots={"documents/d0.yaml": [("c1", record(protokoll()))]}) == []


def test_a_styrdokument_compares_only_the_decided_fields_in_sorted_order():
    snapshots = {"documents/d0.yaml": [("c3c3c3c3c3", record(rutin()))]}
    changed = (
        rutin(body="Ny text.")
        .replace("title: Rutin", "title: Ny rutin")
        .replace("valid_from: 2026-02-01", "valid_from: 2026-03-01")
    )
    assert found(changed, snapshots=snapshots) == [
        decided(10, 1, "texten"),
        decided(3, 1, "'title'"),
        decided(8, 1, "'valid_from'"),
    ]
    administrative = (
        rutin(review_by="2030-01-01")
        .replace("owner: LSVO", "owner: PSVO")
        .replace("status: beslutad", "status: upphavd")
    )
    assert found(administrative, snapshots=snapshots) == []


def test_whitespace_around_the_text_is_no_change():
    snapshots = {"documents/d0.yaml": [("c3", record(rutin(body="Text.")))]}
    assert found(rutin(body="\\n  Text.  \\n"), snapshots=snapshots) == []
    assert found(rutin(body="Text .")) == []  # no history at all: SB041 reports it elsewhere
    assert found(rutin(body="Text ."), snapshots=snapshots) == [decided(10, 1, "texten", commit="c3")]


def test_an_upphavd_document_is_still_a_record():
    snapshots = {"documents/d0.yaml": [("c3c3c3c3c3", record(rutin()))]}
    revoked = rutin(body="Ny text.").replace("status: beslutad", "status: upphavd")
    assert found(revoked, snapshots=snapshots) == [decided(10, 1, "texten")]


def test_the_events_of_an_arshjul_are_its_text():
    snapshots = {"documents/d0.yaml": [("c3c3c3c3c3", record(ARSHJUL))]}
    moved = ARSHJUL.replace("month: 3", "month: 4")
    assert found(moved, snapshots=snapshots) == [decided(11, 1, "texten", version="2.0", doc="hjul")]
    assert found(ARSHJUL.replace("year: 2026", "year: 2027"), snapshots=snapshots) == []


def test_every_document_is_checked_against_its_own_history():
    draft = rutin(body="Ny text.").replace("status: beslutad", "status: utkast")
    kallelse = "id: k\ntype: kallelse\ntitle: K\nforum: LSVO\nmeeting: {date: 2026-03-13}\nitems: []\n"
    other = rutin(body="Annan.").replace("id: r", "id: r2")
    snapshots = {
        "documents/d0.yaml": [("c3c3c3c3c3", record(rutin()))],  # a draft again in the same version
        "documents/d1.yaml": [("c1", record(kallelse))],
        "documents/d2.yaml": [("c2", record(draft))],  # never decided: no baseline
        "documents/d3.yaml": [("c3c3c3c3c3", record(rutin()))],
        "documents/d4.yaml": [("c4c4c4c4c4", record(other))],
    }
    texts = (draft, kallelse, rutin(body="Ny text."), rutin(body="Ny text."), other.replace("Annan.", "Ändrad."))
    reworked = (
        "SB040",
        "error",
        "documents/d0.yaml",
        10,
        1,
        "version 1.0 beslutades i commit c3c3c3c men texten har ändrats sedan dess; "
        "ett dokument som arbetas om får en ny version",
        RETEXT,
        "r",
    )
    assert found(*texts, snapshots=snapshots) == [
        reworked,
        decided(10, 1, "texten", path="documents/d3.yaml"),
        decided(10, 1, "texten", commit="c4c4c4c", path="documents/d4.yaml", doc="r2"),
    ]
    only = frozenset({"documents/d4.yaml"})
    assert found(*texts, snapshots=snapshots, selected=only) == [
        decided(10, 1, "texten", commit="c4c4c4c", path="documents/d4.yaml", doc="r2")
    ]
    assert found(*texts, snapshots=snapshots, selected=frozenset({"documents/d9.yaml"})) == []


def test_is_record_and_changed_fields():
    protocol, draft = record(protokoll()), record(rutin().replace("status: beslutad", "status: utkast"))
    assert isinstance(protocol, Protocol) and isinstance(draft, Styrdokument)
    assert not history.is_record(protocol) and history.is_record(record(ADJUSTED))
    assert not history.is_record(draft) and history.is_record(record(rutin()))
    remiss = record(rutin().replace("status: beslutad", "status: remiss"))
    assert not history.is_record(remiss)
    assert history.changed_fields(record(rutin(body=" Text.\n")), record(rutin())) == []
    assert history.changed_fields(record(ADJUSTED.replace("title: P\n", "title: Q\n")), record(ADJUSTED)) == ["title"]


def test_a_removed_record_is_reported_whole_and_a_removed_draft_not_at_all():
    hint = (
        "en allmän handling tas inte bort: lägg tillbaka filen; ett styrdokument som inte längre gäller "
        "får status: upphavd"
    )
    gone = history.removed("documents/p.yaml", record(ADJUSTED), "origin/main")
    assert (
        gone.code,
        gone.severity.value,
        gone.path,
        gone.line,
        gone.column,
        gone.message,
        gone.hint,
        gone.document,
    ) == (
        "SB040",
        "error",
        "documents/p.yaml",
        None,
        None,
        "det justerade protokollet LSVO-2026-01-16 fanns i origin/main men har tagits bort",
        hint,
        "LSVO-2026-01-16",
    )
    repealed = history.removed("documents/r.yaml", record(rutin().replace("beslutad", "upphavd")), "HEAD")
    assert repealed.message == "det beslutade dokumentet r fanns i HEAD men har tagits bort"
    assert history.removed("documents/r.yaml", record(rutin().replace("beslutad", "utkast")), "HEAD") is None
    assert history.removed("documents/p.yaml", record(protokoll()), "HEAD") is None


def test_a_new_version_with_the_same_reference_but_another_date_is_the_same_decision():
    with_ref = rutin().replace("date: 2026-01-16}", 'date: 2026-01-16, ref: "LSVO-2026-01-16 §1"}')
    older = with_ref.replace('version: "1.0"', 'version: "0.9"')
    snapshots = {"documents/d0.yaml": [("c1c1c1c1", record(older))]}
    same_ref = with_ref.replace("date: 2026-01-16", "date: 2026-02-13")
    assert [f[5][:40] for f in found(same_ref, snapshots=snapshots)] == ["version 1.0 har samma beslut som version"]
    new_ref = same_ref.replace("§1", "§2")
    assert found(new_ref, snapshots=snapshots) == []


def found_with(text, snapshots, descends=None):
    """SB040 (path, line, message) on one document with these snapshots and this ancestry."""
    built = document(text)
    context = Context(as_of=AS_OF, history=lambda doc: snapshots, descends=descends)
    return [(f.line, f.message) for f in history.check(Corpus.of((built,), ORGANISATION), context)]


PAPER = """id: LSVO-2026-01-16
type: tjansteskrivelse
title: P
forum: LSVO
date: 2026-01-10
body: |
  Text.
"""


def test_a_record_stays_a_record_whatever_type_its_file_has_now():
    protocol = [("c2c2c2c2", record(ADJUSTED))]
    assert found_with(PAPER, protocol) == [
        (2, "protokollet är justerat (commit c2c2c2c) men 'type' har ändrats sedan dess")
    ]
    decided_rutin = [("c3c3c3c3", record(rutin()))]
    riktlinje = rutin().replace("type: rutin", "type: riktlinje")
    assert found_with(riktlinje, decided_rutin) == [
        (2, "dokumentet är beslutat i version 1.0 (commit c3c3c3c) men 'type' har ändrats sedan dess")
    ]
    as_protocol = protokoll(id_="r")
    assert found_with(as_protocol, decided_rutin) == [
        (2, "dokumentet är beslutat i version 1.0 (commit c3c3c3c) men 'type' har ändrats sedan dess")
    ]
    draft = [("c1", record(protokoll())), ("c2", record(rutin().replace("status: beslutad", "status: utkast")))]
    assert found_with(PAPER, draft) == []  # never a record


def test_the_id_of_a_record_is_part_of_it():
    assert found_with(rutin().replace("id: r", "id: ny"), [("c3c3c3c3", record(rutin()))]) == [
        (1, "dokumentet är beslutat i version 1.0 (commit c3c3c3c) men 'id' har ändrats sedan dess")
    ]


def test_two_lines_of_history_that_decided_one_version_differently_are_both_baselines():
    main, branch = record(rutin(body="Huvudlinjen.")), record(rutin(body="Grenen."))
    snapshots = [("b1b1b1b1", branch), ("m1m1m1m1", main)]
    independent = lambda later, earlier: later == earlier  # noqa: E731 - neither descends from the other
    texten = "dokumentet är beslutat i version 1.0 (commit {}) men texten har ändrats sedan dess"
    assert found_with(rutin(body="Grenen."), snapshots, independent) == [(10, texten.format("m1m1m1m"))]
    assert found_with(rutin(body="Huvudlinjen."), snapshots, independent) == [(10, texten.format("b1b1b1b"))]
    assert found_with(rutin(body="Tredje."), snapshots, independent) == [(10, texten.format("b1b1b1b"))]
    # On one line the later version is a change of the first decision, not another one.
    assert found_with(rutin(body="Grenen."), snapshots, lambda later, earlier: True) == []
    assert found_with(rutin(body="Grenen."), snapshots) == []


def test_a_record_is_compared_with_the_revisions_own_copy():
    def differs(now, then):
        return [(f.line, f.message) for f in history.differs_from(source(now), record(now), record(then), "main")]

    assert differs(rutin(body="Ny."), rutin()) == [
        (10, "dokumentet är beslutat i version 1.0 i main men texten skiljer sig från den versionen")
    ]
    assert differs(rutin(review_by="2030-01-01"), rutin()) == []
    assert differs(rutin().replace('version: "1.0"', 'version: "2.0"'), rutin()) == []  # a new version
    assert differs(PAPER, ADJUSTED) == [(2, "protokollet är justerat i main men 'type' skiljer sig från den versionen")]
    assert differs(protokoll(), ADJUSTED) == [(1, "protokollet är justerat i main men 'adjusted' har tagits bort")]
