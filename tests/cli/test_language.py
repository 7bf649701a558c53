"""Swedish all the way, at 80 columns: the help of every command, its usage errors and the messages
of every case folder hold no English words of typer's or the libraries', no Python reprs and no
regular expressions; every example stays on one line."""

import json
import os
import re

import pytest
import typer

from sb_cli.cli.app import app
from tests.conftest import CASES, build_repo, invoke, sb

ENGLISH = re.compile(
    r"\b(Usage|Options|Commands|Arguments|Show this|default:|required|Error|Invalid|Missing|No such|"
    r"Did you mean|Possible options|not in the range|is not|does not|must be|should|found|expected|"
    r"while (scanning|parsing)|mapping values|Expected|Object|unknown|Aborted|Try)\b"
)
PYTHON = re.compile(r"\{'|'\}|\^\[|\$'|\bNone\b|\bTrue\b|\bFalse\b|\\\\[dws]|<class|Traceback")
TYPE_NAME = re.compile(r"--[a-z-]+ <[a-z ]+>")  # Click's name of an option's type, "--port <int range>"


def command_paths(command=None, path=()):
    command = command or typer.main.get_command(app)
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from command_paths(sub, (*path, name))


PATHS = list(command_paths())
NARROW = {**os.environ, "COLUMNS": "80"}


def assert_swedish(text: str, where: str) -> None:
    assert not ENGLISH.search(text), (where, ENGLISH.search(text)[0], text)
    assert not PYTHON.search(text), (where, PYTHON.search(text)[0], text)
    assert not TYPE_NAME.search(text), (where, TYPE_NAME.search(text)[0], text)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "sb")
def test_help_is_swedish_fits_80_columns_and_keeps_each_example_whole(path):
    result = sb(*path, "--help", env=NARROW)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert_swedish(text, " ".join(path))
    assert "Användning: sb" in text and "Visa hjälpen och avsluta." in text
    assert max(len(line) for line in text.splitlines()) <= 80
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    source = "\n".join(part for part in (command.help or "", command.epilog or "") if part)
    examples = [line.strip() for line in source.splitlines() if line.strip().startswith("sb ")]
    assert examples or path == ("report",) or not path, "every command shows examples"
    lines = [line.strip() for line in text.splitlines()]
    for example in examples:
        assert example in lines, (example, text)


MISTAKES = [
    ("report", "expire"),
    ("report", "expiring", "--within", "-5"),
    ("report", "expiring", "--within", "abc"),
    ("report", "expiring", "--within"),
    ("report", "decisions", "--format", "xml"),
    ("validate", "--bogus"),
    ("validate", "--as-of", "2026-13-01"),
    ("render", "--to", "odt", "x.yaml"),
    ("render", "protokol", "documents/protokoll/LSVO/2023-06-16.yaml"),
    ("list", "extra", "argument"),
    ("calendar",),
    ("show",),
]


@pytest.mark.parametrize("words", MISTAKES, ids=" ".join)
def test_usage_errors_are_swedish(words):
    result = sb(*words, env=NARROW)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "sb: fel:" in result.stderr
    assert_swedish(result.stderr, " ".join(words))


@pytest.mark.parametrize("case", sorted((CASES / "invalid").iterdir()), ids=lambda p: p.name)
def test_every_finding_of_the_cases_is_swedish(case, tmp_path):
    root = build_repo(case, tmp_path)
    as_of = json.loads((case / "expected.json").read_text("utf-8")).get("as_of", "2026-11-22")
    result = invoke("validate", "--root", root, "--as-of", as_of, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert findings
    for finding in findings:
        assert_swedish(f"{finding['message']} {finding.get('hint') or ''}", f"{case.name}: {finding['code']}")


def test_an_option_without_a_metavar_shows_its_type_in_swedish():
    text = sb("publish", "--help", env=NARROW).stdout
    assert "--port HELTAL" in text and "<int range>" not in text
