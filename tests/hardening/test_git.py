"""git never runs what a repository configures, and when history cannot be read SB041 says why and
what to do — in real repositories made inside the tests."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES, findings_json, sb
from tests.io.conftest import git
from tests.io.test_history_cases import commit_all, rutin

pytestmark = pytest.mark.git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "documents").mkdir(parents=True)
    (root / "documents" / "organisation.yaml").write_text((CASES / "organisation.yaml").read_text())
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "sekreterare@example.se")
    git(root, "config", "user.name", "Sekreterare")
    (root / "documents" / "rutin.yaml").write_text(rutin(), "utf-8")
    commit_all(root)
    return root


def sb041(root: Path, *extra: str) -> list[tuple[str, str | None]]:
    report = findings_json(root, "2026-03-01", *extra)
    return [(f["message"], None) for f in report["findings"] if f["code"] == "SB041"]


def hints(root: Path) -> list[str]:
    result = sb("validate", "--root", root, "--as-of", "2026-03-01")
    return [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("tips:")]


@pytest.mark.slow
def test_commands_configured_in_the_repository_never_run(repo: Path, tmp_path: Path):
    markers = {name: tmp_path / name for name in ("fsmonitor", "clean", "smudge", "textconv", "hook", "pager")}
    config = repo / ".git" / "config"
    config.write_text(
        config.read_text()
        + f'[core]\n\tfsmonitor = "touch {markers["fsmonitor"]}; false"\n\tpager = touch {markers["pager"]}\n'
        + f'[filter "x"]\n\tclean = touch {markers["clean"]}; cat\n\tsmudge = touch {markers["smudge"]}; cat\n'
        + f'[diff "x"]\n\ttextconv = touch {markers["textconv"]}; cat\n'
    )
    (repo / ".gitattributes").write_text("*.yaml filter=x diff=x\n")
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {markers['hook']}\n")
    hook.chmod(0o755)
    (repo / "documents" / "rutin.yaml").write_text(rutin(text="Ändrad."), "utf-8")
    report = findings_json(repo, "2026-03-01")
    assert [f["code"] for f in report["findings"]] == ["SB040"]
    assert [f["code"] for f in findings_json(repo, "2026-03-01", "--changed-since", "HEAD")["findings"]] == ["SB040"]
    sb("show", "rutin-a", "--root", repo, "--as-of", "2026-03-01")
    sb("render", repo / "documents" / "rutin.yaml", "--to", "md", "--out", tmp_path / "ut", "--root", repo, "--force")
    assert [name for name, marker in markers.items() if marker.exists()] == []


@pytest.mark.slow
def test_a_repository_owned_by_another_user_gives_sb041_with_the_fix(repo: Path):
    try:
        shutil.chown(repo, user="nobody")
        for folder, dirs, files in os.walk(repo):
            for name in dirs + files:
                shutil.chown(Path(folder) / name, user="nobody")
        environment = None
    except (PermissionError, LookupError):  # not root: git's own test switch reproduces the refusal
        environment = {**os.environ, "GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}
    result = sb("validate", "--root", repo, "--as-of", "2026-03-01", "--format", "json", env=environment)
    import json

    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["message"]) for f in findings] == [
        (
            "SB041",
            "git vägrar läsa repositoriet: mappen ägs av en annan användare (dubious ownership): "
            "SB040 kontrolleras inte",
        )
    ]
    text = sb("validate", "--root", repo, "--as-of", "2026-03-01", env=environment).stdout
    assert f"tips: git config --global --add safe.directory {repo.resolve()}" in text


@pytest.mark.slow
def test_a_shallow_clone_gives_sb041(repo: Path, tmp_path: Path):
    (repo / "documents" / "rutin.yaml").write_text(rutin(review_by="2027-06-01"), "utf-8")
    commit_all(repo)
    clone = tmp_path / "grund"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert sb041(clone) == [
        ("en grund klon (shallow clone) saknar den historik som behövs: SB040 kontrolleras inte", None)
    ]
    assert hints(clone) == [
        "tips: hämta hela historiken: fetch-depth: 0 i actions/checkout, eller git fetch --unshallow"
    ]


def test_a_partial_clone_gives_sb041(repo: Path, tmp_path: Path):
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partiell"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{repo}", str(clone)], check=True)
    assert sb041(clone) == [
        ("en partiell klon (partial clone) saknar äldre versioner av filerna: SB040 kontrolleras inte", None)
    ]


@pytest.mark.slow
def test_no_commits_and_no_git_give_sb041(tmp_path: Path):
    empty = tmp_path / "tom"
    (empty / "documents").mkdir(parents=True)
    (empty / "documents" / "organisation.yaml").write_text((CASES / "organisation.yaml").read_text())
    assert sb041(empty) == [("inte ett git-repositorium: SB040 kontrolleras inte", None)]
    git(empty, "init", "-q")
    assert sb041(empty) == [("repositoriet har inga commits ännu: SB040 kontrolleras inte", None)]
    without_git = {**os.environ, "PATH": str(tmp_path / "ingen-git")}
    import json
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "sb_cli", "validate", "--root", str(empty), "--as-of", "2026-03-01", "-f", "json"],
        capture_output=True,
        text=True,
        env=without_git,
    )
    assert [f["message"] for f in json.loads(result.stdout)["findings"]] == [
        "git finns inte på datorn: SB040 kontrolleras inte"
    ]


@pytest.mark.slow
def test_changed_since_without_history_is_a_usage_error_that_says_why(repo: Path, tmp_path: Path):
    clone = tmp_path / "grund"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    result = sb("validate", "--root", clone, "--changed-since", "HEAD")
    assert result.returncode == 2
    assert "--changed-since kräver git-historik: en grund klon (shallow clone)" in result.stderr
    assert "fetch-depth: 0" in result.stderr
