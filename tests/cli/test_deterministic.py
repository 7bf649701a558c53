"""The same input gives the same bytes in every format, whatever Python's hash seed: findings are
ordered by path, line, column, code and message (SPEC §5), so baselines and diffs in CI hold."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import CASES

pytestmark = pytest.mark.slow

FORMATS = ["text", "json", "github", "junit", "sarif"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """Every invalid case in one repository: many findings, several on the same line."""
    root = tmp_path_factory.mktemp("alla")
    for case in sorted((CASES / "invalid").iterdir()):
        shutil.copytree(case / "documents", root / "documents" / case.name, symlinks=True)
    shutil.copy(CASES / "organisation.yaml", root / "documents" / "organisation.yaml")
    # Two findings with the same code at the same place, told apart only by their message:
    # without quorum among the region's members and among the municipalities' alike.
    (root / "documents" / "lika.yaml").write_text(
        "id: LSVO-2026-05-15\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {date: 2026-05-15}\n"
        "numbering: paragraph\nattendance: {present: [Ronja Ronneby]}\n"
        "items:\n  - {number: 40, title: Beslut, kind: B, decisions: [godkänna]}\n",
        "utf-8",
    )
    return root


def validate(root, output_format, seed):
    environment = {**os.environ, "PYTHONHASHSEED": str(seed)}
    result = subprocess.run(
        [sys.executable, "-m", "sb_cli", "validate", "--root", str(root), "--as-of", "2026-03-01", "-f", output_format],
        capture_output=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    return result.stdout


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_is_byte_identical_under_other_hash_seeds(repo, output_format):
    first = validate(repo, output_format, 0)
    assert first.count(b"SB0") > 40
    for seed in (1, 12345, 4294967295):
        assert validate(repo, output_format, seed) == first
