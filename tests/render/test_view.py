"""View models and the text writers: what every mall sees of a document."""

import datetime as dt

import msgspec
import pytest

from sb_cli.corpus import load_corpus
from sb_cli.io.repo import load_settings
from sb_cli.render.markdown import parse, text_of
from sb_cli.render.text import to_html, to_markdown
from sb_cli.render.view import PersonView, build, swedish_date
from tests.conftest import REPO


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(load_settings(REPO, REPO)).corpus


def view(corpus, ident, **kwargs):
    return build(
        corpus.by_id[ident],
        corpus.organisation,
        as_of=dt.date(2026, 11, 22),
        commit="abc1234def",
        version="0.1.0",
        **kwargs,
    )


def test_swedish_dates_and_times(corpus):
    assert swedish_date(dt.date(2023, 6, 16)) == "fredagen den 16 juni 2023"
    assert swedish_date(dt.date(2026, 11, 22)) == "söndagen den 22 november 2026"
    meeting = view(corpus, "LSVO-2023-06-16").meeting
    assert meeting.time_and_place == "Fredagen den 16 juni 2023 kl. 08.15–12.00, via Teams"
    assert meeting.paragraphs_label == "Paragrafer §61–§72"
    assert meeting.decision_phrase == "LSVO beslutar"


def test_protocol_view_carries_attendance_items_and_stamp(corpus):
    v = view(corpus, "LSVO-2023-06-16")
    m = v.meeting
    assert len(m.present) == 17 and len(m.absent) == 4 and len(m.others) == 10
    assert m.others[0] == PersonView(
        name="Judith Moss Månsson", description="MAR", role="", items_label="§64", line="Judith Moss Månsson, MAR §64"
    )
    assert [i.label for i in m.items][:2] == ["§ 61", "§ 62"]
    assert m.items[3].presenters_label == "Föredragande: Judith Moss Månsson och Belinda Stefansdotter"
    assert [s.role for s in m.signatures] == ["Ordförande", "Sekreterare"]
    assert v.footer == "LSVO-2023-06-16 · commit abc1234 · sb 0.1.0"


def test_list_numbering_follows_seed_002(corpus):
    m = view(corpus, "att-aldras-2024-02").meeting
    assert m.items[0].label == "1)." and m.items[0].kind_label == "(B)"
    assert m.decision_phrase == "Samverkansgruppen beslutar"


def test_extract_and_public(corpus):
    m = view(corpus, "LSVO-2023-06-16", extract=64).meeting
    assert [i.number for i in m.items] == [64]
    assert m.extract.certify == "Rätt utdraget intygar"
    assert m.extract.send_to == ("Föredragande", "Hälsovalet", "Förvaltningschefer skola")
    assert m.heading == "Protokollsutdrag"


def test_public_puts_a_placeholder_for_items_marked_not_public(tmp_path):
    text = (REPO / "tests" / "cases" / "invalid" / "SB030-personnummer" / "documents" / "protokoll.yaml").read_text()
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "organisation.yaml").write_text((REPO / "tests" / "cases" / "organisation.yaml").read_text())
    extra = "  - {number: 2, title: Öppen punkt, kind: I}\n"
    (docs / "p.yaml").write_text(text.replace("  - number: 1\n", extra + "  - number: 1\n"))
    corpus = load_corpus(load_settings(tmp_path, tmp_path)).corpus
    document = corpus.by_id["LSVO-2026-01-16"]
    full = build(document, corpus.organisation, as_of=dt.date(2026, 3, 1), commit=None, version="0")
    public = build(document, corpus.organisation, as_of=dt.date(2026, 3, 1), commit=None, version="0", public=True)
    assert [i.number for i in full.meeting.items] == [2, 1]
    assert [(i.number, i.title, i.withheld, i.body) for i in public.meeting.items] == [
        (2, "Öppen punkt", "", full.meeting.items[0].body),
        (1, "", "Utelämnad i den offentliga versionen", ()),
    ]
    assert [(e.label, e.title) for e in public.meeting.index] == [
        ("§2", "Öppen punkt"),
        ("§1", "Utelämnad i den offentliga versionen"),
    ]
    assert (public.public_label, full.public_label) == ("Offentlig version", "")
    assert "Offentlig version" in public.meta.keywords and "Offentlig version" not in full.meta.keywords
    assert "701063" not in to_markdown(public) and "Enskilt ärende" not in to_markdown(public)


def test_styrdokument_header_carries_the_dokumenthuvud(corpus):
    rows = {row.label: row.value for row in view(corpus, "overenskommelse-malgrupper-2023").header_rows}
    assert rows["Dokumenttyp"] == "Överenskommelse"
    assert rows["Dokumentägare"] == "Ledningssamverkan vård och omsorg"
    dates = (rows["Giltig från"], rows["Giltig till"], rows["Revideras senast"])
    assert dates == ("2023-06-01", "2026-12-31", "2026-12-31")
    assert rows["Gäller nu till"] == "2028-12-31"
    assert rows["Version"] == "1.0"


def test_markdown_becomes_structure():
    blocks = parse(
        "## Rubrik\n\n- ett\n- två\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n[x](javascript:alert(1)) [y](https://regionblekinge.se)"
    )
    assert [type(b).__name__ for b in blocks] == ["Heading", "ListBlock", "Table", "Paragraph"]
    links = [i.link for i in blocks[3].inlines if i.link]
    assert links == ["https://regionblekinge.se"]  # no scripts through links
    assert "ett" in text_of(blocks) and "2" in text_of(blocks)


def test_control_characters_are_dropped():
    assert text_of(parse("a\x0bb\x00c")) == "abc"


def test_html_is_escaped_and_markdown_readable(corpus):
    v = msgspec.structs.replace(view(corpus, "LSVO-2023-06-16"), title="<script>alert(1)</script>")
    html = to_html(v, REPO / "templates")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    md = to_markdown(view(corpus, "LSVO-2023-06-16"))
    assert "att godkänna framtagen samverkansöverenskommelse" in md


def test_a_hostile_html_template_cannot_reach_python(corpus, tmp_path):
    (tmp_path / "_common").mkdir()
    (tmp_path / "_common" / "dokument.html.j2").write_text("{{ view.__class__.__mro__[1].__subclasses__() }}")
    from sb_cli.errors import SbError

    with pytest.raises(SbError):
        to_html(view(corpus, "LSVO-2023-06-16"), tmp_path)
    (tmp_path / "_common" / "dokument.html.j2").write_text("{{ nonexistent }}")
    with pytest.raises(SbError):  # StrictUndefined: a typo in a mall is an error, not an empty string
        to_html(view(corpus, "LSVO-2023-06-16"), tmp_path)


def test_each_forum_heads_its_protocols_as_its_own_do(corpus):
    lsvo, group = view(corpus, "LSVO-2023-06-16"), view(corpus, "att-aldras-2024-02")
    assert (lsvo.meeting.forum_heading, lsvo.running_header) == ("LSVO", "LSVO Sammanträdesprotokoll 2023-06-16")
    assert {i.kind_label for i in lsvo.meeting.items} == {""}  # seed 003 has no kind markers
    assert group.meeting.forum_heading == "Samverkansgrupp att åldras"  # as the protocol names it (SPEC 3.4)
    assert group.running_header == "Samverkansgrupp att åldras Sammanträdesprotokoll 2024-02"  # its month (§3.5)
    assert [i.kind_label for i in group.meeting.items][:3] == ["(B)", "(B)", "(I)"]
    assert view(corpus, "ledningssystem-2021").running_header == view(corpus, "ledningssystem-2021").title


def test_an_item_heading_keeps_the_kind_marker_where_the_source_prints_it(corpus):
    """Seed 002 prints "4). UPH (I/D)" over "– Satsning inom äldreområdet"; seed 003 prints the attachments
    after the whole title: "Uppdrag psykisk hälsa - Ny struktur … (PPT)"."""
    group = view(corpus, "att-aldras-2024-02").meeting
    assert group.items[3].heading == "UPH (I/D) – Satsning inom äldreområdet (PPT)"
    assert group.items[6].heading.startswith("Trygg och säker in-och utskrivning (I/D) - Återkoppling")
    assert group.items[0].heading == "Godkännande av dagordningen (B)"
    lsvo = view(corpus, "LSVO-2023-06-16").meeting
    assert lsvo.items[5].heading.startswith("Uppdrag psykisk hälsa - Ny struktur") and lsvo.items[5].heading.endswith(
        "SIP-samordnare (PPT)"
    )


def test_every_person_has_one_line_for_every_format(corpus):
    m = view(corpus, "LSVO-2023-06-16").meeting
    assert m.present[0].line == "Bodil Sundlöf, Enheten för kvalitet och utveckling, Region Blekinge (ordförande)"
    assert m.secretary is not None and m.secretary.line.startswith("Mats Wennstig, ")


def test_the_index_names_an_item_as_the_source_does(corpus):
    m = view(corpus, "LSVO-2023-06-16").meeting
    assert (m.index[0].title, m.items[0].title) == ("Godkännande av dagordning", "Godkännande av föredragningslista")


def test_a_deferral_is_written_out_only_where_the_text_does_not_say_it(corpus):
    m = view(corpus, "LSVO-2023-06-16").meeting
    assert {s.note for s in m.items[10].subitems} == {""}  # "Ärendet flyttas till LSVO 25 augusti"


@pytest.mark.parametrize(
    ("body", "note"),
    [
        ("Utgick.", "Flyttas till LSVO:s sammanträde den 25 augusti 2023"),
        ("", "Flyttas till LSVO:s sammanträde den 25 augusti 2023"),
        ("Ärendet flyttas till nästa möte.", ""),
        ("Punkten bordlades.", ""),
    ],
)
def test_a_deferral_note_in_swedish(tmp_path, body, note):
    from sb_cli.core.records import Subitem
    from sb_cli.render.view import _deferral

    point = Subitem(letter="a", title="T", body=body, deferred_to=dt.date(2023, 8, 25))
    assert _deferral(point, "LSVO") == note


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        ("LSVO", "LSVO:s"),
        ("Beredningsgruppen", "Beredningsgruppens"),
        ("Samverkansgrupp att åldras", "Samverkansgrupp att åldras"),
    ],
)
def test_genitive(name, genitive):
    from sb_cli.render.view import genitive as of

    assert of(name) == genitive


def test_the_public_version_keeps_a_title_only_when_asked_and_says_why(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "organisation.yaml").write_text((REPO / "tests" / "cases" / "organisation.yaml").read_text())
    (docs / "p.yaml").write_text(
        "id: P\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {date: 2026-01-16}\nnumbering: paragraph\n"
        "attendance: {present: [A], others: [{name: B, items: [1, 2]}, {name: C, items: [2]}]}\n"
        "items:\n"
        "  - {number: 1, title: Öppen, kind: I}\n"
        "  - {number: 2, title: Enskild, kind: I, public: false, public_title: true,"
        " public_note: Sekretess enligt 26 kap. 1 § OSL, subitems: [{letter: a, title: Hemlig}]}\n"
    )
    corpus = load_corpus(load_settings(tmp_path, tmp_path)).corpus
    public = build(
        corpus.by_id["P"], corpus.organisation, as_of=dt.date(2026, 3, 1), commit=None, version="0", public=True
    )
    withheld = public.meeting.items[1]
    assert (withheld.title, withheld.withheld, withheld.subitems) == ("Enskild", "Sekretess enligt 26 kap. 1 § OSL", ())
    assert [(p.name, p.items_label) for p in public.meeting.others] == [("B", "§1"), ("C", "")]
    assert public.meeting.paragraphs_label == "Paragrafer §1–§2"


def test_a_kallelse_shows_the_kind_of_each_item(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "organisation.yaml").write_text((REPO / "documents" / "organisation.yaml").read_text())
    (docs / "k.yaml").write_text(
        "id: K\ntype: kallelse\ntitle: K\nforum: LSVO\nmeeting: {date: 2026-01-16}\n"
        "items:\n  - {number: 1, title: Dagordning, kind: B}\n"
    )
    corpus = load_corpus(load_settings(tmp_path, tmp_path)).corpus
    kallelse = build(corpus.by_id["K"], corpus.organisation, as_of=dt.date(2026, 3, 1), commit=None, version="0")
    assert kallelse.meeting.items[0].kind_label == "(B)"
