"""Every command the app registers has help with examples, and the README documents it."""

import pytest
import typer

from sb_cli.cli.app import app
from tests.conftest import REPO, invoke


def registered(group=None, path=()):
    """Every leaf command of the app, as its words on the command line ("report expiring")."""
    group = group or typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from registered(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(registered())


def test_the_walk_finds_the_commands():
    assert ("validate",) in COMMANDS and ("report", "expiring") in COMMANDS and len(COMMANDS) >= 12


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_examples_and_readme_mentions_it(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Exempel" in result.stdout
    assert f"sb {' '.join(command)}" in (REPO / "README.md").read_text("utf-8")


def test_top_level_help_lists_every_command():
    text = invoke("--help").stdout
    for command in COMMANDS:
        assert command[0] in text
