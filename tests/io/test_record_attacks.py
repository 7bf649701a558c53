"""SB040 and SB041 against the ways a record can be changed unseen, one class of attack per case, each
in a real git repository made inside the test: the commits, then the working tree as the attacker
leaves it, and exactly the findings (code, path, line, message) `sb validate` must give."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import CASES, findings_json
from tests.io.test_history_cases import protokoll, rutin

pytestmark = pytest.mark.git

DECIDED = "dokumentet är beslutat i version 1.0 (commit {commit}) men {what} har ändrats sedan dess"
ADJUSTED = "protokollet är justerat (commit {commit}) men {what} har ändrats sedan dess"
GRAFTS = (
    "historiken är omskriven med grafts (.git/info/grafts), så den visar inte vad som checkades in: "
    "SB040 kontrolleras inte"
)
TJANSTESKRIVELSE = """id: LSVO-2026-01-16
type: tjansteskrivelse
title: Protokoll
forum: LSVO
date: 2026-01-10
body: |
  Inget beslut.
"""


class Repo:
    """A git repository in a temporary folder, with commits that work without any git config (as root
    in CI too) and whose dates follow each other, so the order of commits never depends on the clock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.commits = 0
        (root / "documents").mkdir()
        (root / "documents" / "organisation.yaml").write_text((CASES / "organisation.yaml").read_text())
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        moment = f"2026-01-01T12:{self.commits:02d}:00+00:00"
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Sekreterare",
            "GIT_AUTHOR_EMAIL": "sekreterare@example.se",
            "GIT_COMMITTER_NAME": "Sekreterare",
            "GIT_COMMITTER_EMAIL": "sekreterare@example.se",
            "GIT_AUTHOR_DATE": moment,
            "GIT_COMMITTER_DATE": moment,
        }
        result = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, env=environment)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def write(self, relpath: str, text: str) -> None:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def commit(self, message: str = "ändring", **files: str) -> str:
        """Write `files` (name under documents/ → text), commit everything; the commit's short id."""
        for name, text in files.items():
            self.write(f"documents/{name}", text)
        self.git("add", "-A")
        self.commits += 1
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "--short=7", "HEAD")


def found(repo: Repo, *extra: str) -> list[tuple[str, str, int | None, str]]:
    """The SB040 and SB041 findings (other rules may have their say on an attacked file too)."""
    report = findings_json(repo.root, "2026-03-01", *extra)
    return [(f["code"], f["path"], f["line"], f["message"]) for f in report["findings"] if f["code"] in HISTORY]


HISTORY = ("SB040", "SB041")


# --- 10. changing the type -----------------------------------------------------------------------


def protocol_becomes_a_tjansteskrivelse(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """The issue's example: a justerat protocol rewritten as a valid tjänsteskrivelse under its id."""
    adjusted = repo.commit(**{"p.yaml": protokoll()})
    repo.write("documents/p.yaml", TJANSTESKRIVELSE)
    return [("SB040", "documents/p.yaml", 2, ADJUSTED.format(commit=adjusted, what="'type'"))]


def decided_rutin_becomes_a_riktlinje(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    decided = repo.commit(**{"rutin.yaml": rutin()})
    repo.write("documents/rutin.yaml", rutin().replace("type: rutin", "type: riktlinje"))
    return [("SB040", "documents/rutin.yaml", 2, DECIDED.format(commit=decided, what="'type'"))]


def decided_rutin_becomes_a_protocol_draft(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    decided = repo.commit(**{"rutin.yaml": rutin()})
    draft = protokoll(adjusted=False).replace("LSVO-2026-01-16", "rutin-a")
    repo.write("documents/rutin.yaml", draft)
    return [("SB040", "documents/rutin.yaml", 2, DECIDED.format(commit=decided, what="'type'"))]


# --- 11. swapping ids ----------------------------------------------------------------------------


def two_decided_documents_swap_ids(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """The issue's example: each id now carries the other document's decided text."""
    decided = repo.commit(
        **{"a.yaml": rutin(text="Text A."), "b.yaml": rutin(text="Text B.").replace("rutin-a", "rutin-b")}
    )
    repo.write("documents/a.yaml", rutin(text="Text A.").replace("rutin-a", "rutin-b"))
    repo.write("documents/b.yaml", rutin(text="Text B."))
    texten = DECIDED.format(commit=decided, what="texten")
    return [("SB040", "documents/a.yaml", 10, texten), ("SB040", "documents/b.yaml", 10, texten)]


def a_decided_document_takes_a_new_id(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """The id changes and nothing else: the file's own history shows the record it was."""
    decided = repo.commit(**{"a.yaml": rutin()})
    repo.write("documents/a.yaml", rutin().replace("rutin-a", "rutin-ny"))
    return [("SB040", "documents/a.yaml", 1, DECIDED.format(commit=decided, what="'id'"))]


def two_protocols_swap_ids_after_a_move(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    adjusted = repo.commit(
        **{
            "p1.yaml": protokoll(title="Första"),
            "p2.yaml": protokoll(title="Andra").replace("2026-01-16", "2026-02-13"),
        }
    )
    repo.git("mv", "documents/p1.yaml", "documents/ett.yaml")
    repo.commit("flyttat")
    repo.write("documents/ett.yaml", protokoll(title="Första").replace("id: LSVO-2026-01-16", "id: LSVO-2026-02-13"))
    repo.write("documents/p2.yaml", protokoll(title="Andra").replace("date: 2026-01-16", "date: 2026-02-13"))
    title, meeting = (ADJUSTED.format(commit=adjusted, what=what) for what in ("'title'", "'meeting'"))
    return [
        ("SB040", path, line, message)
        for path in ("documents/ett.yaml", "documents/p2.yaml")
        for line, message in ((3, title), (5, meeting))
    ]


# --- 12. moving the documents folder -------------------------------------------------------------


def move_documents_folder(repo: Repo, edit_in_the_move: bool) -> str:
    decided = repo.commit(**{"rutin.yaml": rutin()})
    repo.git("mv", "documents", "dokument")
    repo.write("sb.toml", 'documents = "dokument"\n')
    if edit_in_the_move:
        repo.write("dokument/rutin.yaml", rutin(text="Ändrad i flytten."))
    repo.commit("ny mapp")
    return decided


def documents_folder_moved_then_edited(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """The issue's example: `git mv documents dokument` and `documents = "dokument"`, then an edit."""
    decided = move_documents_folder(repo, edit_in_the_move=False)
    repo.write("dokument/rutin.yaml", rutin(text="Ändrad efter flytten."))
    return [("SB040", "dokument/rutin.yaml", 10, DECIDED.format(commit=decided, what="texten"))]


def documents_folder_moved_and_edited_in_one_commit(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    decided = move_documents_folder(repo, edit_in_the_move=True)
    return [("SB040", "dokument/rutin.yaml", 10, DECIDED.format(commit=decided, what="texten"))]


# --- 13. a merge ---------------------------------------------------------------------------------


def decided_on_two_branches(repo: Repo, branch_first: bool) -> str:
    """A branch decides rutin 1.0 with one text, main with another; main's decision commit."""
    repo.commit("start")
    repo.git("branch", "gren")
    main_text, branch_text = rutin(text="Huvudlinjens text."), rutin(text="Grenens text.")
    if branch_first:
        repo.git("switch", "-q", "gren")
        repo.commit("gren beslutar", **{"rutin.yaml": branch_text})
        repo.git("switch", "-q", "main")
        return repo.commit("main beslutar", **{"rutin.yaml": main_text})
    main = repo.commit("main beslutar", **{"rutin.yaml": main_text})
    repo.git("switch", "-q", "gren")
    repo.commit("gren beslutar", **{"rutin.yaml": branch_text})
    repo.git("switch", "-q", "main")
    return main


def merge_takes_the_branch_text(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """The issue's example: main merges the branch, keeping the branch's side."""
    main = decided_on_two_branches(repo, branch_first=True)
    repo.commits += 1
    repo.git("merge", "-q", "-X", "theirs", "--no-edit", "gren")
    return [("SB040", "documents/rutin.yaml", 10, DECIDED.format(commit=main, what="texten"))]


def merge_takes_the_branch_text_decided_later(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    main = decided_on_two_branches(repo, branch_first=False)
    repo.commits += 1
    repo.git("merge", "-q", "-X", "theirs", "--no-edit", "gren")
    return [("SB040", "documents/rutin.yaml", 10, DECIDED.format(commit=main, what="texten"))]


def merge_resolves_to_a_third_text(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    main = decided_on_two_branches(repo, branch_first=False)
    repo.commits += 1
    repo.git("merge", "-q", "-X", "ours", "--no-edit", "gren")
    repo.write("documents/rutin.yaml", rutin(text="En tredje text."))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-edit")
    return [("SB040", "documents/rutin.yaml", 10, DECIDED.format(commit=main, what="texten"))]


# --- 14. git replace and grafts ------------------------------------------------------------------


def replaced_decision_commit(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """A replacement commit makes git show the changed text as the one decided."""
    decided = repo.commit(**{"rutin.yaml": rutin()})
    changed = rutin(text="Ändrad i smyg.")
    repo.write("documents/rutin.yaml", changed)
    repo.git("add", "-A")
    tree = repo.git("write-tree")
    forged = repo.git("commit-tree", tree, "-m", "beslutad")
    repo.git("replace", repo.git("rev-parse", "HEAD"), forged)
    return [("SB040", "documents/rutin.yaml", 10, DECIDED.format(commit=decided, what="texten"))]


def replaced_decided_blob(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    decided = repo.commit(**{"rutin.yaml": rutin()})
    blob = repo.git("rev-parse", "HEAD:documents/rutin.yaml")
    repo.write("documents/rutin.yaml", rutin(text="Ändrad i smyg."))
    repo.git("replace", blob, repo.git("hash-object", "-w", "documents/rutin.yaml"))
    return [("SB040", "documents/rutin.yaml", 10, DECIDED.format(commit=decided, what="texten"))]


def grafted_history(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """A graft cuts the decision out of the history git shows: SB041, never a silent pass."""
    repo.commit(**{"rutin.yaml": rutin()})
    later = repo.commit(**{"rutin.yaml": rutin(text="Ändrad i smyg.")})
    (repo.root / ".git" / "info").mkdir(exist_ok=True)
    (repo.root / ".git" / "info" / "grafts").write_text(repo.git("rev-parse", later) + "\n")
    return [("SB041", ".", None, GRAFTS)]


# --- 15. a move before the commit ----------------------------------------------------------------


def git_mv_and_edit_before_the_commit(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    """The issue's example: `git mv` of a decided document and an edit, nothing committed yet."""
    decided = repo.commit(**{"rutin.yaml": rutin()})
    repo.git("mv", "documents/rutin.yaml", "documents/flyttad.yaml")
    repo.write("documents/flyttad.yaml", rutin(text="Ändrad i flytten."))
    return [("SB040", "documents/flyttad.yaml", 10, DECIDED.format(commit=decided, what="texten"))]


def plain_mv_and_edit_before_the_commit(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    decided = repo.commit(**{"rutin.yaml": rutin()})
    (repo.root / "documents" / "rutin.yaml").unlink()
    repo.write("documents/arkiv/rutin-a.yaml", rutin(text="Ändrad i flytten."))
    return [("SB040", "documents/arkiv/rutin-a.yaml", 10, DECIDED.format(commit=decided, what="texten"))]


def staged_move_of_a_protocol_with_an_edit(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    adjusted = repo.commit(**{"p.yaml": protokoll()})
    repo.git("mv", "documents/p.yaml", "documents/protokoll.yaml")
    repo.write("documents/protokoll.yaml", protokoll(title="Efterhandsändring"))
    repo.git("add", "-A")
    return [("SB040", "documents/protokoll.yaml", 3, ADJUSTED.format(commit=adjusted, what="'title'"))]


Case = Callable[[Repo], list[tuple[str, str, int | None, str]]]
ATTACKS: dict[str, Case] = {
    "10 protokoll blir tjänsteskrivelse": protocol_becomes_a_tjansteskrivelse,
    "10 beslutad rutin blir riktlinje": decided_rutin_becomes_a_riktlinje,
    "10 beslutad rutin blir protokollsutkast": decided_rutin_becomes_a_protocol_draft,
    "11 två beslutade dokument byter id": two_decided_documents_swap_ids,
    "11 beslutat dokument får nytt id": a_decided_document_takes_a_new_id,
    "11 två protokoll byter id efter en flytt": two_protocols_swap_ids_after_a_move,
    "12 dokumentmappen flyttad, sedan ändrad": documents_folder_moved_then_edited,
    "12 dokumentmappen flyttad och ändrad i samma commit": documents_folder_moved_and_edited_in_one_commit,
    "13 sammanslagning tar grenens text": merge_takes_the_branch_text,
    "13 sammanslagning tar grenens senare beslut": merge_takes_the_branch_text_decided_later,
    "13 sammanslagning löser konflikten med en tredje text": merge_resolves_to_a_third_text,
    "14 ersatt beslutscommit": replaced_decision_commit,
    "14 ersatt blob": replaced_decided_blob,
    "14 grafts": grafted_history,
    "15 git mv och ändring före commit": git_mv_and_edit_before_the_commit,
    "15 mv och ändring före commit": plain_mv_and_edit_before_the_commit,
    "15 protokoll flyttat och ändrat i indexet": staged_move_of_a_protocol_with_an_edit,
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_record_changed_unseen_is_sb040(tmp_path: Path, name: str):
    repo = Repo(tmp_path)
    expected = ATTACKS[name](repo)
    assert found(repo) == expected


# Each attack as a pull request sees it: `--changed-since` a revision that holds the record.
SINCE: dict[str, tuple[Case, str]] = {
    "10 protokoll blir tjänsteskrivelse": (protocol_becomes_a_tjansteskrivelse, "HEAD"),
    "11 två beslutade dokument byter id": (two_decided_documents_swap_ids, "HEAD"),
    "12 dokumentmappen flyttad, sedan ändrad": (documents_folder_moved_then_edited, "HEAD~1"),
    "12 dokumentmappen flyttad och ändrad i samma commit": (documents_folder_moved_and_edited_in_one_commit, "HEAD~1"),
    "15 git mv och ändring före commit": (git_mv_and_edit_before_the_commit, "HEAD"),
}


@pytest.mark.parametrize("name", list(SINCE))
def test_changed_since_a_revision_that_holds_the_record_finds_it_too(tmp_path: Path, name: str):
    attack, revision = SINCE[name]
    repo = Repo(tmp_path)
    expected = attack(repo)
    assert found(repo, "--changed-since", revision) == expected


def test_a_merge_that_keeps_the_branch_text_is_sb040_against_main(tmp_path: Path):
    """The issue's example seen from the branch: main merged into it keeping the branch's text, then
    `--changed-since main`, as a pull request's check runs it."""
    repo = Repo(tmp_path)
    main = decided_on_two_branches(repo, branch_first=True)
    repo.git("switch", "-q", "gren")
    repo.commits += 1
    repo.git("merge", "-q", "-X", "ours", "--no-edit", "main")
    assert found(repo, "--changed-since", "main") == [
        ("SB040", "documents/rutin.yaml", 10, DECIDED.format(commit=main, what="texten"))
    ]


def test_changed_since_compares_each_record_with_the_revisions_own_copy(tmp_path: Path):
    """Whatever the history between, a record that differs from the revision's copy of the same id is
    SB040 naming the revision."""
    repo = Repo(tmp_path)
    repo.commit(**{"rutin.yaml": rutin(text="Utkast.", status="utkast")})
    repo.git("branch", "bas")
    repo.commit(**{"rutin.yaml": rutin()})
    repo.git("switch", "-q", "bas")
    repo.commit(**{"rutin.yaml": rutin(text="Annan text.")})
    assert found(repo, "--changed-since", "main") == [
        (
            "SB040",
            "documents/rutin.yaml",
            10,
            "dokumentet är beslutat i version 1.0 i main men texten skiljer sig från den versionen",
        )
    ]


def files_renamed_crosswise(repo: Repo) -> None:
    repo.commit(**{"a.yaml": rutin(text="A."), "b.yaml": rutin(text="B.").replace("rutin-a", "rutin-b")})
    repo.write("documents/a.yaml", rutin(text="B.").replace("rutin-a", "rutin-b"))
    repo.write("documents/b.yaml", rutin(text="A."))


def new_draft_where_a_record_moved_from(repo: Repo) -> None:
    repo.commit(**{"a.yaml": rutin()})
    repo.git("mv", "documents/a.yaml", "documents/b.yaml")
    repo.write("documents/a.yaml", rutin(status="utkast").replace("rutin-a", "rutin-ny"))


def draft_changes_type(repo: Repo) -> None:
    repo.commit(**{"a.yaml": rutin(status="utkast")})
    repo.write("documents/a.yaml", rutin(status="utkast").replace("type: rutin", "type: riktlinje"))


def branch_with_the_same_decision_merged(repo: Repo) -> None:
    repo.commit("start")
    repo.git("switch", "-q", "-c", "gren")
    repo.commit(**{"rutin.yaml": rutin()})
    repo.git("switch", "-q", "main")
    repo.commit(**{"annan.yaml": rutin(status="utkast").replace("rutin-a", "rutin-b")})
    repo.commits += 1
    repo.git("merge", "-q", "--no-edit", "gren")
    repo.write("documents/rutin.yaml", rutin(review_by="2027-06-30"))


def same_id_outside_the_documents_folder(repo: Repo) -> None:
    repo.write("exempel/rutin.yaml", rutin(text="Ett exempel med samma id."))
    repo.commit(**{"rutin.yaml": rutin()})


def replacement_that_changes_no_document(repo: Repo) -> None:
    repo.commit(**{"rutin.yaml": rutin()})
    repo.git("replace", repo.git("rev-parse", "HEAD"), repo.git("commit-tree", "HEAD^{tree}", "-m", "annat"))


SAFE: dict[str, Callable[[Repo], object]] = {
    "filer byter namn i kors": files_renamed_crosswise,
    "ny fil på en flyttad posts plats": new_draft_where_a_record_moved_from,
    "flyttad mapp utan ändring": partial(move_documents_folder, edit_in_the_move=False),
    "utkast som byter typ": draft_changes_type,
    "sammanslagning av samma beslut": branch_with_the_same_decision_merged,
    "samma id i en mapp som inte är dokumentmappen": same_id_outside_the_documents_folder,
    "ersättningsobjekt utan betydelse för dokumenten": replacement_that_changes_no_document,
}


@pytest.mark.parametrize("name", list(SAFE))
def test_what_does_not_change_a_record_stays_silent(tmp_path: Path, name: str):
    repo = Repo(tmp_path)
    SAFE[name](repo)
    assert found(repo) == []


@pytest.mark.parametrize("name", ["11 två beslutade dokument byter id", "13 sammanslagning tar grenens text"])
def test_worker_processes_read_the_same_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str):
    """A large repository is checked by worker processes, with the history read once and handed to
    them: they find what one process finds."""
    import datetime as dt

    from sb_cli import validation
    from sb_cli.io.repo import load_settings

    repo = Repo(tmp_path)
    expected = ATTACKS[name](repo)
    monkeypatch.setattr(validation, "PARALLEL_FROM", 1)
    settings = load_settings(repo.root, repo.root)
    report = validation.validate_repository(settings, as_of=dt.date(2026, 3, 1))
    assert [(f.code, f.path, f.line, f.message) for f in report.findings if f.code in HISTORY] == expected


@pytest.mark.slow
def test_grafts_are_sb041_that_names_the_fix_and_stop_changed_since(tmp_path: Path):
    repo = Repo(tmp_path)
    grafted_history(repo)
    from tests.conftest import sb

    text = sb("validate", "--root", repo.root, "--as-of", "2026-03-01").stdout
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("tips:")] == [
        "tips: ta bort .git/info/grafts, eller gör om dem till ersättningsobjekt med "
        "git replace --convert-graft-file (sb läser historiken utan dem)"
    ]
    result = sb("validate", "--root", repo.root, "--changed-since", "HEAD")
    assert result.returncode == 2
    assert "--changed-since kräver git-historik: historiken är omskriven med grafts" in result.stderr


COMMITTED = [
    "10 protokoll blir tjänsteskrivelse",
    "10 beslutad rutin blir riktlinje",
    "11 två beslutade dokument byter id",
    "11 beslutat dokument får nytt id",
    "12 dokumentmappen flyttad, sedan ändrad",
    "15 git mv och ändring före commit",
    "15 mv och ändring före commit",
]


@pytest.mark.parametrize("name", COMMITTED)
def test_the_attack_once_committed_is_found_too(tmp_path: Path, name: str):
    """The working tree committed as it is: history now ends in the changed file, and the record is
    still compared with the commit that made it one."""
    repo = Repo(tmp_path)
    expected = ATTACKS[name](repo)
    repo.commit("ändrat")
    assert found(repo) == expected
