"""The notice board on the published site: an anslagsbevis per posted protocol of a nämnd, the
anslagstavla with the postings current on the as-of day and the earlier ones, and the postings in
the feed and the calendar (tests/cases/anslag)."""

import re
from pathlib import Path

import pytest

from tests.conftest import CASES, build_repo
from tests.publish.conftest import publish_site
from tools.golden import commit_all


def text_of(path: Path) -> str:
    """The page's main content as words, without tags."""
    html = path.read_text("utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture(scope="module")
def later_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same repository published on 2026-12-05, with site_url set: the November posting is down."""
    root = build_repo(CASES / "anslag", tmp_path_factory.mktemp("repo-anslag-senare"))
    settings = root / "sb.toml"
    settings.write_text(settings.read_text("utf-8") + 'site_url = "https://namnd.example.se/"\n', "utf-8")
    commit_all(root)
    return publish_site(root, tmp_path_factory.mktemp("webb-anslag-senare") / "site", as_of="2026-12-05")


def test_the_anslagsbevis_gives_every_date_and_where_the_protocol_is_kept(anslag_site):
    page = anslag_site / "namnd" / "2026-11-06" / "anslagsbevis" / "index.html"
    words = text_of(page)
    for fact in (
        "Organ Testnämnden",
        "Sammanträdesdatum 6 november 2026",
        "Protokollet justerades 10 november 2026",
        "Anslaget sattes upp 11 november 2026",
        "Överklagandetiden går ut 2 december 2026",
        "Anslaget tas ned 3 december 2026",
        "Förvaringsplats för protokollet Testkommunen.",
    ):
        assert fact in words, fact
    assert '<a href="../index.html">sammanträdets sida</a>' in page.read_text("utf-8")
    assert "<title>Anslagsbevis: Testnämnden 6 november 2026 – Nämnden Test</title>" in page.read_text("utf-8")


def test_the_meeting_page_links_its_anslagsbevis_and_an_unposted_protocol_has_none(anslag_site):
    meeting = (anslag_site / "namnd" / "2026-11-06" / "index.html").read_text("utf-8")
    link = (
        '<a href="anslagsbevis/index.html">Anslaget den 11 november 2026<span class="dold"> – anslagsbevis</span></a>'
    )
    assert link in meeting
    assert not (anslag_site / "namnd" / "2026-11-20" / "anslagsbevis").exists()  # justerat, not yet posted
    assert "anslagsbevis" not in (anslag_site / "namnd" / "2026-11-20" / "index.html").read_text("utf-8")


def board(site: Path) -> tuple[str, str]:
    """The anslagstavla's current and earlier postings, as words."""
    words = text_of(site / "anslagstavla" / "index.html")
    current, _, earlier = words.partition("Tidigare anslag")
    return current, earlier


def test_the_board_lists_the_current_posting_and_the_earlier_one_by_the_as_of_day(anslag_site, later_site):
    current, earlier = board(anslag_site)
    assert "Testnämnden 6 november 2026 2026-11-10 2026-11-11 2026-12-03" in current
    assert "2 oktober" not in current and "20 november" not in current
    assert "Testnämnden 2 oktober 2026 2026-10-06 2026-10-07 2026-10-29" in earlier
    current, earlier = board(later_site)
    assert "Inga anslag sitter uppe den 5 december 2026." in current
    assert earlier.index("6 november 2026") < earlier.index("2 oktober 2026")  # newest first


def test_the_board_is_in_the_menu_of_every_page_of_a_site_that_announces(anslag_site):
    link = '<a href="../../anslagstavla/index.html">Anslagstavla</a>'
    assert link in (anslag_site / "namnd" / "2026-11-20" / "index.html").read_text("utf-8")
    assert 'aria-current="page">Anslagstavla' in (anslag_site / "anslagstavla" / "index.html").read_text("utf-8")


def test_a_site_without_an_announcing_forum_has_no_board(built_site):
    assert not (built_site / "anslagstavla").exists()
    assert "Anslagstavla" not in (built_site / "index.html").read_text("utf-8")


def test_the_postings_are_in_the_feed(anslag_site, later_site):
    feed = (anslag_site / "feed.atom").read_text("utf-8")
    assert "<title>Anslag: justerat protokoll Testnämnden 6 november 2026</title>" in feed
    assert '<link href="namnd/2026-11-06/anslagsbevis/index.html"/>' in feed
    assert "<published>2026-11-11T00:00:00+00:00</published>" in feed
    assert ":namnd-2026-11-06-anslag</id>" in feed
    assert "Anslag: justerat protokoll Testnämnden 20 november" not in feed
    later = (later_site / "feed.atom").read_text("utf-8")
    assert '<link href="https://namnd.example.se/namnd/2026-11-06/anslagsbevis/index.html"/>' in later


def test_the_anslagsbevis_names_the_protocol_page_by_its_address_under_site_url(later_site):
    page = (later_site / "namnd" / "2026-11-06" / "anslagsbevis" / "index.html").read_text("utf-8")
    address = "https://namnd.example.se/namnd/2026-11-06/index.html"
    assert f'<a href="{address}">{address}</a>' in page


def test_the_posting_period_is_an_event_in_the_calendar(anslag_site):
    ics = (anslag_site / "kalender.ics").read_text("utf-8").replace("\r\n ", "")
    (event,) = [block for block in ics.split("BEGIN:VEVENT") if "UID:anslag-namnd-2026-11-06@" in block]
    assert "SUMMARY:Anslag: justerat protokoll Testnämnden 2026-11-06" in event
    assert "DTSTART;VALUE=DATE:20261111" in event
    assert "DTEND;VALUE=DATE:20261203" in event  # exclusive: the appeal period's last day is 2 December
    assert "CATEGORIES:anslag" in event
    assert "UID:anslag-namnd-2026-11-20" not in ics
