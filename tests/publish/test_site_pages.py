"""What the pages of the built site say (SPEC §8): the decision register grouped by forum, meeting and
§ with its static listings, the forum's members and feed, the meeting's dates, kallelse and extracts,
and an agreement page that says only what is known."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from tests.publish.conftest import case_repository, publish_site

pytestmark = pytest.mark.slow


def main_text(path: Path) -> str:
    """The page's main content as text, tags removed and whitespace folded."""
    html = path.read_text("utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def hrefs(path: Path) -> list[str]:
    return re.findall(r'href="([^"]+)"', path.read_text("utf-8"))


# The decision register


@pytest.mark.git
def test_the_register_groups_the_att_clauses_under_forum_meeting_and_paragraph(built_site):
    page = built_site / "beslut" / "index.html"
    html = page.read_text("utf-8")
    text = main_text(page)
    forum = text.index("Ledningssamverkan vård och omsorg 16 januari 2026")
    first = text.index("LSVO-2026-01-16 §1 Godkännande av dagordning")
    second = text.index("LSVO-2026-01-16 §2 Rutin för avvikelser")
    assert forum < first < text.index("att godkänna dagordningen") < second < text.index("att fastställa rutinen")
    assert '<span class="beslut-id">LSVO-2026-01-16 §2</span>' in html
    assert "Läge: utan tidsgräns" in text
    assert "Ansvarig: Ola Föredragande" in text
    # followed up, with a link to the § that follows it up
    assert "uppföljt i LSVO-2026-02-13 §5" in text
    assert "../LSVO/2026-02-13/index.html#protokoll-5" in hrefs(page)
    # the deferred point under its meeting, with where it went
    assert (
        "Flyttade ärenden LSVO-2026-01-16 §3a Avvikelsehantering: flyttad till sammanträdet den 13 februari 2026"
        in text
    )
    assert "../LSVO/2026-02-13/index.html#protokoll-4" in hrefs(page)
    assert "inget datum" not in text
    assert "Alla beslut: 3 beslut och 1 flyttat ärende." in text
    assert "Uppföljt (3)" in text and "Utan tidsgräns (1)" in text  # the entries each listing shows


@pytest.mark.git
def test_the_register_has_a_static_listing_per_forum_year_and_state(built_site):
    register = built_site / "beslut" / "index.html"
    links = hrefs(register)
    for listing in ("forum/LSVO", "ar/2026", "lage/uppfoljt", "lage/utan-tidsgrans"):
        assert f"../beslut/{listing}/index.html" in links, listing
        assert (built_site / "beslut" / listing / "index.html").is_file(), listing
    followed = main_text(built_site / "beslut" / "lage" / "uppfoljt" / "index.html")
    assert "Beslut: Läge: Uppföljt" in followed
    assert "att fastställa rutinen" in followed and "att godkänna dagordningen" not in followed
    without = main_text(built_site / "beslut" / "lage" / "utan-tidsgrans" / "index.html")
    assert "att godkänna dagordningen" in without and "att fastställa rutinen" not in without
    assert 'aria-current="page"' in (built_site / "beslut" / "ar" / "2026" / "index.html").read_text("utf-8")


def test_an_id_never_breaks_inside_and_dates_in_a_table_neither(built_site):
    css = (built_site / "site.css").read_text("utf-8")
    assert re.search(r"\.beslut-id[^{]*\{[^}]*white-space:\s*nowrap", css)
    start = (built_site / "index.html").read_text("utf-8")
    assert '<span class="datum">2028-12-31</span>' in start
    assert re.search(r"span\.datum[^{]*\{[^}]*white-space:\s*nowrap", css)


# The forum and meeting pages


@pytest.mark.git
def test_the_forum_page_lists_its_members_on_the_day_and_links_its_feed(built_site):
    page = built_site / "LSVO" / "index.html"
    text = main_text(page)
    assert "Ledamöter Enligt organisationsregistret den 22 november 2026." in text
    assert re.search(r"\w+ \w+ \(ordförande\) [^.]*Region Blekinge", text), text
    assert hrefs(page).count("../LSVO/feed.atom") == 2  # in the head, and in the text


@pytest.mark.git
def test_each_forum_has_a_feed_of_its_protocols_and_kallelser(built_site):
    parsed = feedparser.parse((built_site / "LSVO" / "feed.atom").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.id.rsplit(":", 1)[1] for e in parsed.entries] == [
        "kallelse-LSVO-2026-03-13",
        "LSVO-2026-02-13",
        "LSVO-2026-01-16",
    ]
    assert [e.link for e in parsed.entries] == [
        "2026-03-13/index.html",
        "2026-02-13/index.html",
        "2026-01-16/index.html",
    ]
    empty = feedparser.parse((built_site / "att-aldras" / "feed.atom").read_bytes())
    assert not empty.bozo and empty.entries == []


@pytest.mark.git
def test_the_meeting_page_says_when_it_was_justerat_and_published_and_links_its_agenda(built_site):
    page = built_site / "LSVO" / "2026-01-16" / "index.html"
    html, text = page.read_text("utf-8"), main_text(page)
    assert "Justerat den 20 januari 2026" in text and "Publicerat den 22 november 2026" in text
    assert '<a href="#protokoll-2">§2 Rutin för avvikelser</a>' in html
    assert 'id="protokoll-2"' in html
    for number in (1, 2, 3):
        for fmt in ("pdf", "docx"):
            name = f"LSVO-2026-01-16-utdrag-{number}.{fmt}"
            assert name in hrefs(page) and (page.parent / name).stat().st_size > 1000, name


@pytest.mark.git
def test_the_kallelse_is_the_dagordning_with_pdf_and_word(built_site):
    page = built_site / "LSVO" / "2026-03-13" / "index.html"
    text = main_text(page)
    assert "Dagordning Kallelse till sammanträdet 13 mars 2026" in text
    assert "Skickad den 6 mars 2026" in text
    for fmt in ("pdf", "docx"):
        name = f"kallelse-LSVO-2026-03-13.{fmt}"
        assert name in hrefs(page) and (page.parent / name).stat().st_size > 1000, name
    assert '<a href="#kallelse-6">' in page.read_text("utf-8")


@pytest.mark.git
def test_the_first_publication_day_stays_in_a_later_build(case_repo, tmp_path):
    site = publish_site(case_repo, tmp_path / "site", as_of="2026-03-01")
    assert "Publicerat den 1 mars 2026" in main_text(site / "LSVO" / "2026-01-16" / "index.html")
    publish_site(case_repo, site, as_of="2026-11-22")
    assert "Publicerat den 1 mars 2026" in main_text(site / "LSVO" / "2026-01-16" / "index.html")
    assert "Publicerad den 22 november 2026" in main_text(site / "LSVO" / "2026-03-13" / "index.html")


# The agreement page


@pytest.mark.git
def test_an_agreement_page_says_only_what_is_known(tmp_path):
    root = case_repository(tmp_path / "repo")
    path = root / "documents" / "avtal.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("  - {party: ronneby, by: Kommunfullmäktige, date: 2023-05-26}\n", ""), "utf-8")
    site = publish_site(root, tmp_path / "site")
    facts = main_text(site / "dokument" / "overenskommelse-test" / "index.html")
    assert "Part: Ronneby kommun antagande inte registrerat" in facts
    assert "Part: Karlskrona kommun Kommunfullmäktige, 2023-05-25" in facts
    assert "inte antagen" not in facts
    assert "Gäller till 2028-12-31 (beräknat, om ingen sagt upp avtalet)" in facts
