"""A git repository in a temporary folder with the shared organisation.yaml, for the tests that
read records' history (SB040, corrections, --changed-since)."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES

# A rutin as the comparison tests commit it, version by version (sb compare, render --compare, sb edit).
RUTIN = """id: {ident}
type: rutin
title: Rutin för samverkansmöten
owner: LSVO
status: {status}
version: "{version}"
{decided}valid_from: 2026-02-01
review_by: 2027-01-01
body: |
  ## Möten

  Samverkansgruppen möts {text}.
"""


def rutin(
    version: str, status: str = "utkast", text: str = "varje månad", day: str = "2026-01-16", ident: str = "rutin-a"
) -> str:
    decided = f"decided: {{by: LSVO, date: {day}}}\n" if status == "beslutad" else ""
    return RUTIN.format(ident=ident, status=status, version=version, decided=decided, text=text)


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
