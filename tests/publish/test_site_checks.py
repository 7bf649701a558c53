"""The built site without a browser: the Atom feed as feedparser reads it (no bozo flag, stable and
unique ids, RFC 3339 dates), a link checker over every page (every internal link and file resolves,
no page or file is orphaned, only the search page has a script), the outline (one h1, no skipped
heading level), and the Nu Html Checker on every page and the stylesheet."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from tests.conftest import REPO
from tests.publish.conftest import publish_site

pytestmark = pytest.mark.slow

VNU = REPO / "tests" / "web" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d\d){0,2}:\S+$")  # RFC 4151
CASE_ENTRIES = {"LSVO-2026-01-16", "LSVO-2026-02-13", "overenskommelse-test", "rutin-avvikelser"}
SITES = ["built_site", "wheel_site", "shipped_site"]


@pytest.fixture(params=SITES, ids=["fall", "arshjul", "levererad"])
def site(request: pytest.FixtureRequest) -> Path:
    built: Path = request.getfixturevalue(request.param)
    return built


# The feed


def feed_ids(site: Path) -> dict[str, str]:
    """The feed's entries: link -> id."""
    parsed = feedparser.parse((site / "feed.atom").read_bytes())
    return {entry.link: entry.id for entry in parsed.entries}


def feeds(site: Path) -> list[Path]:
    """The site's feed and each forum's (SPEC §8)."""
    return sorted(p for p in site.rglob("*.atom") if p.relative_to(site).parts[0] != "pagefind")


def test_feedparser_reads_every_feed_without_complaint(site):
    found = feeds(site)
    assert site / "feed.atom" in found and site / "LSVO" / "feed.atom" in found, found
    feed_ids = set()
    for feed in found:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.title and parsed.feed.id
        assert parsed.feed.id not in feed_ids, parsed.feed.id
        feed_ids.add(parsed.feed.id)
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)), ids
        assert all(TAG_URI.match(i) for i in ids), ids
        for entry in parsed.entries:
            assert entry.title and entry.updated_parsed, entry
            assert (feed.parent / entry.link).is_file(), f"{feed}: posten {entry.id} pekar på {entry.link}"
    assert feedparser.parse((site / "feed.atom").read_bytes()).entries, "flödet har inga poster"


@pytest.mark.git
def test_the_feed_has_each_justerat_protocol_and_styrdokument_and_nothing_else(built_site):
    ids = set(feed_ids(built_site).values())
    assert ids == {f"tag:samverkan.sb,2024:{ident}" for ident in CASE_ENTRIES}


def test_the_feed_dates_are_rfc_3339_with_a_time_zone(site):
    for feed in feeds(site):
        root = ET.parse(feed).getroot()
        stamps = [e.text or "" for e in root.iter() if e.tag in (f"{ATOM}updated", f"{ATOM}published")]
        assert len(stamps) == 1 + 2 * len(root.findall(f"{ATOM}entry")), "varje post ska ha updated och published"
        for stamp in stamps:
            assert RFC3339.match(stamp), stamp
            assert dt.datetime.fromisoformat(stamp).tzinfo is not None, stamp
        entries = [dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated") or "") for e in root.findall(f"{ATOM}entry")]
        if entries:
            assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated") or "") == max(entries), feed


@pytest.mark.git
def test_the_feed_ids_stay_the_same_in_another_build(built_site, case_repo, tmp_path):
    """Built again later, and as it was before the second protocol was published: the entries that are
    in both have the same ids (and dates), so a reader sees nothing new."""
    first = feedparser.parse((built_site / "feed.atom").read_bytes()).entries
    again = publish_site(case_repo, tmp_path / "igen", epoch="1780000000")
    assert feed_ids(again) == feed_ids(built_site)
    earlier = publish_site(case_repo, tmp_path / "tidigare", as_of="2026-02-01")
    before = feedparser.parse((earlier / "feed.atom").read_bytes()).entries
    assert {e.link for e in before} == {e.link for e in first} - {"LSVO/2026-02-13/index.html"}
    now = {e.link: (e.id, e.updated) for e in first}
    assert {e.link: (e.id, e.updated) for e in before} == {e.link: now[e.link] for e in before}


@pytest.mark.git
def test_the_feed_names_its_author(built_site):
    root = ET.parse(built_site / "feed.atom").getroot()
    assert root.find(f"{ATOM}author/{ATOM}name") is not None


# Links


@dataclass
class Page:
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, reference)
    ids: set[str] = field(default_factory=set)
    scripts: int = 0
    headings: list[int] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.page.links.append((tag, values[name] or ""))
        if tag == "script":
            self.page.scripts += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.page.headings.append(int(tag[1]))


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text("utf-8"))
    reader.close()
    return reader.page


def html_pages(site: Path) -> dict[str, Page]:
    """Every HTML page by its path in the site; Pagefind's own files are not pages of the site."""
    return {
        p.relative_to(site).as_posix(): read_page(p)
        for p in sorted(site.rglob("*.html"))
        if p.relative_to(site).parts[0] != "pagefind"
    }


def resolve(site: Path, page: str, reference: str) -> tuple[str | None, str, str | None]:
    """(the file a reference on `page` leads to, its fragment, what is wrong with it)."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None, "", None  # outside the site
    if parts.path.startswith("/"):
        return None, "", "rotrelativ länk (fungerar inte när webbplatsen ligger i en undermapp)"
    if not parts.path:
        return page, parts.fragment, None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        return None, "", "pekar utanför webbplatsen"
    if parts.path.endswith("/") or (site / target).is_dir():
        target = posixpath.join(target, "index.html")
    if not (site / target).is_file():
        return None, "", f"{target} finns inte"
    return target, parts.fragment, None


def link_problems(site: Path) -> list[str]:
    pages = html_pages(site)
    problems = []
    for name, page in pages.items():
        for tag, reference in page.links:
            target, fragment, wrong = resolve(site, name, reference)
            if wrong:
                problems.append(f"{name}: <{tag}> {reference}: {wrong}")
            elif target and fragment and target in pages and fragment not in pages[target].ids:
                problems.append(f"{name}: <{tag}> {reference}: {target} har inget id {fragment!r}")
    return problems


def unreachable(site: Path) -> list[str]:
    """The pages no chain of links from index.html reaches, and the files no page links to (Pagefind's
    own files and the build's hidden manifest aside)."""
    pages = html_pages(site)
    reached, queue = {"index.html"}, deque(["index.html"])
    used: set[str] = set()
    while queue:
        name = queue.popleft()
        for tag, reference in pages[name].links:
            target, _fragment, _wrong = resolve(site, name, reference)
            if target is None:
                continue
            used.add(target)
            if tag == "a" and target in pages and target not in reached:
                reached.add(target)
                queue.append(target)
    files = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).parts[0] != "pagefind" and not p.name.startswith(".")
    }
    return sorted((set(pages) - reached) | (files - set(pages) - used))


def test_every_internal_link_resolves(site):
    assert link_problems(site) == []


@pytest.mark.git
def test_the_links_in_a_documents_text_lead_to_the_published_pages(built_site):
    """A document id, or a path to a document's file, in the text leads to that document's page."""
    links = [r for tag, r in read_page(built_site / "dokument" / "rutin-avvikelser" / "index.html").links if tag == "a"]
    assert links.count("../../LSVO/2026-01-16/index.html") == 2  # the decision's § in the facts, and the text
    assert "../overenskommelse-test/index.html" in links


def test_every_page_and_file_is_reached_from_the_start_page(site):
    assert unreachable(site) == []


def test_the_skip_link_target_is_on_every_page_and_only_search_has_a_script(site):
    pages = html_pages(site)
    assert len(pages) >= 15
    for name, page in pages.items():
        assert ("a", "#innehall") in page.links and "innehall" in page.ids, name
        assert page.scripts == (2 if name == "sok/index.html" else 0), name


def test_every_page_has_one_h1_and_no_skipped_heading_level(site):
    for name, page in html_pages(site).items():
        assert page.headings.count(1) == 1 and page.headings[0] == 1, (name, page.headings)
        skips = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
        assert skips == [], (name, page.headings)


def test_the_link_checker_would_see_a_fault(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">a</a> <a href="saknas.html">x</a> <a href="a/index.html#inget">y</a> <a href="/a/">z</a>'
    )
    (tmp_path / "a" / "index.html").write_text('<p id="finns"><a href="../index.html#finns">tillbaka</a></p>')
    (tmp_path / "ensam.html").write_text("<p>ingen länkar hit</p>")
    (tmp_path / "fil.pdf").write_bytes(b"%PDF")
    assert link_problems(tmp_path) == [
        "a/index.html: <a> ../index.html#finns: index.html har inget id 'finns'",
        "index.html: <a> saknas.html: saknas.html finns inte",
        "index.html: <a> a/index.html#inget: a/index.html har inget id 'inget'",
        "index.html: <a> /a/: rotrelativ länk (fungerar inte när webbplatsen ligger i en undermapp)",
    ]
    assert unreachable(tmp_path) == ["ensam.html", "fil.pdf"]


# The Nu Html Checker


@pytest.mark.git
def test_the_nu_html_checker_finds_nothing_on_any_page(built_site, wheel_site, shipped_site):
    java = shutil.which("java")
    assert java, "Nu Html Checker behöver Java"
    assert VNU.is_file(), "kör: npm ci --prefix tests/web"
    files = [site / name for site in (built_site, wheel_site, shipped_site) for name in html_pages(site)]
    files += [built_site / "site.css"]
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--also-check-css", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr)["messages"]
    assert messages == [], [
        (m.get("url", "").rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"]) for m in messages
    ]
    assert len(files) > 60
