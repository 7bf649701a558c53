"""A forum's name over time in every format and on the site (SPEC 3.4): a document shows the name
valid on its date, else the name it was written with (`protocol.heading`)."""

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.publish.conftest import CASE_SETTINGS, publish_site
from tests.render.test_unknown_days import ATT_ALDRAS, FORMATS, render

# A forum renamed on a day a source gives: the old name until 29 February 2024, the new from 1 March.
ORGANISATION = """parties:
  - {id: region-blekinge, name: Region Blekinge, kind: region}
forums:
  - id: grupp
    name: Nya gruppen
    names:
      - {name: Gamla gruppen, until: 2024-02-29}
      - {name: Nya gruppen, from: 2024-03-01}
    aliases: [gruppen]
    numbering: list
    protocol: {heading: Rubrik som protokollen skrivs med}
    members: []
"""
PROTOCOL = """id: grupp-{day}
type: protokoll
title: Sammanträdesprotokoll {day}
forum: grupp
meeting: {{date: {day}, start: "09:00", end: "10:00", place: Karlskrona}}
numbering: list
adjusted: {adjusted}
items:
  - {{number: 1, title: Information om hjälpmedel, kind: I}}
  - {{number: 2, title: Rutin för hjälpmedel, kind: B, decisions: [anta rutinen]}}
"""
KALLELSE = """id: kallelse-grupp-2024-03-15
type: kallelse
title: Kallelse 2024-03-15
forum: grupp
meeting: {date: 2024-03-15, start: "09:00", end: "10:00", place: Karlskrona}
sent: 2024-03-01
items:
  - {number: 1, title: Information om hjälpmedel, kind: I}
"""


def _plain(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each format's text without Markdown's marks, one space between words."""
    return {
        ident: {fmt: " ".join(re.sub(r"[*#]", " ", t).split()) for fmt, t in by.items()} for ident, by in texts.items()
    }


def test_the_att_aldras_protocol_shows_the_name_it_was_written_with(tmp_path: Path) -> None:
    texts = _plain(render(REPO, tmp_path, ATT_ALDRAS))["att-aldras-2024-02"]
    for fmt in FORMATS:
        assert "Samverkansgrupp att åldras Sammanträdesprotokoll" in texts[fmt], fmt
        assert "Samverkansgrupp Äldre" not in texts[fmt], fmt  # the ledningssystem's name of 2021


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    documents = root / "documents"
    documents.mkdir()
    (documents / "organisation.yaml").write_text(ORGANISATION, "utf-8")
    (documents / "februari.yaml").write_text(PROTOCOL.format(day="2024-02-16", adjusted="2024-02-20"), "utf-8")
    (documents / "mars.yaml").write_text(PROTOCOL.format(day="2024-03-15", adjusted="2024-03-20"), "utf-8")
    (documents / "kallelse.yaml").write_text(KALLELSE, "utf-8")
    (root / "sb.toml").write_text(CASE_SETTINGS, "utf-8")
    return root


def test_each_format_shows_the_name_on_the_documents_date(renamed: Path, tmp_path: Path) -> None:
    documents = renamed / "documents"
    texts = _plain(
        render(renamed, tmp_path, documents / "februari.yaml", documents / "mars.yaml", documents / "kallelse.yaml")
    )
    for fmt in FORMATS:
        february, march = texts["grupp-2024-02-16"][fmt], texts["grupp-2024-03-15"][fmt]
        assert "Gamla gruppen Sammanträdesprotokoll" in february and "Nya gruppen" not in february, fmt
        assert "Gamla gruppen beslutar" in february, fmt  # "<name> beslutar" by the name of the day
        assert "Nya gruppen Sammanträdesprotokoll" in march and "Gamla gruppen" not in march, fmt
        assert "Rubrik som protokollen skrivs med" not in february + march, fmt
        assert "Nya gruppen" in texts["kallelse-grupp-2024-03-15"][fmt], fmt


def test_the_site_names_each_meeting_as_the_forum_was_called_then(renamed: Path, tmp_path: Path) -> None:
    site = publish_site(renamed, tmp_path / "site")
    february = (site / "grupp" / "2024-02-16" / "index.html").read_text("utf-8")
    march = (site / "grupp" / "2024-03-15" / "index.html").read_text("utf-8")
    assert "<title>Gamla gruppen 16 februari 2024" in february
    assert "<title>Nya gruppen 15 mars 2024" in march
    forum_page = (site / "grupp" / "index.html").read_text("utf-8")
    assert "<h1>Nya gruppen</h1>" in forum_page  # the forum itself goes by its name now
    feed = (site / "grupp" / "feed.atom").read_text("utf-8")
    assert "Protokoll: Gamla gruppen 16 februari 2024" in feed and "Protokoll: Nya gruppen 15 mars 2024" in feed
    shutil.rmtree(site)
