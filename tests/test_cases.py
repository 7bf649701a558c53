"""Data-driven cases: tests/cases/valid must be clean; each tests/cases/invalid/<rule>/ gives exactly the
findings in its expected.json, whole: code, severity, path, line, column and message.

The goldens are reviewed by hand: when a rule changes, the failing test shows what it gives now, and
expected.json is changed only after that difference is read and found right."""

import json
from pathlib import Path

import pytest

from sb_cli.core.rules import RULES
from tests.conftest import CASES, build_repo, findings_json

CASE_DIRS = [CASES / "valid", *sorted((CASES / "invalid").iterdir())]
KEYS = ("code", "severity", "path", "line", "column", "message")
NOT_GIT = {
    "code": "SB041",
    "severity": "warning",
    "path": ".",
    "line": None,
    "column": None,
    "message": "inte ett git-repositorium: SB040 kontrolleras inte",
}


def findings_of(case: Path, root: Path) -> list[dict]:
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    report = findings_json(build_repo(case, root), expected["as_of"])
    got = [{key: f[key] for key in KEYS} for f in report["findings"]]
    assert got.count(NOT_GIT) == 1  # case folders are no git repositories; SB040's own tests use git
    return [f for f in got if f != NOT_GIT]


@pytest.mark.parametrize("case", CASE_DIRS, ids=[c.name for c in CASE_DIRS])
def test_case(case: Path, tmp_path: Path):
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    assert findings_of(case, tmp_path) == expected["findings"]


def test_every_rule_found_in_a_file_has_an_invalid_case():
    have = {p.name.split("-")[0] for p in (CASES / "invalid").iterdir()}
    tested_with_git = {"SB040", "SB041"}  # tests/io/test_records_git.py builds real repositories
    assert {rule.code for rule in RULES} - tested_with_git <= have
