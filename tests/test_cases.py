"""Data-driven cases: tests/cases/valid must be clean; each tests/cases/invalid/<rule>/ gives exactly
the findings in its expected.json (code, path, line)."""

import json
from pathlib import Path

import pytest

from tests.conftest import CASES, build_repo, findings_json

CASE_DIRS = [CASES / "valid", *sorted((CASES / "invalid").iterdir())]


def _not_git_notice(finding: dict) -> bool:
    # Case repositories are plain folders; SB040 says once that it was skipped. Its own test covers it.
    return finding["code"] == "SB040" and finding["severity"] == "info"


@pytest.mark.parametrize("case", CASE_DIRS, ids=[c.name for c in CASE_DIRS])
def test_case(case: Path, tmp_path: Path):
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    root = build_repo(case, tmp_path)
    report = findings_json(root, expected["as_of"])
    got = sorted(
        (f["code"], f["path"], f["line"]) for f in report["findings"] if not _not_git_notice(f)
    )
    want = sorted((f["code"], f["path"], f["line"]) for f in expected["findings"])
    assert got == want, json.dumps(report["findings"], ensure_ascii=False, indent=1)


def test_every_rule_has_an_invalid_case():
    rules = {"SB001", "SB002", "SB003", "SB004", "SB005", "SB010", "SB011", "SB012", "SB013",
             "SB020", "SB021", "SB022", "SB023", "SB024", "SB025", "SB030", "SB031"}
    have = {p.name.split("-")[0] for p in (CASES / "invalid").iterdir()}
    assert rules <= have
