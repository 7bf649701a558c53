"""Shell completion as bash runs it: the script `sb --show-completion bash` prints, sourced in a real
bash, completes commands, --format values, forum ids and document ids."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, sb

BASH = shutil.which("bash")


def complete(*words: str, cwd: Path = REPO) -> list[str]:
    """What Tab offers after `words` (the last one is the word being completed)."""
    script = sb("--show-completion", "bash", cwd=cwd)
    assert script.returncode == 0, script.stderr
    program = f"""{script.stdout}
COMP_WORDS=({" ".join(f"'{w}'" for w in words)})
COMP_CWORD={len(words) - 1}
_sb_completion sb
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([BASH, "-c", program], capture_output=True, text=True, cwd=cwd, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    return [line for line in run.stdout.splitlines() if line]


pytestmark = pytest.mark.skipif(BASH is None, reason="bash saknas")


def test_commands_complete():
    assert complete("sb", "rep") == ["report"]
    assert complete("sb", "report", "ex") == ["expiring"]


def test_format_values_complete():
    assert complete("sb", "report", "decisions", "--format", "") == ["table", "json", "csv", "markdown", "xlsx"]
    assert complete("sb", "show", "x", "--format", "") == ["text", "json"]


@pytest.mark.slow
def test_document_and_party_ids_complete():
    assert complete("sb", "show", "LSVO") == ["LSVO-2023-06-16"]
    assert complete("sb", "show", "overens") == ["overenskommelse-malgrupper-2023"]
    assert complete("sb", "list", "--party", "karl") == ["karlskrona", "karlshamn"]


def test_forum_ids_complete_from_organisation_yaml():
    assert complete("sb", "new", "kallelse", "--forum", "att-") == ["att-vaxa-upp", "att-aldras"]


def test_nothing_is_offered_outside_a_repository(tmp_path):
    assert complete("sb", "new", "kallelse", "--forum", "", cwd=tmp_path) == []


def test_the_completion_options_are_in_the_help_in_swedish():
    text = sb("--help").stdout
    assert "--install-completion" in text and "Installera kompletteringen" in text
    assert "--show-completion" in text and "Install completion" not in text
