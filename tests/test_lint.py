"""The house style is checked with the rest: ruff, with the rules set in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_ruff_finds_nothing():
    beside = Path(sys.executable).parent / "ruff"
    ruff = str(beside) if beside.exists() else shutil.which("ruff")
    assert ruff, "ruff saknas: pip install -e '.[test]'"
    result = subprocess.run([ruff, "check", "sb_cli", "tests", "tools"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
