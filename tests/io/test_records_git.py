"""SB040 and --changed-since against real git repositories made in a temporary folder."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES, findings_json
from tests.io.conftest import git

RUTIN = """id: rutin-a
type: rutin
title: Rutin A
owner: LSVO
status: {status}
version: "{version}"
decided: {{by: LSVO, date: 2026-01-16}}
valid_from: 2026-02-01
review_by: {review_by}
body: |
  {text}
"""

PROTOKOLL = """id: LSVO-2026-01-16
type: protokoll
title: Sammanträdesprotokoll LSVO 2026-01-16
forum: LSVO
meeting: {{date: 2026-01-16}}
numbering: paragraph
{adjusted}items:
  - {{number: 1, title: {title}, kind: I}}
"""


def commit(root: Path, name: str, content: str, message: str) -> None:
    (root / "documents" / name).write_text(content, "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def codes(root: Path, *extra: str) -> list[tuple[str, str]]:
    report = findings_json(root, "2026-03-01", *extra)
    return [(f["code"], f["message"]) for f in report["findings"]]


def rutin(**values: str) -> str:
    defaults = {"status": "beslutad", "version": "1.0", "review_by": "2027-01-01", "text": "Text."}
    return RUTIN.format(**{**defaults, **values})


@pytest.mark.git
def test_changing_the_text_of_a_decided_document_is_sb040(repo):
    commit(repo, "rutin.yaml", rutin(status="utkast"), "utkast")
    commit(repo, "rutin.yaml", rutin(), "beslutad")
    assert codes(repo) == []
    (repo / "documents" / "rutin.yaml").write_text(rutin(text="Ändrad text."))
    found = codes(repo)
    assert [c for c, _ in found] == ["SB040"]
    assert "texten har ändrats" in found[0][1]


@pytest.mark.git
def test_administrative_keys_and_new_versions_may_change(repo):
    commit(repo, "rutin.yaml", rutin(), "beslutad")
    (repo / "documents" / "rutin.yaml").write_text(rutin(review_by="2027-06-30"))
    assert codes(repo) == []
    new_version = rutin(version="2.0", text="Ny version.")
    (repo / "documents" / "rutin.yaml").write_text(new_version.replace("date: 2026-01-16", "date: 2026-02-13"))
    assert codes(repo) == []  # a new version with its own decision
    (repo / "documents" / "rutin.yaml").write_text(new_version)
    assert [c for c, _ in codes(repo)] == ["SB040"]  # a new version needs a new decision


@pytest.mark.git
def test_a_justerat_protocol_is_a_record(repo):
    commit(repo, "p.yaml", PROTOKOLL.format(adjusted="", title="Information"), "utkast")
    (repo / "documents" / "p.yaml").write_text(PROTOKOLL.format(adjusted="", title="Ändrad"))
    assert codes(repo) == []  # a draft may change
    commit(repo, "p.yaml", PROTOKOLL.format(adjusted="adjusted: 2026-01-20\n", title="Information"), "justerat")
    assert codes(repo) == []
    (repo / "documents" / "p.yaml").write_text(
        PROTOKOLL.format(adjusted="adjusted: 2026-01-20\n", title="Efterhandsändring")
    )
    assert [c for c, _ in codes(repo)] == ["SB040"]


@pytest.mark.git
def test_a_protocol_justerat_on_an_unknown_day_is_a_record_too(repo):
    justerat = PROTOKOLL.format(adjusted="adjusted: true\n", title="Information")
    commit(repo, "p.yaml", justerat, "justerat, datum okänt")
    assert codes(repo) == []
    path = repo / "documents" / "p.yaml"
    path.write_text(PROTOKOLL.format(adjusted="adjusted: true\n", title="Efterhandsändring"))
    assert [c for c, _ in codes(repo)] == ["SB040"]
    path.write_text(PROTOKOLL.format(adjusted="", title="Information"))
    assert [m for c, m in codes(repo) if c == "SB040"] == [
        f"protokollet justerades i commit {head(repo)[:7]} men 'adjusted' har tagits bort"
    ]
    path.write_text(PROTOKOLL.format(adjusted="adjusted: 2026-01-20\n", title="Information"))
    assert [c for c, _ in codes(repo)] == ["SB040"]  # a day put in afterwards changes the record as well


def head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True).stdout


def test_outside_git_sb040_is_skipped_with_an_sb041_warning(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "organisation.yaml").write_text((CASES / "organisation.yaml").read_text())
    report = findings_json(tmp_path, "2026-03-01")
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("SB041", "warning")]


@pytest.mark.git
def test_changed_since_checks_changed_documents_and_those_that_refer_to_them(repo):
    commit(repo, "rutin.yaml", rutin(status="utkast"), "rutin")
    referring = PROTOKOLL.format(adjusted="", title="Rutin A").replace("kind: I}", 'kind: I, follows_up: "rutin-a"}')
    commit(repo, "p.yaml", referring, "protokoll")
    commit(repo, "other.yaml", rutin(status="utkast").replace("rutin-a", "rutin-b"), "annan")
    (repo / "documents" / "rutin.yaml").write_text(rutin(status="utkast", text="Ny."))
    report = findings_json(repo, "2026-03-01", "--changed-since", "HEAD")
    assert report["documents"] == 2  # rutin.yaml and the protocol that follows it up
    assert report["findings"] == []
    (repo / "documents" / "rutin.yaml").write_text("id: [trasig\n")
    report = findings_json(repo, "2026-03-01", "--changed-since", "HEAD")
    assert [(f["code"], f["path"]) for f in report["findings"]] == [("SB001", "documents/rutin.yaml")]


@pytest.mark.git
def test_changed_since_compares_with_the_unchanged_documents_it_needs(repo):
    commit(repo, "p1.yaml", PROTOKOLL.format(adjusted="", title="Start"), "januari")
    commit(repo, "other.yaml", rutin(status="utkast").replace("rutin-a", "rutin-b"), "annan")
    february = (
        PROTOKOLL.format(adjusted="", title="Uppföljning")
        .replace("2026-01-16", "2026-02-13")
        .replace("kind: I}", 'kind: I, follows_up: "LSVO-2026-01-16 §1"}')
    )
    (repo / "documents" / "p2.yaml").write_text(february)
    report = findings_json(repo, "2026-03-01", "--changed-since", "HEAD")
    assert [(f["code"], f["path"]) for f in report["findings"]] == [("SB020", "documents/p2.yaml")]
    (repo / "documents" / "p2.yaml").write_text(february.replace("number: 1", "number: 2").replace("§1", "§9"))
    report = findings_json(repo, "2026-03-01", "--changed-since", "HEAD")
    assert [(f["code"], f["path"]) for f in report["findings"]] == [("SB004", "documents/p2.yaml")]
    assert report["documents"] == 1


def cached_codes(root: Path, cache: Path, as_of: str = "2026-03-01") -> list[tuple[str, str, str]]:
    """The findings of validating with the cache that sb publish keeps."""
    import datetime as dt

    from sb_cli.io.cache import Cache, using
    from sb_cli.io.repo import load_settings
    from sb_cli.validation import validate_repository

    cache.mkdir(exist_ok=True)
    with Cache(cache) as kept, using(kept):
        report = validate_repository(load_settings(root, root), as_of=dt.date.fromisoformat(as_of))
    return [(f.code, f.path, f.message) for f in report.findings]


@pytest.mark.git
def test_a_check_from_the_cache_is_made_anew_when_the_history_changes_under_the_same_file(repo, tmp_path):
    """The file is the same both times; only the commits differ. Had the cache kept the first check,
    SB040 would be silent."""
    justerat = PROTOKOLL.format(adjusted="adjusted: 2026-01-20\n", title="Information")
    commit(repo, "rutin.yaml", rutin(), "rutin")
    (repo / "documents" / "p.yaml").write_text(justerat)
    assert cached_codes(repo, tmp_path / "cache") == []  # not yet in the history: nothing to compare with
    commit(repo, "p.yaml", justerat.replace("Information", "Annan rubrik"), "justerat")
    (repo / "documents" / "p.yaml").write_text(justerat)
    found = cached_codes(repo, tmp_path / "cache")
    assert [(code, path) for code, path, _ in found] == [("SB040", "documents/p.yaml")]
    assert found == [(f["code"], f["path"], f["message"]) for f in findings_json(repo, "2026-03-01")["findings"]]


@pytest.mark.git
def test_checks_come_from_the_cache_only_when_all_they_are_made_of_is_the_same(repo, tmp_path, monkeypatch):
    from sb_cli import validation
    from sb_cli.io.cache import Cache

    commit(repo, "rutin.yaml", rutin(), "rutin")
    (repo / "documents" / "rutin.yaml").write_text(rutin(text="Ändrad text."))
    (repo / "documents" / "p.yaml").write_text(PROTOKOLL.format(adjusted="", title="Information"))
    first = cached_codes(repo, tmp_path / "cache")
    assert [code for code, _, _ in first] == ["SB040"]
    checks: list[str] = []
    real = validation.check_source
    monkeypatch.setattr(validation, "check_source", lambda source, *a: checks.append(source.path) or real(source, *a))
    assert cached_codes(repo, tmp_path / "cache") == first
    assert checks == []
    assert [code for code, _, _ in cached_codes(repo, tmp_path / "cache", "2027-06-01")] == ["SB010", "SB040"]
    assert sorted(checks) == ["documents/p.yaml", "documents/rutin.yaml"]  # another day: checked anew
    with Cache(tmp_path / "cache") as kept:  # entries that no longer decode are made anew
        db = kept._connection()
        assert db is not None
        with db:
            db.execute("UPDATE entries SET value = x'c1' WHERE kind = 'prövad'")
    checks.clear()
    assert cached_codes(repo, tmp_path / "cache") == first
    assert sorted(checks) == ["documents/p.yaml", "documents/rutin.yaml"]


@pytest.mark.git
def test_a_file_whose_name_is_not_utf8_is_checked_each_time_the_cache_cannot_hold_it(repo, tmp_path):
    import os

    commit(repo, "rutin.yaml", rutin(), "rutin")
    (repo / os.fsdecode(b"documents/\xff-trasig.yaml")).write_bytes(b"id: [\n")
    expected = [(f["code"], f["message"]) for f in findings_json(repo, "2026-03-01")["findings"]]
    assert [code for code, _ in expected] == ["SB001"]
    for _ in range(2):
        assert [(c, m) for c, _, m in cached_codes(repo, tmp_path / "cache")] == expected


@pytest.mark.git
def test_the_history_is_read_anew_when_head_moves_within_one_process(repo):
    """The history up to HEAD is read once per HEAD (the editor checks on every save): a commit
    made while the process runs is seen by its next check."""
    commit(repo, "rutin.yaml", rutin(status="utkast"), "utkast")
    assert codes(repo) == []  # the history now read: the draft only
    commit(repo, "rutin.yaml", rutin(), "beslutad")
    (repo / "documents" / "rutin.yaml").write_text(rutin(text="Ändrad text."))
    assert [c for c, _ in codes(repo)] == ["SB040"]
