"""Another region starts its own document repository: `sb init`, then validate, new, render and the
pre-commit hook all work there; `sb schemas` gives the schemas with stable ids."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sb_cli.io.starter import schema_files
from tests.conftest import REPO, sb

GIT = ["git", "-c", "user.name=Sekreterare", "-c", "user.email=sekr@example.org", "-c", "commit.gpgsign=false"]


def on_path() -> dict[str, str]:
    """The environment with this Python's scripts (sb, pre-commit) first on PATH."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.fixture
def new_repo(tmp_path) -> Path:
    root = tmp_path / "regionen"
    result = sb("init", root, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    return root


def commit(root: Path) -> None:
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "dokument"], cwd=root, check=True)


@pytest.mark.git
def test_init_lays_out_everything_spec_10_names(new_repo):
    for name in ("sb.toml", "documents/organisation.yaml", ".pre-commit-config.yaml", ".gitignore"):
        assert (new_repo / name).is_file(), name
    assert (new_repo / ".github" / "workflows" / "sb.yml").is_file()
    assert sorted(p.name for p in (new_repo / "schemas").iterdir()) == [p.name for p in schema_files()]
    assert "ut/" in (new_repo / ".gitignore").read_text().splitlines()


@pytest.mark.slow
@pytest.mark.git
def test_a_new_repository_validates_takes_a_kallelse_and_renders(new_repo):
    commit(new_repo)
    assert sb("validate", "--as-of", "2026-11-22", cwd=new_repo).returncode == 0
    made = sb("new", "kallelse", "--forum", "styrgrupp", "--date", "2026-12-10", "--as-of", "2026-11-22", cwd=new_repo)
    assert made.returncode == 0, made.stderr
    kallelse = new_repo / made.stdout.strip()
    assert kallelse.is_file()
    checked = sb("validate", "--as-of", "2026-11-22", cwd=new_repo)
    assert checked.returncode == 0, checked.stdout
    # From inside documents/, the output still goes to ut/ at the root, so it is never validated.
    rendered = sb("render", kallelse, "--to", "md", "--as-of", "2026-11-22", cwd=new_repo / "documents")
    assert rendered.returncode == 0, rendered.stderr
    assert Path(rendered.stdout.strip()).parent == new_repo / "ut"
    assert not (new_repo / "documents" / "ut").exists()
    assert sb("validate", "--as-of", "2026-11-22", cwd=new_repo).returncode == 0


@pytest.mark.slow
@pytest.mark.git
def test_init_never_overwrites(new_repo):
    (new_repo / "sb.toml").write_text("notice_window_days = 30\n")
    again = sb("init", new_repo)
    assert again.returncode == 0
    assert (new_repo / "sb.toml").read_text() == "notice_window_days = 30\n"
    assert "finns redan, orörd: sb.toml" in again.stdout


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "fil").write_text("x")
    result = sb("init", tmp_path / "fil")
    assert result.returncode == 2 and "ingen mapp" in result.stderr


@pytest.mark.slow
@pytest.mark.git
@pytest.mark.skipif(shutil.which("git") is None, reason="git saknas")
def test_the_pre_commit_hook_runs_wherever_sb_toml_puts_the_documents(new_repo, tmp_path):
    (new_repo / "documents").rename(new_repo / "handlingar")
    (new_repo / "sb.toml").write_text('documents = "handlingar"\n')
    commit(new_repo)
    env = {**on_path(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    run = subprocess.run(["pre-commit", "run", "--all-files"], cwd=new_repo, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout
    (new_repo / "handlingar" / "trasig.yaml").write_text("id: [x\n")
    commit(new_repo)
    run = subprocess.run(["pre-commit", "run", "--all-files"], cwd=new_repo, capture_output=True, text=True, env=env)
    assert run.returncode == 1 and "Failed" in run.stdout and "SB001" in run.stdout, run.stdout


def test_the_published_hook_never_skips():
    hook = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "always_run: true" in hook and "pass_filenames: false" in hook and "files:" not in hook


def test_schemas_are_written_with_stable_ids(tmp_path):
    result = sb("schemas", "--out", tmp_path / "s")
    assert result.returncode == 0, result.stderr
    written = sorted((tmp_path / "s").iterdir())
    assert [p.name for p in written] == [p.name for p in schema_files()] and len(written) == 20
    for path in written:
        schema = json.loads(path.read_text("utf-8"))
        assert schema["$id"] == f"https://raw.githubusercontent.com/samverkan-blekinge/sb/main/schemas/{path.name}"
        assert path.read_bytes() == (REPO / "schemas" / path.name).read_bytes()


def test_a_misspelt_type_says_which_types_there_are():
    result = sb("render", "protokol", "documents/protokoll/LSVO/2023-06-16.yaml")
    assert result.returncode == 2
    assert "okänd dokumenttyp 'protokol'" in result.stderr and "menade du protokoll?" in result.stderr
