"""A region of its own (SPEC §8, §10): `sb init` for another region, then `sb publish`, gives a site
that names that region and nothing of Samverkan Blekinge; without a contact for the accessibility
statement only a draft is built, marked "Utkast" on every page; the statement says the compliance
level sb.toml gives and nothing more; publish names every document it leaves out, and why."""

from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CASES, build_repo, sb
from tests.publish.conftest import AS_OF, EPOCH
from tools.golden import pdf_text

RUTIN = """\
---
id: rutin-avvikelser
type: rutin
title: Rutin för avvikelser
owner: styrgrupp
status: beslutad
version: "1.0"
decided: {by: styrgrupp, date: 2026-01-16}
valid_from: 2026-02-01
review_by: 2027-12-31
---
# Rutin

Avvikelser rapporteras till styrgruppen.
"""
CONTACT = 'accessibility_contact = "webb@kronoberg.example.se"\n'
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def readable(path: Path) -> str:
    """A file's text as a reader's software gets at it: a PDF's text and its bytes, every part of a
    Word file, the search index unpacked."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return pdf_text(path) + data.decode("latin-1")
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as parts:
            return "".join(parts.read(name).decode("utf-8", "replace") for name in parts.namelist())
    if "pagefind" in path.parts and data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def settings_file(root: Path, *lines: str) -> None:
    with (root / "sb.toml").open("a", encoding="utf-8") as toml:
        toml.write("".join(lines))


@pytest.fixture
def kronoberg(tmp_path: Path) -> Path:
    """`sb init kronoberg-dokument` with one decided rutin, as a new region starts."""
    assert sb("init", "kronoberg-dokument", cwd=tmp_path).returncode == 0
    root = tmp_path / "kronoberg-dokument"
    (root / "documents" / "rutin.md").write_text(RUTIN, "utf-8")
    return root


def publish(root: Path, out: Path, *extra: str):
    return sb("publish", "--root", root, "--out", out, "--as-of", AS_OF, *extra, env=ENV)


def test_init_writes_the_site_settings_commented_with_the_folder_as_the_name(kronoberg):
    toml = (kronoberg / "sb.toml").read_text("utf-8")
    assert 'site_name = "kronoberg-dokument"' in toml
    for key in ("site_description", "organisation_name", "site_url", "accessibility_contact"):
        assert f"# {key} = " in toml
    assert "# accessibility_report_url = " in toml and "# accessibility_compliance = " in toml
    assert "Blekinge" not in toml
    assert {"ut/", "site/"} <= set((kronoberg / ".gitignore").read_text("utf-8").splitlines())


def test_without_a_contact_publish_refuses_naming_the_keys_and_builds_nothing(kronoberg, tmp_path):
    refused = publish(kronoberg, tmp_path / "webb")
    assert refused.returncode == 2, refused.stderr
    assert "accessibility_contact" in refused.stderr and "sb.toml" in refused.stderr
    assert "--draft-site" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "webb").exists()


def test_a_new_regions_site_says_nothing_of_samverkan_blekinge(kronoberg, tmp_path):
    settings_file(kronoberg, CONTACT)
    out = tmp_path / "webb"
    built = publish(kronoberg, out)
    assert built.returncode == 0, built.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 15 and any(p.suffix == ".pdf" for p in files) and any(p.suffix == ".docx" for p in files)
    assert [p.relative_to(out).as_posix() for p in files if "blekinge" in readable(p).lower()] == []
    assert "<title>Start – kronoberg-dokument</title>" in (out / "index.html").read_text("utf-8")
    assert b"X-WR-CALNAME:kronoberg-dokument\r\n" in (out / "kalender.ics").read_bytes()
    assert "<title>kronoberg-dokument: protokoll och styrdokument</title>" in (out / "feed.atom").read_text("utf-8")
    statement = (out / "tillganglighet/index.html").read_text("utf-8")
    assert "kronoberg-dokument står bakom" in statement and "webb@kronoberg.example.se" in statement
    assert "Utkast" not in statement


def test_the_names_from_sb_toml_are_on_every_page_the_feed_and_the_calendars(kronoberg, tmp_path):
    settings_file(
        kronoberg,
        'site_description = "Protokoll och styrdokument i Kronoberg"\n',
        'organisation_name = "Region Kronoberg"\n',
        CONTACT,
    )
    (kronoberg / "sb.toml").write_text(
        (kronoberg / "sb.toml").read_text("utf-8").replace('"kronoberg-dokument"', '"Samverkan Kronoberg"'), "utf-8"
    )
    out = tmp_path / "webb"
    assert publish(kronoberg, out).returncode == 0
    for page in out.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "– Samverkan Kronoberg</title>" in html and "Protokoll och styrdokument i Kronoberg" in html, page
        assert "Region Kronoberg · Uppdaterad" in html, page
    feed = (out / "feed.atom").read_text("utf-8")
    assert "<name>Region Kronoberg</name>" in feed and "Protokoll och styrdokument i Kronoberg" in feed
    assert "Region Kronoberg står bakom" in (out / "tillganglighet/index.html").read_text("utf-8")
    calendar = tmp_path / "k.ics"
    assert sb("calendar", "--root", kronoberg, "--as-of", AS_OF, "--out", calendar).returncode == 0
    for ics in (calendar, out / "kalender.ics"):
        text = ics.read_bytes().decode("utf-8")
        assert "X-WR-CALNAME:Samverkan Kronoberg\r\n" in text
        assert "UID:revision-rutin-avvikelser@samverkan-kronoberg.sb\r\n" in text


def test_a_draft_site_says_utkast_on_every_page_and_the_statement_is_honest(kronoberg, tmp_path):
    out = tmp_path / "webb"
    built = publish(kronoberg, out, "--draft-site")
    assert built.returncode == 0, built.stderr
    pages = list(out.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        html = page.read_text("utf-8")
        assert '<p class="utkast"><strong>Utkast</strong>' in html and "<title>Utkast: " in html, page
    statement = (out / "tillganglighet/index.html").read_text("utf-8")
    assert "Kontaktuppgiften är inte ifylld ännu" in statement
    assert "Det är inte bedömt om webbplatsen är förenlig" in statement
    assert "helt förenlig" not in statement and "delvis förenlig" not in statement
    assert "– ett utkast" in built.stderr


@pytest.mark.parametrize(
    ("settings", "said", "not_said"),
    [
        ('accessibility_compliance = "full"\n', "Webbplatsen är helt förenlig med lagen", "inte bedömt"),
        (
            'accessibility_compliance = "partial"\naccessibility_shortcomings = ["PDF-filerna saknar taggar"]\n',
            "Webbplatsen är delvis förenlig med lagen",
            "helt förenlig",
        ),
        (
            'accessibility_compliance = "none"\naccessibility_shortcomings = ["Sidorna saknar rubriker"]\n',
            "Webbplatsen är inte förenlig med lagen",
            "helt förenlig",
        ),
    ],
)
def test_the_statement_says_the_compliance_level_sb_toml_gives(kronoberg, tmp_path, settings, said, not_said):
    settings_file(kronoberg, CONTACT, settings, 'accessibility_report_url = "https://kronoberg.example.se/brist"\n')
    out = tmp_path / "webb"
    assert publish(kronoberg, out).returncode == 0
    statement = (out / "tillganglighet/index.html").read_text("utf-8")
    assert said in statement and not_said not in statement
    assert '<a href="https://kronoberg.example.se/brist">' in statement
    if "shortcomings" in settings:
        assert "Innehåll som inte är tillgängligt" in statement


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'accessibility_compliance = "helt"\n',
            "sb.toml:1: 'accessibility_compliance': värdet 'helt' är inte tillåtet",
        ),
        (
            'accessibility_compliance = "partial"\n',
            "sb.toml:1: 'accessibility_compliance': 'partial' kräver att accessibility_shortcomings anger bristerna",
        ),
        (
            'accessibility_shortcomings = ["x"]\naccessibility_compliance = "full"\n',
            "sb.toml:2: 'accessibility_compliance': 'full' går inte ihop med brister",
        ),
        ('site_url = "example.se"\n', "sb.toml:1: 'site_url': värdet har fel form"),
        (
            '\naccessibility_report = "mejla oss"\n',
            "sb.toml:2: 'accessibility_report' heter nu accessibility_report_url",
        ),
    ],
)
def test_a_wrong_site_setting_stops_every_command_in_swedish(tmp_path, text, message):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    (root / "sb.toml").write_text(text, "utf-8")
    result = sb("validate", "--root", root, "--as-of", AS_OF)
    assert result.returncode == 2
    assert message in result.stderr and "tips:" in result.stderr and "Traceback" not in result.stderr


def test_publish_names_each_document_it_leaves_out_and_why(tmp_path):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = tmp_path / "webb"
    early = sb("publish", "--root", root, "--out", out, "--as-of", "2026-02-15", env=ENV)
    assert early.returncode == 0, early.stderr
    lines = [line for line in early.stderr.splitlines() if "publiceras inte:" in line]
    assert lines == [
        "sb: documents/arshjul.yaml publiceras inte: status utkast: bara beslutade och upphävda styrdokument "
        "publiceras",
        "sb: documents/kallelse.yaml publiceras inte: skickas 2026-03-06, efter 2026-02-15",
        "sb: documents/lsvo-2.yaml publiceras inte: justerat 2026-02-20, efter 2026-02-15",
        "sb: documents/utkast-protokoll.yaml publiceras inte: utkast: protokollet är inte justerat (adjusted saknas)",
        "sb: documents/utkast-rutin.md publiceras inte: status utkast: bara beslutade och upphävda styrdokument "
        "publiceras",
    ]
    assert "sb: 5 dokument lämnades utanför webbplatsen" in early.stderr
    assert "oförändrade" not in early.stderr  # a first build
    later = sb("publish", "--root", root, "--out", out, "--as-of", AS_OF, env=ENV)
    assert later.returncode == 0, later.stderr
    assert "sb: 3 dokument lämnades utanför webbplatsen" in later.stderr
    assert "oförändrade sedan förra bygget" in later.stderr  # the protocol and rutin built before
