"""A corrected transcription says so in every format: "Rättad avskrift" with each correction's date and
note, after the text; a document never corrected shows nothing of it."""

import datetime as dt
import io

import docx

from sb_cli.core.records import Styrdokument
from sb_cli.render.docx import render_docx
from sb_cli.render.text import to_html, to_markdown
from sb_cli.render.view import build
from tests.builders import ORGANISATION, document, rutin
from tests.conftest import REPO

NOTE = "Stycke 2 återges i sin helhet."
CORRECTED = rutin(body="Text i sin helhet.") + (
    f"corrections:\n  - {{date: 2026-02-10, note: {NOTE}, source: Originalet sidan 2.}}\n"
)


def view_of(text):
    built = document(text)
    assert isinstance(built.record, Styrdokument)
    return build(built, ORGANISATION, as_of=dt.date(2026, 3, 1), commit=None, version="0.1.0")


def word_paragraphs(view):
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(render_docx(view, REPO / "templates"))).paragraphs]


def test_every_format_shows_the_correction_after_the_text():
    view = view_of(CORRECTED)
    assert [(c.date, c.note) for c in view.corrections] == [("2026-02-10", NOTE)]
    markdown = to_markdown(view)
    assert (
        markdown.index("Text i sin helhet.")
        < markdown.index("## Rättad avskrift")
        < markdown.index(f"- 2026-02-10: {NOTE}")
    )
    html = to_html(view, REPO / "templates")
    assert '<h2 id="rattad-avskrift">Rättad avskrift</h2>' in html
    assert f'<li><time datetime="2026-02-10">2026-02-10</time>: {NOTE}</li>' in html
    paragraphs = word_paragraphs(view)
    heading = paragraphs.index(("Heading 1", "Rättad avskrift"))
    assert paragraphs[heading + 1][1] == f"2026-02-10: {NOTE}"


def test_a_text_never_corrected_shows_nothing_of_it():
    view = view_of(rutin())
    assert view.corrections == ()
    assert "Rättad avskrift" not in to_markdown(view)
    assert "Rättad avskrift" not in to_html(view, REPO / "templates")
    assert all("Rättad avskrift" not in text for _, text in word_paragraphs(view))
