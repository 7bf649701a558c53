"""Known facts, unknown days on the public site (SPEC §3.5, §8): a meeting known by its month lives at
<forum>/<YYYY-MM>/ and is no calendar event, a protocol justerat on an unknown day is published, and the
meeting page says at which meeting the protocol was approved."""

import gzip
import shutil
from pathlib import Path

import pytest

from tests.conftest import CASES, REPO
from tests.publish.conftest import CASE_SETTINGS, publish_site

MONTH = """id: att-aldras-2026-02
type: protokoll
title: Sammanträdesprotokoll Samverkansgrupp Äldre februari 2026
forum: att-aldras
meeting: {date: 2026-02}
numbering: list
adjusted: true
items:
  - {number: 1, title: Information om hjälpmedel, kind: I, body: Rutinen för hjälpmedel gicks igenom.}
"""
NEXT = """id: att-aldras-2026-03-16
type: protokoll
title: Sammanträdesprotokoll Samverkansgrupp Äldre 2026-03-16
forum: att-aldras
meeting: {date: 2026-03-16, start: "13:00", end: "15:00", place: Karlskrona}
numbering: list
adjusted: 2026-03-20
items:
  - number: 1
    title: Föregående sammanträdesprotokoll
    kind: B
    decisions: [godkänna protokollet]
    follows_up: att-aldras-2026-02
"""


@pytest.fixture(scope="module")
def month_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    (root / "documents").mkdir()
    shutil.copy(CASES / "organisation.yaml", root / "documents" / "organisation.yaml")
    (root / "documents" / "februari.yaml").write_text(MONTH, "utf-8")
    (root / "documents" / "mars.yaml").write_text(NEXT, "utf-8")
    (root / "sb.toml").write_text(CASE_SETTINGS, "utf-8")
    return publish_site(root, tmp_path_factory.mktemp("webb") / "site")


def test_a_meeting_known_by_its_month_lands_at_forum_and_month(month_site: Path) -> None:
    page = month_site / "att-aldras" / "2026-02" / "index.html"
    assert page.is_file()
    assert (month_site / "att-aldras" / "2026-02" / "att-aldras-2026-02-offentlig.pdf").is_file()
    assert not list((month_site / "att-aldras").glob("2026-02-*"))  # never a day sb does not know
    text = page.read_text("utf-8")
    assert "februari 2026" in text and "justerat (datum okänt)" in text
    forum = (month_site / "att-aldras" / "index.html").read_text("utf-8")
    assert "2026-02/index.html" in forum


def test_a_month_is_no_calendar_event(month_site: Path) -> None:
    calendar = (month_site / "kalender.ics").read_text("utf-8")
    assert "2026-02-" not in calendar.replace("DTSTAMP", "") and "202602" not in calendar
    assert "20260316T130000" in calendar  # the meeting with a day is one


def test_the_meeting_page_says_at_which_meeting_the_protocol_was_approved(month_site: Path) -> None:
    text = (month_site / "att-aldras" / "2026-02" / "index.html").read_text("utf-8")
    assert "Godkänt vid sammanträdet den 16 mars 2026" in text
    assert "Godkänt vid" not in (month_site / "att-aldras" / "2026-03-16" / "index.html").read_text("utf-8")


def test_the_shipped_corpus_publishes_the_lsvo_protocol_and_search_finds_hjalpmedel(tmp_path: Path) -> None:
    site = publish_site(REPO, tmp_path / "site", "--draft-site")
    page = site / "LSVO" / "2023-06-16" / "index.html"
    assert page.is_file()
    assert "Ansvarsfördelning gällande hjälpmedel i skola" in page.read_text("utf-8")
    fragments = [gzip.decompress(p.read_bytes()).decode("utf-8") for p in site.glob("pagefind/fragment/*.pf_fragment")]
    assert any("hjälpmedel" in f and "LSVO/2023-06-16/" in f for f in fragments)
    assert not (site / "att-aldras" / "2024-02").exists()  # a draft: the source does not show it was issued
