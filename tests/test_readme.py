"""The README says what the code does: its rule table is the registry's, and each rule has an anchor."""

import json
import re

from sb_cli.core.rules import RULES
from sb_cli.core.rules.schema import PATTERNS
from tests.conftest import REPO
from tools.rule_table import table

README = (REPO / "README.md").read_text("utf-8")


def test_the_rule_table_is_the_registry():
    start = README.index("<!-- regeltabell")
    block = README[README.index("\n", start) + 1 : README.index("<!-- /regeltabell -->")]
    assert block == table()
    for rule in RULES:
        assert f'<a name="{rule.code.lower()}"></a>{rule.code} |' in block


def test_every_schema_pattern_is_said_in_words():
    patterns = set()
    for path in (REPO / "schemas").glob("*.schema.json"):
        patterns |= set(re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', path.read_text("utf-8")))
    assert {json.loads(p) for p in patterns} <= set(PATTERNS)


def getting_started() -> list[str]:
    start = README.index("## Kom igång")
    block = README[README.index("```sh\n", start) + 6 : README.index("```", README.index("```sh\n", start) + 6)]
    return block.strip().splitlines()


def test_the_first_command_installs_into_a_virtual_environment_and_the_second_is_what_ci_runs():
    install, tests = getting_started()
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . ")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert "python3 -m venv .venv\n. .venv/bin/activate\n" in ci
    last = ci.strip().splitlines()[-1]
    quiet = re.compile(r" --(?:quiet|no-audit|no-fund|loglevel=\S+)")
    assert quiet.sub("", last) == tests
    assert "Node med `npm`" in README[: README.index("```sh\n", README.index("## Kom igång"))]


def test_pre_commit_comes_with_sb_itself():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(d.startswith("pre-commit>=") for d in project["dependencies"])
    assert "pre-commit install" in README
