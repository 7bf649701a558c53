"""`sb compare` of the ledningssystem 1.0 (committed) against the draft 1.1 (the working copy, from
tests/cases/compare/) in every format, as a member gets it: the Markdown against its reviewed copy,
the PDF through page-validation, the Word file with its changes accepted and rejected, the HTML in
Chromium with axe-core. The pictures for the README go to docs/compare/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sb_cli.render.compare import PARALLEL_HEADING, TEXT_HEADING
from tests.conftest import REPO, invoke
from tests.io.conftest import git
from tests.render.test_render_cli import assert_pdf_conforms

CASES = REPO / "tests" / "cases" / "compare"
PICTURES = REPO / "docs" / "compare"
STEM = "ledningssystem-2021-1.0-1.1"
AS_OF = "2026-12-07"

pytestmark = [pytest.mark.git, pytest.mark.slow]


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Path:
    """The four files of the comparison, in a folder of their own."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "documents", root / "documents")
    shutil.copy(REPO / "sb.toml", root / "sb.toml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Sekreterare", "-c", "user.email=s@example.se", "commit", "-q", "-m", "Version 1.0")
    shutil.copy(CASES / "ledningssystem-1.1.md", root / "documents" / "styrdokument" / "ledningssystem-2021.md")
    out = tmp_path_factory.mktemp("ut")
    formats = [a for f in ("md", "html", "pdf", "docx") for a in ("--format", f)]
    options = ("--out", out, "--as-of", AS_OF, "--root", root, "--side-by-side")
    result = invoke("compare", "ledningssystem-2021", *formats, *options)
    assert result.exit_code == 0, result.output
    return out


def test_the_markdown_is_the_reviewed_comparison(compared):
    """The whole comparison as CriticMarkup, against a copy read through line by line: the facts
    that changed, the four changed sections, each change where it stands."""
    written = (compared / f"{STEM}.md").read_text("utf-8")
    assert written == (CASES / f"{STEM}.md").read_text("utf-8")


def test_the_pdf_is_tagged_and_archivable_and_says_what_changed(compared):
    import pikepdf
    import pypdfium2

    path = compared / f"{STEM}.pdf"
    assert_pdf_conforms(path)
    spans = []
    with pikepdf.open(path) as pdf:
        for element in _elements(pdf.Root.StructTreeRoot):
            if element.get("/S") == "/Span" and "/ActualText" in element:
                spans.append(str(element.ActualText))
    assert spans[:4] == ["Borttaget: 8 - 10", "Tillagt: 6 - 8", "Borttaget: Äldre", "Tillagt: att åldras"]
    document = pypdfium2.PdfDocument(str(path))
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    changed = next(i for i, text in enumerate(pages) if "6 - 8 gånger per år" in text)
    PICTURES.mkdir(parents=True, exist_ok=True)
    picture = PICTURES / "jamforelse-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", str(changed + 1), "-l", str(changed + 1), "-singlefile", path, picture],
        check=True,
    )
    assert picture.with_suffix(".png").stat().st_size > 10_000


def _elements(node):
    """The structure elements under `node`, in document order."""
    import pikepdf

    stack = [node]
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary):
            continue
        yield element
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif kids is not None:
            stack.append(kids)


@pytest.mark.browser
def test_the_html_has_no_axe_violations_and_reflows(compared, browser):
    from tests.publish.test_browser import axe

    page = browser.new_page()
    try:
        page.goto((compared / f"{STEM}.html").as_uri())
        report = axe(page)
        assert report["violations"] == []
        assert page.locator("ins").first.text_content() == "Tillagt: 6 - 8"
        PICTURES.mkdir(parents=True, exist_ok=True)
        for width in (320, 375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, f"{width} px: sidan är {scroll} px bred"
            if width != 320:
                page.locator("ins").first.scroll_into_view_if_needed()
                page.screenshot(path=str(PICTURES / f"jamforelse-html-{width}.png"))
    finally:
        page.close()


def text_part(paragraphs: list[str]) -> str:
    """The text with changes, as one line of words: after its heading, before the two columns,
    without the notes on moved sections."""
    start = paragraphs.index(TEXT_HEADING) + 1
    end = paragraphs.index(PARALLEL_HEADING) if PARALLEL_HEADING in paragraphs else len(paragraphs)
    kept = [p for p in paragraphs[start:end] if not (p.startswith("Avsnittet ") and "flyttats" in p)]
    return " ".join(" ".join(kept).split())


def body_words(path: Path) -> str:
    """The words of a document's text as sb reads it."""
    from sb_cli.io.loader import parse_bytes
    from sb_cli.render.markdown import parse, text_of

    source = parse_bytes(path.name, path.read_bytes()).source
    assert source is not None
    return " ".join(text_of(parse(source.body)).split())


def test_word_accept_all_gives_the_new_text_and_reject_all_the_old(compared):
    from tests.render.test_change_marks import decided, document_xml

    docx = (compared / f"{STEM}.docx").read_bytes()
    accepted = text_part(decided(document_xml(docx), "ins"))
    rejected = text_part(decided(document_xml(docx), "del"))
    assert accepted == body_words(CASES / "ledningssystem-1.1.md")
    assert rejected == body_words(REPO / "documents" / "styrdokument" / "ledningssystem-2021.md")
