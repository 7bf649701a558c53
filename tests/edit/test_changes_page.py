"""The editor's comparison of a styrdokument draft with its last decided version (issue 29: "sb edit
shows it before Ny version is decided"), over HTTP as a browser without JavaScript uses it: the link
on the draft's page, the page itself with <ins> and <del>, and the refusals."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sb_cli.edit.guard import COOKIE
from tests.edit.test_app import TOKEN
from tests.edit.test_app import client_of as desk_client
from tests.io import conftest as git_repository
from tests.io.conftest import git, rutin

AS_OF = dt.date(2026, 6, 1)
LINK = '<a class="button" href="/dokument/rutin-a/andringar">Visa ändringarna mot version 1.0</a>'
empty_repo = git_repository.repo  # the fixture: a git repository with the shared organisation.yaml


@pytest.fixture
def repo(empty_repo: Path) -> Path:
    """rutin-a decided as 1.0 in git, and 1.1 as a draft in the working copy."""
    (empty_repo / "documents" / "rutin.yaml").write_text(rutin("1.0", "beslutad", "varje månad"), "utf-8")
    git(empty_repo, "add", "-A")
    git(empty_repo, "commit", "-q", "-m", "1.0")
    (empty_repo / "documents" / "rutin.yaml").write_text(rutin("1.1", "utkast", "varannan månad"), "utf-8")
    return empty_repo


def client_of(root: Path) -> TestClient:
    return desk_client(root, AS_OF)


@pytest.mark.git
def test_a_draft_links_to_its_changes_against_the_decided_version(repo):
    page = client_of(repo).get("/dokument/rutin-a")
    assert page.status_code == 200
    assert LINK in page.text


@pytest.mark.git
def test_the_changes_page_shows_the_changed_words_in_the_editors_layout(repo):
    page = client_of(repo).get("/dokument/rutin-a/andringar")
    assert page.status_code == 200, page.text
    assert re.findall(r"<h1>(.*?)</h1>", page.text) == ["Ändringarna mot version 1.0"]
    assert '<del><span class="visually-hidden">Borttaget: </span>varje</del>' in page.text
    assert '<ins><span class="visually-hidden">Tillagt: </span>varannan</ins>' in page.text
    assert "<td>version 1.0, beslutad 2026-01-16</td>" in page.text
    assert "<td>version 1.1 (utkast)</td>" in page.text
    assert '<link rel="stylesheet" href="/static/edit.css">' in page.text  # the editor's own layout
    assert '<a href="/dokument/rutin-a">Rutin för samverkansmöten</a>' in page.text  # back to the draft


@pytest.mark.git
def test_a_decided_document_or_a_first_draft_has_no_changes_page(repo):
    (repo / "documents" / "rutin.yaml").write_text(rutin("1.0", "beslutad", "varje månad"), "utf-8")
    client = client_of(repo)
    assert "Visa ändringarna" not in client.get("/dokument/rutin-a").text
    assert client.get("/dokument/rutin-a/andringar").status_code == 404
    (repo / "documents" / "ny.yaml").write_text(
        rutin("0.1", "utkast", "varje vecka").replace("id: rutin-a", "id: rutin-ny"), "utf-8"
    )
    assert "Visa ändringarna" not in client.get("/dokument/rutin-ny").text
    assert client.get("/dokument/rutin-ny/andringar").status_code == 404


@pytest.mark.git
def test_the_changes_page_needs_the_token_and_the_right_host(repo):
    client = client_of(repo)
    client.cookies.clear()
    assert client.get("/dokument/rutin-a/andringar").status_code == 403
    client.cookies.set(COOKIE, TOKEN)
    assert client.get("/dokument/rutin-a/andringar", headers={"host": "evil.example:8765"}).status_code == 403


@pytest.mark.git
def test_an_unknown_id_is_not_found(repo):
    assert client_of(repo).get("/dokument/..%2F..%2Fetc/andringar").status_code == 404
