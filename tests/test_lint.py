"""The house style is checked with the rest: ruff (lint and format) with the rules set in pyproject.toml,
and mypy in strict mode over the package."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
CODE = ["sb_cli", "tests", "tools"]


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", *CODE], ["ruff", "format", "--check", *CODE], ["mypy"]],
    ids=["ruff check", "ruff format", "mypy --strict"],
)
def test_the_code_passes(command):
    tool = BIN / command[0]
    assert tool.exists(), f"{command[0]} saknas: pip install -e '.[test]'"
    result = subprocess.run([str(tool), *command[1:]], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
