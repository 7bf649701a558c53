"""The published site says who justerade a protocol electronically, and when, and offers the signed
PDF (issue: "Elektroniskt justerat av … den …")."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import msgspec

from sb_cli.corpus import load_corpus
from sb_cli.io.repo import load_settings
from sb_cli.publish.pages import signed_copy
from tests.conftest import invoke
from tests.publish.conftest import CASE_SETTINGS
from tests.signing.conftest import PROTOCOL

MEETING_PAGE = "LSVO/2023-06-16/index.html"
SIGNED_FILE = "LSVO/2023-06-16/LSVO-2023-06-16-justerat.pdf"


def published(repo: Path, site: Path) -> str:
    (repo / "sb.toml").write_text(CASE_SETTINGS, "utf-8")  # the site's name and accessibility contact
    result = invoke("publish", "--out", site, "--as-of", "2023-06-23", "--root", repo)
    assert result.exit_code == 0, result.output
    return (site / MEETING_PAGE).read_text("utf-8")


def test_the_meeting_page_names_the_signers_and_offers_the_signed_pdf(justering, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(justering.repo, repo)
    page = published(repo, tmp_path / "webb")
    assert (
        "Elektroniskt justerat av Bodil Sundlöf (ordförande) den 20 juni 2023 "
        "och Martin Åsman (justerare) den 21 juni 2023"
    ) in page
    assert 'href="LSVO-2023-06-16-justerat.pdf"' in page
    assert (tmp_path / "webb" / SIGNED_FILE).read_bytes() == justering.finalized.read_bytes()


def test_a_signed_pdf_changed_after_signing_stops_the_build(justering, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(justering.repo, repo)
    (repo / "sb.toml").write_text(CASE_SETTINGS, "utf-8")
    pdf = (repo / PROTOCOL).with_suffix(".pdf")
    pdf.write_bytes(pdf.read_bytes().replace(b"Bodil", b"B0dil", 1))
    result = invoke("publish", "--out", tmp_path / "webb", "--as-of", "2023-06-23", "--root", repo)
    assert result.exit_code == 1
    assert "SB042" in result.output and "webbplatsen byggs inte" in result.output
    assert not (tmp_path / "webb" / SIGNED_FILE).exists()


def test_a_protocol_with_withheld_items_is_named_signed_but_its_signed_pdf_is_not_offered(justering):
    settings = load_settings(justering.repo, justering.repo)
    protocol = next(d for d in load_corpus(settings).corpus.protocols() if d.id == "LSVO-2023-06-16")
    whole = signed_copy(settings, protocol)
    assert whole is not None and whole.offered
    last = msgspec.structs.replace(protocol.record.items[-1], public=False)
    withheld = dataclasses.replace(
        protocol, record=msgspec.structs.replace(protocol.record, items=(*protocol.record.items[:-1], last))
    )
    copy = signed_copy(settings, withheld)
    assert copy is not None and not copy.offered  # the signed file holds the withheld § too
    assert copy.words == whole.words


def test_the_signed_protocol_of_a_forum_that_posts_is_published_with_its_anslagsbevis(justering, tmp_path):
    """The issue's whole path: rendered, signed by two, finalized, verified (the fixture and
    test_justering), posted with sb announce, and published with its anslagsbevis."""
    repo = tmp_path / "repo"
    shutil.copytree(justering.repo, repo)
    organisation = repo / "documents" / "organisation.yaml"
    text = organisation.read_text("utf-8")
    organisation.write_text(text.replace("  - id: LSVO\n", "  - id: LSVO\n    announce: true\n", 1), "utf-8")
    assert "announce: true" in organisation.read_text("utf-8")
    posted = invoke("announce", repo / PROTOCOL, "--date", "2023-06-22", "--as-of", "2023-06-23", "--root", repo)
    assert posted.exit_code == 0, posted.output
    page = published(repo, tmp_path / "webb")
    assert "Elektroniskt justerat av Bodil Sundlöf (ordförande) den 20 juni 2023" in page
    assert "Anslaget den 22 juni 2023" in page
    certificate = (tmp_path / "webb" / "LSVO/2023-06-16/anslagsbevis/index.html").read_text("utf-8")
    for fact in ("Ledningssamverkan vård och omsorg", "16 juni 2023", "21 juni 2023", "22 juni 2023"):
        assert fact in certificate, fact
