"""Every version of one document that git holds, in any status, and the document at a revision
(`sb compare`, SPEC §13), against real git repositories made in a temporary folder."""

import datetime as dt
from pathlib import Path

import pytest

from sb_cli.errors import UsageError
from sb_cli.io import git as gitio
from tests.io.conftest import git, rutin


def commit(root: Path, relpath: str, content: str, message: str, day: str, monkeypatch) -> None:
    path = root / "documents" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, "utf-8")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+01:00")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def described(snapshots):
    return [(s.path, s.record.version, s.record.status, s.date.isoformat()) for s in snapshots]


@pytest.mark.git
def test_every_version_in_any_status_follows_the_id_across_a_rename(repo, monkeypatch):
    commit(repo, "rutin.yaml", rutin("1.0"), "utkast", "2026-01-02", monkeypatch)
    commit(repo, "rutin.yaml", rutin("1.0", "beslutad"), "beslutad", "2026-01-16", monkeypatch)
    (repo / "documents" / "rutiner").mkdir()
    git(repo, "mv", "documents/rutin.yaml", "documents/rutiner/avvikelser.yaml")
    commit(repo, "rutiner/avvikelser.yaml", rutin("1.0", "beslutad"), "flyttad", "2026-02-01", monkeypatch)
    commit(repo, "rutiner/avvikelser.yaml", rutin("1.1", text="en gång i kvartalet"), "1.1", "2026-03-01", monkeypatch)
    commit(repo, "annan.yaml", rutin("1.0", ident="rutin-b"), "en annan rutin", "2026-03-02", monkeypatch)
    found = gitio.versions_of(git_of(repo), "documents", "rutin-a")
    assert described(found) == [
        ("documents/rutin.yaml", "1.0", "utkast", "2026-01-02"),
        ("documents/rutin.yaml", "1.0", "beslutad", "2026-01-16"),  # the move adds no version
        ("documents/rutiner/avvikelser.yaml", "1.1", "utkast", "2026-03-01"),
    ]
    assert found[2].record.body == "## Möten\n\nSamverkansgruppen möts en gång i kvartalet.\n"
    assert len({s.commit for s in found}) == 3


@pytest.mark.git
def test_an_id_spelt_with_an_escape_is_found(repo, monkeypatch):
    spelt = rutin("1.0").replace("id: rutin-a", 'id: "rutin\\x2Da"')
    commit(repo, "rutin.yaml", spelt, "utkast", "2026-01-02", monkeypatch)
    assert described(gitio.versions_of(git_of(repo), "documents", "rutin-a")) == [
        ("documents/rutin.yaml", "1.0", "utkast", "2026-01-02")
    ]


@pytest.mark.git
def test_the_document_at_a_revision(repo, monkeypatch):
    commit(repo, "rutin.yaml", rutin("1.0", "beslutad"), "beslutad", "2026-01-16", monkeypatch)
    git(repo, "tag", "beslutet")
    git(repo, "mv", "documents/rutin.yaml", "documents/flyttad.yaml")
    commit(repo, "flyttad.yaml", rutin("1.1"), "1.1", "2026-03-01", monkeypatch)
    repository = git_of(repo)
    at_tag = gitio.document_at(repository, "documents", "rutin-a", "beslutet")
    assert at_tag is not None and at_tag.record.version == "1.0" and at_tag.path == "documents/rutin.yaml"
    assert at_tag.date == dt.date(2026, 1, 16)
    head = gitio.document_at(repository, "documents", "rutin-a", "HEAD")
    assert head is not None and head.record.version == "1.1" and head.path == "documents/flyttad.yaml"
    assert gitio.document_at(repository, "documents", "ingen-sadan", "HEAD") is None


@pytest.mark.git
def test_an_unknown_revision_is_refused_in_swedish(repo, monkeypatch):
    commit(repo, "rutin.yaml", rutin("1.0"), "utkast", "2026-01-02", monkeypatch)
    repository = git_of(repo)
    for revision in ["finns-inte", "HEAD~7", "--output=/tmp/x", "HEAD\nHEAD", ""]:
        with pytest.raises(UsageError) as refused:
            gitio.document_at(repository, "documents", "rutin-a", revision)
        assert refused.value.message == f"revisionen {revision} finns inte i git"


def git_of(root: Path) -> gitio.Git:
    repository = gitio.open_repository(root)
    assert isinstance(repository, gitio.Git)
    return repository


@pytest.mark.git
def test_the_versions_are_read_once_per_head_and_anew_when_it_moves(repo, monkeypatch):
    """A draft's page in the editor asks on every save: the same HEAD is read from git once, and a
    commit made while the process runs is seen at the next question."""
    reads = []
    read = gitio._read_versions
    monkeypatch.setattr(gitio, "_read_versions", lambda *asked: reads.append(asked) or read(*asked))
    commit(repo, "rutin.yaml", rutin("1.0", "beslutad"), "beslutad", "2026-01-16", monkeypatch)
    for _ in range(3):
        assert [s.record.version for s in gitio.versions_of(git_of(repo), "documents", "rutin-a")] == ["1.0"]
    assert len(reads) == 1
    commit(repo, "rutin.yaml", rutin("1.1"), "1.1", "2026-03-01", monkeypatch)
    assert [s.record.version for s in gitio.versions_of(git_of(repo), "documents", "rutin-a")] == ["1.0", "1.1"]
    assert len(reads) == 2
