"""The site's "Vad ändrades" pages (SPEC §8, §13): a styrdokument decided as 1.0 and then as 1.1 gets a
page at dokument/<id>/andringar/1.1/index.html with the changed words as <ins> and <del>, linked from
the document's versions; a document published once gets none, and a rebuild keeps the page as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sb_cli.publish.changes import changes
from tests.publish.conftest import case_repository, publish_site, revise
from tools.golden import commit_all

pytestmark = pytest.mark.git

PAGE = Path("dokument/rutin-avvikelser/andringar/1.1/index.html")


def row(commit: str, version: str | None, status: str | None) -> dict[str, str | None]:
    return {"commit": commit, "date": "2026-01-20", "message": "m", "version": version, "status": status}


def test_each_later_published_version_is_compared_with_the_published_one_before_it():
    history = [  # newest first, as git log gives it
        row("e5", "2.0", "upphavd"),
        row("d4", "2.0", "beslutad"),
        row("c3", "2.0", "utkast"),
        row("b2", "1.0", "beslutad"),
        row("a1", "1.0", "remiss"),
    ]
    found = changes(history)
    assert [(c.old.version, c.old.commit, c.new.version, c.new.commit) for c in found] == [("1.0", "b2", "2.0", "d4")]
    assert found[0].page("rutin-a") == "dokument/rutin-a/andringar/2.0/index.html"


def test_a_document_published_once_or_only_repealed_after_has_no_change():
    assert changes([row("b2", "1.0", "upphavd"), row("a1", "1.0", "beslutad")]) == []
    assert changes([row("b2", "1.1", "utkast"), row("a1", "1.0", "beslutad")]) == []


def test_a_version_that_cannot_be_a_folder_name_is_named_by_its_commit():
    history = [row("f00dcafe12", "../1.1", "beslutad"), row("a1", "1.0", "beslutad")]
    assert changes(history)[0].page("rutin-a") == "dokument/rutin-a/andringar/f00dcaf/index.html"
    dotted = [row("f00dcafe12", ".1", "beslutad"), row("a1", "1.0", "beslutad")]
    assert changes(dotted)[0].folder == "f00dcaf"


@pytest.fixture(scope="module")
def revised_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The case corpus with its rutin decided as 1.0 and then as 1.1: the repository and its site."""
    root = case_repository(tmp_path_factory.mktemp("repo"), revised=True)
    return root, publish_site(root, tmp_path_factory.mktemp("webb") / "site")


def test_the_page_shows_the_changed_words_as_ins_and_del(revised_site):
    _root, site = revised_site
    html = (site / PAGE).read_text("utf-8")
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Vad ändrades i version 1.1"]
    assert '<del><span class="visually-hidden">Borttaget: </span>Se</del>' in html
    assert '<ins><span class="visually-hidden">Tillagt: </span>Läs</ins>' in html
    assert '<ins><span class="visually-hidden">Tillagt: </span>Avvikelser rapporteras till LSVO' in html
    assert "<td>version 1.0, beslutad 2026-01-16</td>" in html and "<td>version 1.1, beslutad 2026-02-13</td>" in html
    assert '<link rel="stylesheet" href="../../../../site.css">' in html  # the site's layout
    assert '<a href="../../../../LSVO/2026-01-16/index.html">protokollet</a>' in html  # links made the site's


def test_the_document_page_links_the_page_from_its_versions(revised_site):
    _root, site = revised_site
    html = (site / "dokument" / "rutin-avvikelser" / "index.html").read_text("utf-8")
    versions = html[html.index("<h2>Versioner</h2>") :]
    assert '<a href="andringar/1.1/index.html">Vad ändrades i version 1.1</a>' in versions
    assert versions.count("Vad ändrades") == 1  # not on version 1.0's row


def test_a_document_with_one_published_version_has_no_page(revised_site):
    _root, site = revised_site
    assert not (site / "dokument" / "overenskommelse-test" / "andringar").exists()
    page = (site / "dokument" / "overenskommelse-test" / "index.html").read_text("utf-8")
    assert "Vad ändrades" not in page and "Jämförelse" not in page


def test_a_new_version_adds_a_page_and_keeps_the_earlier_one(revised_site, tmp_path):
    _root, site = revised_site
    root = case_repository(tmp_path / "repo", revised=True)
    out = publish_site(root, tmp_path / "site")
    before = (out / PAGE).stat().st_ino
    assert (out / PAGE).read_bytes() == (site / PAGE).read_bytes()  # the same in every build
    revise(
        root / "documents" / "rutin.md",
        [('version: "1.1"', 'version: "1.2"'), ("inom två veckor", "inom en vecka")],
    )
    commit_all(root)
    publish_site(root, out)
    assert (out / PAGE).stat().st_ino == before  # the same file, taken over from the site before
    newest = (out / "dokument" / "rutin-avvikelser" / "andringar" / "1.2" / "index.html").read_text("utf-8")
    assert '<del><span class="visually-hidden">Borttaget: </span>två veckor</del>' in newest
    assert '<ins><span class="visually-hidden">Tillagt: </span>en vecka</ins>' in newest
    assert "<td>version 1.1, beslutad 2026-02-13</td>" in newest
