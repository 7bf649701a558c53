"""The comparison of two versions (sb_cli/render/compare.py) as pure functions over views.

The Swedish cases: the ledningssystem 1.0 (documents/) against the draft 1.1 in tests/cases/compare/
(meetings fewer, a forum renamed, a section added, a section moved), the överenskommelse with 6
months' notice instead of 12, and the LSVO protocol of 2023-06-16 corrected after justering.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.corpus import load_corpus
from sb_cli.io.repo import load_settings
from sb_cli.render.compare import (
    Side,
    _split,
    align,
    compare_blocks,
    compare_inlines,
    comparison,
    sections_of,
    tokens,
)
from sb_cli.render.markdown import Block, Heading, Inline, ListBlock, Paragraph, Table, parse, plain, text_of
from sb_cli.render.view import View, build
from tests.conftest import REPO

CASES = Path(__file__).resolve().parents[1] / "cases" / "compare"
AS_OF = dt.date(2026, 11, 22)


def views_of(root: Path) -> dict[str, View]:
    corpus = load_corpus(load_settings(root, root)).corpus
    return {
        ident: build(corpus.by_id[ident], corpus.organisation, as_of=AS_OF, commit=None, version="0")
        for ident in ("ledningssystem-2021", "overenskommelse-malgrupper-2023", "LSVO-2023-06-16")
    }


@pytest.fixture(scope="module")
def before() -> dict[str, View]:
    return views_of(REPO)


@pytest.fixture(scope="module")
def after(tmp_path_factory) -> dict[str, View]:
    """The same documents, changed as the cases say."""
    root = tmp_path_factory.mktemp("andrad")
    shutil.copytree(REPO / "documents", root / "documents")
    shutil.copy(REPO / "sb.toml", root / "sb.toml")
    folder = root / "documents" / "styrdokument"
    shutil.copy(CASES / "ledningssystem-1.1.md", folder / "ledningssystem-2021.md")
    agreement = folder / "overenskommelse-malgrupper-2023.md"
    text = agreement.read_text(encoding="utf-8")
    assert text.count("notice_months: 12") == 1
    agreement.write_text(text.replace("notice_months: 12", "notice_months: 6"), encoding="utf-8")
    protocol = root / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    text = protocol.read_text(encoding="utf-8")
    assert text.count("göra en mindre generell revidering") == 1
    protocol.write_text(text.replace("göra en mindre generell revidering", "göra en generell revidering"), "utf-8")
    return views_of(root)


def changes(view: View) -> list[tuple[str, str]]:
    """(change, text) of every marked inline in the view, in order."""
    found: list[tuple[str, str]] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("change"):
                found.append((value["change"], value["text"]))
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner)

    walk(msgspec.to_builtins(view.body))
    return found


def summary(view: View) -> list[str]:
    at = next(i for i, b in enumerate(view.body) if isinstance(b, Heading) and plain(b.inlines) == "Ändrade avsnitt")
    block = view.body[at + 1]
    return [plain(item[0].inlines) for item in block.items] if isinstance(block, ListBlock) else [plain(block.inlines)]


def facts(view: View) -> list[tuple[str, ...]]:
    table = next(b for b in view.body if isinstance(b, Table))
    return [tuple(plain(c) for c in row) for row in table.rows]


def compared(before, after, ident, **options) -> View:
    return comparison(
        Side(before[ident], "version 1.0"), Side(after[ident], "version 1.1"), date="2026-12-07", **options
    )


# ---------------------------------------------------------------- the Swedish cases


def test_the_ledningssystem_revision_shows_each_change_where_it_is(before, after):
    view = compared(before, after, "ledningssystem-2021")
    assert view.title == "Jämförelse: Samverkan Blekinge – ledningssystem"
    assert [(r.label, r.value) for r in view.header_rows][2:4] == [
        ("Tidigare version", "version 1.0"),
        ("Ny version", "version 1.1"),
    ]
    assert summary(view) == [
        "2 Varför samverkan mellan region och kommuner? › 2.5 FoU-avtal: flyttat",
        "6.2 LSVO – Ledningssamverkan vård och omsorg › Mötesformer: ändrat",
        "6.4 Samverkansgrupper › 6.4.3 Samverkansgrupp att åldras: ändrat",
        "6 Bilaga: Samverkanstruktur Samverkan Blekinge › 6.11 Referensgrupp brukarorganisationer: tillagt",
    ]
    assert changes(view)[:5] == [
        ("del", "8 - 10"),
        ("ins", "6 - 8"),
        ("del", "Äldre"),
        ("ins", "att åldras"),
        ("ins", "6.11 Referensgrupp brukarorganisationer"),
    ]
    notes = [plain(b.inlines) for b in view.body if isinstance(b, Paragraph) and "flyttats" in plain(b.inlines)]
    assert notes == [
        "Avsnittet ”2.5 FoU-avtal” har flyttats härifrån. Det står nu efter "
        "”2 Varför samverkan mellan region och kommuner? › 2.6 Samverkansnämnden i Blekinge”.",
        "Avsnittet har flyttats hit. Det stod tidigare efter ”2.4 Gemensamma processer › Säkerställa tillämpning”.",
    ]
    assert ("Status", "Beslutad", "Utkast") in facts(view)
    assert ("Version", "1.0", "1.1") in facts(view)


def test_a_changed_notice_period_is_a_changed_fact(before, after):
    view = compared(before, after, "overenskommelse-malgrupper-2023")
    assert facts(view) == [
        (
            "Uppsägning",
            "senast 12 månader före avtalstidens slut; förlängs annars med 24 månader i taget",
            "senast 6 månader före avtalstidens slut; förlängs annars med 24 månader i taget",
        )
    ]
    assert changes(view) == []
    assert summary(view) == ["Texten har inte ändrats."]


def test_a_protocol_corrected_after_justering_is_compared_by_paragraph(before, after):
    view = compared(before, after, "LSVO-2023-06-16")
    assert summary(view) == ["§ 63 Revidering av LSVOs ledningssystem (PPT): ändrat"]
    assert changes(view) == [("del", "mindre ")]


def test_side_by_side_gives_earlier_and_new_wording_per_changed_section(before, after):
    view = compared(before, after, "LSVO-2023-06-16", side_by_side=True)
    table = view.body[-1]
    assert isinstance(table, Table)
    assert [plain(c) for c in table.header] == ["Tidigare lydelse", "Ny lydelse"]
    (left, right), *_ = table.rows
    assert "göra en mindre generell revidering" in plain(left)
    assert "göra en generell revidering" in plain(right)
    assert {i.change for i in left} == {"", "del"} and {i.change for i in right} == {""}


def test_unchanged_versions_show_no_change(before):
    view = compared(before, before, "ledningssystem-2021")
    assert changes(view) == []
    assert summary(view) == ["Texten har inte ändrats."]
    assert [plain(b.inlines) for b in view.body if isinstance(b, Paragraph)][1] == "Inga uppgifter har ändrats."


# ---------------------------------------------------------------- accept and reject


def accepted(blocks) -> str:
    return _text(blocks, drop="del")


def rejected(blocks) -> str:
    return _text(blocks, drop="ins")


def _text(blocks, drop: str) -> str:
    def keep(value: object) -> object:
        if isinstance(value, dict):
            if value.get("change") == drop:
                return None
            return {k: keep(v) for k, v in value.items() if k != "change"}
        if isinstance(value, list | tuple):
            return [kept for v in value if (kept := keep(v)) is not None]
        return value

    kept = msgspec.convert(keep(msgspec.to_builtins(tuple(blocks))), type=tuple[Block, ...])
    return " ".join(text_of(kept).split())


def body_text(view: View) -> str:
    return " ".join(text_of(tuple(b for section in sections_of(view) for b in _whole(section))).split())


def _whole(section):
    return [*([section.heading] if section.heading else []), *section.blocks]


def text_part(view: View) -> list:
    """The text with changes, without the notes on moved sections."""
    at = next(
        i for i, b in enumerate(view.body) if isinstance(b, Heading) and plain(b.inlines) == "Texten med ändringar"
    )
    return [b for b in view.body[at + 1 :] if not _is_note(b)]


def _is_note(block) -> bool:
    return isinstance(block, Paragraph) and all(i.italic for i in block.inlines) and "flyttats" in plain(block.inlines)


def test_moves_as_changes_accept_gives_the_new_text_and_reject_the_old(before, after):
    view = compared(before, after, "ledningssystem-2021", moves_as_changes=True)
    blocks = text_part(view)
    assert accepted(blocks) == body_text(after["ledningssystem-2021"])
    assert rejected(blocks) == body_text(before["ledningssystem-2021"])


def test_shown_moves_accept_gives_the_new_text(before, after):
    view = compared(before, after, "ledningssystem-2021")
    assert accepted(text_part(view)) == body_text(after["ledningssystem-2021"])


# ---------------------------------------------------------------- words and sections


def runs(old: str, new: str) -> list[tuple[str, str]]:
    return [(i.change, i.text) for i in compare_inlines((Inline(text=old),), (Inline(text=new),))]


def test_a_changed_full_stop_leaves_the_word_standing():
    assert runs("hälso- och sjukvård.", "hälso- och sjukvård") == [("", "hälso- och sjukvård"), ("del", ".")]
    assert [t.text for t in tokens((Inline(text="sjukvård."),))] == ["sjukvård", "."]


def test_words_replaced_in_a_row_read_as_one_change():
    assert runs("LSVO möts 8 - 10 gånger per år.", "LSVO möts 6 - 8 gånger per år.") == [
        ("", "LSVO möts "),
        ("del", "8 - 10"),
        ("ins", "6 - 8"),
        ("", " gånger per år."),
    ]


def test_formatting_is_part_of_a_word():
    old = (Inline(text="Beslut fattas "), Inline(text="enhälligt", bold=True))
    new = (Inline(text="Beslut fattas "), Inline(text="enhälligt"))
    out = compare_inlines(old, new)
    assert [(i.change, i.text, i.bold) for i in out] == [
        ("", "Beslut fattas ", False),
        ("del", "enhälligt", True),
        ("ins", "enhälligt", False),
    ]


SWEDISH = st.sampled_from(
    ["samverkan", "regionen", "kommunerna", "ska", "att", "vård", "omsorg", "för", "Blekinge", "år", "ändrats"]
)
PUNCTUATION = st.sampled_from([" ", " ", " ", ", ", ". ", " – ", "; ", ": ", "\u00a0"])
TEXT = st.lists(st.tuples(SWEDISH, PUNCTUATION), max_size=25).map(lambda parts: "".join(w + p for w, p in parts))


@given(TEXT, TEXT)
def test_removing_insertions_gives_the_old_text_and_removing_deletions_the_new(old, new):
    out = compare_inlines((Inline(text=old),), (Inline(text=new),))
    assert "".join(i.text for i in out if i.change != "ins") == old
    assert "".join(i.text for i in out if i.change != "del") == new
    assert all(a.change != b.change or a.change == "" for a, b in zip(out, out[1:], strict=False))


BLOCK_TEXT = st.lists(TEXT.filter(lambda t: t.strip()), min_size=1, max_size=6)


@given(BLOCK_TEXT, BLOCK_TEXT)
def test_blocks_compared_keep_both_texts(old, new):
    a = tuple(Paragraph(inlines=(Inline(text=t),)) for t in old)
    b = tuple(Paragraph(inlines=(Inline(text=t),)) for t in new)
    out = compare_blocks(a, b)
    assert rejected(out) == " ".join(" ".join(old).split())
    assert accepted(out) == " ".join(" ".join(new).split())


def sections(markdown: str):
    return _split(parse(markdown), shift=1)


def states(old: str, new: str) -> list[tuple[str, str]]:
    return [(p.title, p.state) for p in align(sections(old), sections(new))]


def test_sections_align_by_heading_and_a_swap_is_one_move():
    old = "# A\n\nett\n\n# B\n\ntvå\n\n# C\n\ntre\n"
    assert states(old, old) == [("A", "same"), ("B", "same"), ("C", "same")]
    assert states(old, "# A\n\nett\n\n# C\n\ntre\n\n# B\n\ntvå\n") == [
        ("A", "same"),
        ("B", "left"),
        ("C", "same"),
        ("B", "moved"),
    ]


def test_a_renamed_section_is_found_by_its_words_and_an_unlike_one_is_added():
    old = "# Mötesformer\n\nGruppen möts åtta till tio gånger per år på dagtid.\n\n# Budget\n\nIngen egen budget.\n"
    new = "# Möten\n\nGruppen möts åtta till tio gånger per år på dagtid.\n\n# Kostnader\n\nRegionen betalar lokalen.\n"
    assert states(old, new) == [("Möten", "changed"), ("Budget", "removed"), ("Kostnader", "added")]


def test_headings_under_the_same_title_pair_in_order():
    old = "# 1 LSVO\n\n## Uppdrag\n\nett\n\n# 2 Grupp\n\n## Uppdrag\n\ntvå\n"
    new = "# 1 LSVO\n\n## Uppdrag\n\nett\n\n# 2 Grupp\n\n## Uppdrag\n\ntvå och tre\n"
    assert states(old, new) == [("1 LSVO", "same"), ("Uppdrag", "same"), ("2 Grupp", "same"), ("Uppdrag", "changed")]
    assert [s.place for s in sections(new)][-1] == "2 Grupp › Uppdrag"
