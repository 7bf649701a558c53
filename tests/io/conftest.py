"""A git repository in a temporary folder with the shared organisation.yaml, for the tests that
read records' history (SB040, corrections, --changed-since)."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return result.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "organisation.yaml").write_text((CASES / "organisation.yaml").read_text())
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "sekreterare@example.se")
    git(tmp_path, "config", "user.name", "Sekreterare")
    return tmp_path
