"""A comparison's changes (sb compare, SPEC §13) in every format that `sb render` writes: CriticMarkup in
Markdown, <ins>/<del> with hidden labels in HTML, underlined and struck-through Spans with ActualText in
the PDF, and Word's tracked changes, whose acceptance gives the new text and whose rejection the old.

The comparison is built by hand here (sb_cli/render/compare.py builds it from two versions): a change in
a heading, a paragraph, a nested list item and a table cell, a paragraph added and one removed."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html
from msgspec.structs import replace

from sb_cli.render.docx import render_docx
from sb_cli.render.markdown import Block, Heading, Inline, Inlines, ListBlock, Paragraph, Quote, Table
from sb_cli.render.pdf import render_pdf
from sb_cli.render.text import blocks_md, md, to_html, to_markdown
from sb_cli.render.view import HeaderRow, Meta, View
from tests.conftest import REPO
from tests.render.test_render_cli import assert_pdf_conforms, assert_word_opens_cleanly

TEMPLATES = REPO / "templates"
AS_OF = dt.date(2026, 11, 22)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def i(text: str, change: str = "", **format: Any) -> Inline:
    return Inline(text=text, change=change, **format)  # type: ignore[arg-type]


BODY: tuple[Block, ...] = (
    Heading(level=1, inlines=(i("Möten "), i("varje", "del"), i("var", "ins"), i(" månad"))),
    Paragraph(
        inlines=(
            i("Forumet "),
            i("LSVO", "del"),
            i("Ledningsgruppen", "ins"),
            i(" möts "),
            i("fyra", "del"),
            i("sex", "ins"),
            i(" gånger per år."),
        )
    ),
    ListBlock(
        ordered=False,
        items=(
            (
                Paragraph(inlines=(i("Forum"),)),
                ListBlock(
                    ordered=True,
                    items=(
                        (
                            Paragraph(
                                inlines=(
                                    i("Inre "),
                                    i("gammal", "del", bold=True),
                                    i("ny", "ins", link="https://example.se"),
                                    i(" punkt"),
                                )
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Table(
        header=((i("Forum"),), (i("Möten"), i(" per år", "ins"))),
        rows=(((i("LSVO"),), (i("4", "del"), i("6", "ins"))),),
    ),
    Paragraph(inlines=(i("Ett nytt stycke om ", "ins"), i("samverkan", "ins", italic=True), i(".", "ins"))),
    Paragraph(inlines=(i("Ett borttaget stycke.", "del"),)),
)


def comparison(body: tuple[Block, ...] = BODY, date: str | None = "2026-12-07") -> View:
    meta = Meta(
        title="Jämförelse: Ledningssystem",
        author="LSVO",
        owner="LSVO",
        version="1.1",
        valid_until="",
        diarienummer="",
        status="utkast",
        date=date,
        keywords=(),
    )
    return View(
        kind="styrdokument",
        lang="sv-SE",
        id="ledningssystem-2021",
        type="ledningssystem",
        type_label="Jämförelse",
        title="Jämförelse: Ledningssystem",
        running_header="Jämförelse: Ledningssystem",
        public_label="",
        meta=meta,
        footer="ledningssystem-2021 · version 1.0 → 1.1",
        header_rows=(HeaderRow(label="Versioner", value="1.0 → 1.1"),),
        body=body,
        public=False,
    )


def version(blocks: tuple[Block, ...], keep: str) -> tuple[Block, ...]:
    """The blocks of one version: the changes of kind `keep` ("ins": the new, "del": the old) as plain
    text, the others left out, and paragraphs left empty left out."""

    def kept(inlines: Inlines) -> Inlines:
        return tuple(replace(x, change="") for x in inlines if x.change in ("", keep))

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            if any(x.text for x in kept(block.inlines)):
                out.append(replace(block, inlines=kept(block.inlines)))
        elif isinstance(block, ListBlock):
            items = tuple(item for item in (version(x, keep) for x in block.items) if item)
            if items:
                out.append(replace(block, items=items))
        elif isinstance(block, Table):
            rows = tuple(tuple(kept(c) for c in row) for row in block.rows)
            out.append(replace(block, header=tuple(kept(c) for c in block.header), rows=rows))
        elif isinstance(block, Quote):
            out.append(replace(block, blocks=version(block.blocks, keep)))
        else:
            out.append(block)
    return tuple(out)


# ---------------------------------------------------------------- Markdown


def test_markdown_marks_changes_in_criticmarkup():
    assert blocks_md(BODY) == [
        "## Möten {--varje--}{++var++} månad",
        "",
        "Forumet {--LSVO--}{++Ledningsgruppen++} möts {--fyra--}{++sex++} gånger per år.",
        "",
        "- Forum",
        "   1. Inre {--**gammal**--}{++[ny](<https://example.se>)++} punkt",
        "",
        "| Forum | Möten{++ per år++} |",
        "| --- | --- |",
        "| LSVO | {--4--}{++6++} |",
        "",
        "{++Ett nytt stycke om *samverkan*.++}",
        "",
        "{--Ett borttaget stycke.--}",
        "",
    ]


def decided_md(lines: list[str], keep: str) -> list[str]:
    """CriticMarkup read as a CriticMarkup processor reads it (a lazy match from "{++" to "++}"),
    every change accepted (`keep` "ins") or rejected ("del"); blank lines left out."""
    marks = {"ins": r"\{\+\+(.*?)\+\+\}", "del": r"\{--(.*?)--\}"}
    drop = "del" if keep == "ins" else "ins"
    text = re.sub(marks[drop], "", re.sub(marks[keep], r"\1", "\n".join(lines), flags=re.S), flags=re.S)
    return [line for line in text.split("\n") if line.strip()]


def test_markdown_accepted_or_rejected_gives_each_version():
    tricky = (Paragraph(inlines=(i("Se {++ här ++} och "), i("a--b {--", "del"), i("c++}", "ins"), i(" --} slut"))),)
    for body in (BODY, tricky):
        for keep in ("ins", "del"):
            assert decided_md(blocks_md(body), keep) == [line for line in blocks_md(version(body, keep)) if line]


def test_markdown_of_unchanged_text_is_as_before_and_its_braces_are_no_marks():
    from markdown_it import MarkdownIt

    literal = "Se {++ här ++} och {-- där --}, {==märkt==}: 1+1 {+ och a--b}"
    body = (Paragraph(inlines=(i("Text med *stjärna* och "), i("fet", bold=True), i(" slut."))),)
    assert blocks_md(body) == [r"Text med \*stjärna\* och **fet** slut.", ""]
    escaped = md(literal)
    assert escaped == r"Se {+\+ här +\+} och {-\- där -\-}, {=\=märkt=\=}: 1+1 {+ och a--b}"
    assert not re.search(r"\{\+\+|\+\+\}|\{--|--\}|\{==|==\}", escaped)
    shown = html.fromstring(MarkdownIt("commonmark").render(escaped)).text_content()
    assert shown.strip() == literal
    unchanged = to_markdown(comparison(version(BODY, "ins")))
    assert "{++" not in unchanged and "{--" not in unchanged and "Ledningsgruppen" in unchanged


# ---------------------------------------------------------------- HTML


def main_of(view: View) -> Any:
    return html.fromstring(to_html(view, TEMPLATES)).find(".//main")


def test_html_marks_changes_with_ins_del_and_hidden_labels():
    main = main_of(comparison())
    marks = [(e.tag, e.text_content()) for e in main.iter("ins", "del")]
    assert marks == [
        ("del", "Borttaget: varje"),
        ("ins", "Tillagt: var"),
        ("del", "Borttaget: LSVO"),
        ("ins", "Tillagt: Ledningsgruppen"),
        ("del", "Borttaget: fyra"),
        ("ins", "Tillagt: sex"),
        ("del", "Borttaget: gammal"),
        ("ins", "Tillagt: ny"),
        ("ins", "Tillagt:  per år"),
        ("del", "Borttaget: 4"),
        ("ins", "Tillagt: 6"),
        ("ins", "Tillagt: Ett nytt stycke om samverkan."),  # one <ins> for the run, not one per inline
        ("del", "Borttaget: Ett borttaget stycke."),
    ]
    for mark in main.iter("ins", "del"):
        label = mark[0]
        assert label.tag == "span" and label.get("class") == "visually-hidden"
    assert main.find(".//ins/a").get("href") == "https://example.se"
    assert main.find(".//del/strong").text == "gammal"
    css = html.fromstring(to_html(comparison(), TEMPLATES)).find(".//style").text
    assert re.search(r"\bins \{[^}]*text-decoration: underline", css)
    assert re.search(r"\bdel \{[^}]*text-decoration: line-through", css)
    assert re.search(r"\.visually-hidden \{[^}]*position: absolute[^}]*clip", css)
    site = (TEMPLATES / "site" / "site.css").read_text("utf-8")
    assert ".visually-hidden" in site and "line-through" in site


def test_html_of_unchanged_text_has_no_marks():
    main = main_of(comparison(version(BODY, "del")))
    assert not list(main.iter("ins", "del")) and "Ett borttaget stycke." in main.text_content()


@pytest.mark.slow
def test_html_of_a_comparison_passes_the_reference_checkers(tmp_path):
    """The Nu Html Checker and axe-core, as tests/render/test_html_checkers.py runs them: nothing found."""
    import json

    from tests.render.test_html_checkers import VNU, WEB

    page = tmp_path / "jamforelse.html"
    page.write_text(to_html(comparison(), TEMPLATES), "utf-8")
    java = shutil.which("java")
    assert java and VNU.is_file(), "kör: npm ci --prefix tests/web"
    vnu = subprocess.run([java, "-jar", str(VNU), "--format", "json", str(page)], capture_output=True, text=True)
    assert json.loads(vnu.stderr)["messages"] == []
    axe = subprocess.run(["node", str(WEB / "axe.mjs"), str(page)], capture_output=True, text=True, check=True)
    assert json.loads(axe.stdout) == {str(page): []}


SWEDISH = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ .,;:!?–-()§\"'&<>", min_size=1, max_size=10)
RUNS = st.lists(st.tuples(SWEDISH, st.sampled_from(["", "ins", "del"]), st.booleans()), min_size=1, max_size=8)


def shown_version(paragraph: Any, dropped: str, unwrapped: str) -> str:
    """The paragraph's text with the `dropped` elements and their content left out and the
    `unwrapped` elements' hidden labels left out."""
    copy = html.fromstring(html.tostring(paragraph))
    for element in list(copy.iter(dropped)):
        element.drop_tree()
    for label in list(copy.iter("span")):
        if label.get("class") == "visually-hidden":
            label.drop_tree()
    for element in list(copy.iter(unwrapped)):
        element.drop_tag()
    return str(copy.text_content())


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(RUNS)
def test_html_gives_the_old_text_without_ins_and_the_new_without_del(runs):
    inlines = tuple(i(text, change, bold=bold) for text, change, bold in runs)
    paragraph = main_of(comparison((Paragraph(inlines=inlines),))).findall("p")[-1]
    old = "".join(text for text, change, _ in runs if change != "ins")
    new = "".join(text for text, change, _ in runs if change != "del")
    assert shown_version(paragraph, "ins", "del") == old
    assert shown_version(paragraph, "del", "ins") == new


# ---------------------------------------------------------------- PDF


def actual_texts(pdf: bytes) -> list[str]:
    """The ActualText of every structure element, in document order."""
    found: list[str] = []

    def walk(element: Any) -> None:
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if "/ActualText" in kid:
                    assert kid.S == "/Span"
                    found.append(str(kid.ActualText))
                walk(kid)

    with pikepdf.open(io.BytesIO(pdf)) as document:
        walk(document.Root.StructTreeRoot)
    return found


def pdf_words(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    text = " ".join(page.get_textpage().get_text_bounded() for page in document)
    return re.sub(r"\s+", " ", re.sub(r"-\s*\n", "", text))


@pytest.mark.slow
def test_pdf_tags_each_change_with_words_and_conforms(tmp_path):
    pdf = render_pdf(comparison(), TEMPLATES, timestamp=0)
    assert actual_texts(pdf) == [
        "Borttaget: varje",
        "Tillagt: var",
        "Borttaget: LSVO",
        "Tillagt: Ledningsgruppen",
        "Borttaget: fyra",
        "Tillagt: sex",
        "Borttaget: gammal",
        "Tillagt: ny",
        " Tillagt: per år",
        "Borttaget: 4",
        "Tillagt: 6",
        # typst makes a Span for each part with a format of its own; the run's label is on the first
        "Tillagt: Ett nytt stycke om samverkan.",
        "",
        "",
        "Borttaget: Ett borttaget stycke.",
    ]
    words = pdf_words(pdf)  # the new text stands a little apart from the removed text it replaces
    for phrase in (
        "Möten varje var månad",
        "Forumet LSVO Ledningsgruppen möts fyra sex gånger",
        "Ett borttaget stycke.",
    ):
        assert phrase in words
    path = tmp_path / "jamforelse.pdf"
    path.write_bytes(pdf)
    assert_pdf_conforms(path)


@pytest.mark.slow
def test_pdf_labels_a_change_that_runs_over_a_page_break_once():
    sentence = "Samverkan mellan regionen och kommunerna kräver tydliga forum och ett tydligt ansvar. "
    body = (
        Paragraph(inlines=(i("Början "), i(sentence * 80, "ins"), i(" slut."))),
        Paragraph(inlines=(i("Länkad "), i(sentence * 80, "del", link="https://example.se", bold=True))),
        Paragraph(inlines=(i("Blanksteg"), i("  ", "ins"), i("ändrat"), i("  ", "del"), i("igen", "ins"))),
    )
    pdf = render_pdf(comparison(body), TEMPLATES, timestamp=0)
    labels = [label for label in actual_texts(pdf) if label]
    assert labels == [
        "Tillagt: " + sentence * 80,
        "Borttaget: " + sentence * 80,
        "Tillagt: igen",  # a change of spaces only shows nothing and has no label
    ]
    assert len(pdfium.PdfDocument(pdf)) >= 4


@pytest.mark.slow
def test_pdf_labels_every_change_of_a_real_comparison(tmp_path):
    """The ledningssystem 1.0 against the 1.1 of tests/cases/compare (long enough for a table of
    contents, which repeats the headings): one label for each run of change, in order."""
    from sb_cli.corpus import load_corpus
    from sb_cli.io.repo import load_settings
    from sb_cli.render.compare import Side
    from sb_cli.render.compare import comparison as compare
    from sb_cli.render.pdf import changed_runs, labelled
    from sb_cli.render.view import build

    def view_of(root: Path) -> View:
        corpus = load_corpus(load_settings(root, root)).corpus
        document = corpus.by_id["ledningssystem-2021"]
        return build(document, corpus.organisation, as_of=AS_OF, commit=None, version="0")

    root = tmp_path / "andrad"
    shutil.copytree(REPO / "documents", root / "documents")
    shutil.copy(REPO / "sb.toml", root / "sb.toml")
    revised = REPO / "tests" / "cases" / "compare" / "ledningssystem-1.1.md"
    shutil.copy(revised, root / "documents" / "styrdokument" / "ledningssystem-2021.md")
    old, new = Side(view_of(REPO), "version 1.0"), Side(view_of(root), "version 1.1")
    for options in ({}, {"side_by_side": True}, {"moves_as_changes": True}):
        view = compare(old, new, date="2026-12-07", **options)
        runs = [labelled(run) for block in changed_runs(view) for run in block]
        assert len(runs) >= 6
        assert [label for label in actual_texts(render_pdf(view, TEMPLATES, timestamp=0)) if label] == runs


# ---------------------------------------------------------------- Word


def document_xml(docx: bytes) -> Any:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))


def decided(root: Any, keep: str) -> list[str]:
    """Every paragraph's text after accepting every change (`keep` "ins") or rejecting every change
    (`keep` "del"): the other kind's runs and paragraphs left out, this kind's unwrapped."""
    drop = "del" if keep == "ins" else "ins"
    for p in list(root.iter(f"{W}p")):
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None:
            p.getparent().remove(p)
    for element in list(root.iter(f"{W}{drop}")):
        if element.getparent().tag != f"{W}rPr":
            element.getparent().remove(element)
    return [text_of(p) for p in root.iter(f"{W}p")]


def text_of(paragraph: Any) -> str:
    parts = paragraph.iter(f"{W}t", f"{W}delText", f"{W}br", f"{W}tab")
    return "".join({f"{W}br": "\n", f"{W}tab": "\t"}.get(e.tag, e.text or "") for e in parts)


def paragraphs(docx: bytes) -> list[str]:
    return decided(document_xml(docx), "ins")


def test_word_tracks_each_change_and_accepting_or_rejecting_gives_each_version():
    docx = render_docx(comparison(), TEMPLATES, timestamp=0)
    root = document_xml(docx)
    changes = list(root.iter(f"{W}ins", f"{W}del"))
    ids = [e.get(f"{W}id") for e in changes]
    assert len(changes) == 15 and len(set(ids)) == len(ids)  # 13 runs and 2 paragraph marks
    assert {(e.get(f"{W}author"), e.get(f"{W}date")) for e in changes} == {("sb", "2026-12-07T00:00:00Z")}
    removed = [t.text for t in root.iter(f"{W}delText")]
    assert removed == ["varje", "LSVO", "fyra", "gammal", "4", "Ett borttaget stycke."]
    assert all(t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve" for t in root.iter(f"{W}delText"))
    assert not [t for t in root.iter(f"{W}t") if t.getparent().getparent().tag == f"{W}del"]
    whole = [
        (kind, text_of(p))
        for p in root.iter(f"{W}p")
        for kind in ("ins", "del")
        if p.find(f"{W}pPr/{W}rPr/{W}{kind}") is not None
    ]
    assert whole == [("ins", "Ett nytt stycke om samverkan."), ("del", "Ett borttaget stycke.")]
    new = paragraphs(render_docx(comparison(version(BODY, "ins")), TEMPLATES, timestamp=0))
    old = paragraphs(render_docx(comparison(version(BODY, "del")), TEMPLATES, timestamp=0))
    assert decided(document_xml(docx), "ins") == new
    assert decided(document_xml(docx), "del") == old
    assert "Forumet Ledningsgruppen möts sex gånger per år." in new and "Ett borttaget stycke." not in new
    assert "Forumet LSVO möts fyra gånger per år." in old and "Ett nytt stycke om samverkan." not in old


def test_word_tracks_the_line_breaks_of_a_paragraph_added_or_removed_as_a_whole():
    """The comparison does not compare line breaks; in a paragraph added or removed as a whole they
    go with it, so that no empty line is left behind."""
    body = (
        Paragraph(inlines=(i("Före."),)),
        Paragraph(inlines=(i("Rad ett", "ins"), Inline(hard_break=True), i("rad två", "ins"))),
        Paragraph(inlines=(i("Gammal rad", "del"), Inline(hard_break=True), i("och en till", "del"))),
        Paragraph(inlines=(i("Efter."),)),
    )
    root = document_xml(render_docx(comparison(body), TEMPLATES, timestamp=0))
    marked = (f"{W}pPr/{W}rPr/{W}ins", f"{W}pPr/{W}rPr/{W}del")
    tracked = [p for p in root.iter(f"{W}p") if any(p.find(path) is not None for path in marked)]
    assert [[r.getparent().tag.removeprefix(W) for r in p.iter(f"{W}r")] for p in tracked] == [
        ["ins", "ins", "ins"],
        ["del", "del", "del"],
    ]
    accepted, rejected = decided(etree.fromstring(etree.tostring(root)), "ins"), decided(root, "del")
    assert accepted == paragraphs(render_docx(comparison(version(body, "ins")), TEMPLATES, timestamp=0))
    assert rejected == paragraphs(render_docx(comparison(version(body, "del")), TEMPLATES, timestamp=0))
    assert "Rad ett\nrad två" in accepted and "Gammal rad\noch en till" in rejected


def test_word_changes_without_a_date_have_none():
    root = document_xml(render_docx(comparison(date=None), TEMPLATES, timestamp=0))
    changes = list(root.iter(f"{W}ins", f"{W}del"))
    assert changes and all(e.get(f"{W}date") is None and e.get(f"{W}author") == "sb" for e in changes)


def test_word_of_unchanged_text_tracks_nothing():
    root = document_xml(render_docx(comparison(version(BODY, "ins")), TEMPLATES, timestamp=0))
    assert not list(root.iter(f"{W}ins", f"{W}del", f"{W}delText"))


@pytest.mark.slow
def test_word_opens_cleanly_and_libreoffice_shows_the_new_text_with_changes_hidden(tmp_path):
    """openxml-audit: 0 errors. LibreOffice, told by the file's settings to hide the changes (Word's
    "Slutgiltig" view, <w:revisionView w:insDel="0"/>), prints the text as accepting every change gives."""
    docx = render_docx(comparison(), TEMPLATES, timestamp=0)
    path = tmp_path / "jamforelse.docx"
    path.write_bytes(docx)
    assert_word_opens_cleanly(path)
    if shutil.which("soffice") is None:
        if os.environ.get("SB_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("SB_REQUIRE_LIBREOFFICE=1 men LibreOffice (soffice) saknas", pytrace=False)
        pytest.skip("LibreOffice saknas")
    hidden = tmp_path / "dolda.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hidden, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/settings.xml":
                data = re.sub(rb"(<w:zoom\b[^>]*/>)", rb'\1<w:revisionView w:insDel="0" w:formatting="0"/>', data)
                assert b"revisionView" in data
            target.writestr(item, data)
    profile = (tmp_path / "lo-profil").as_uri()
    command = ["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf"]
    result = subprocess.run([*command, "--outdir", str(tmp_path), str(hidden)], capture_output=True, timeout=300)
    printed = tmp_path / "dolda.pdf"
    assert printed.is_file(), result.stderr
    words = pdf_words(printed.read_bytes())
    new = [p for p in paragraphs(render_docx(comparison(version(BODY, "ins")), TEMPLATES, timestamp=0)) if p]
    start = words.index("Möten var månad")
    for paragraph in new[new.index("Möten var månad") :]:
        assert paragraph in words[start:], paragraph
    for removed in ("varje", "gammal", "fyra", "Ett borttaget stycke"):
        assert removed not in words
