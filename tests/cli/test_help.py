"""Every command has help with examples, and the README documents it."""

import pytest

from tests.conftest import REPO, invoke

COMMANDS = [
    ["validate"],
    ["report", "expiring"],
    ["report", "overdue"],
    ["report", "decisions"],
    ["report", "arshjul"],
    ["report", "adoption"],
    ["list"],
    ["show"],
    ["calendar"],
    ["render"],
    ["new"],
    ["adjust"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_examples_and_readme_mentions_it(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Exempel" in result.stdout
    assert f"sb {' '.join(command)}" in (REPO / "README.md").read_text("utf-8")


def test_top_level_help_lists_every_command():
    text = invoke("--help").stdout
    for name in ("validate", "report", "list", "show", "calendar"):
        assert name in text
