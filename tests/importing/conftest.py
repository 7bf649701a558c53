"""What the import tests share: the real source documents and the shipped organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Organisation
from tests.conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"  # where SPEC places the real source documents


def seed_file(prefix: str) -> Path:
    """The seed text whose name starts with `prefix` ("003"); the test is skipped without the seeds."""
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} finns inte i {SEEDS}")
    return found[0]


def load_organisation(root: Path = REPO) -> Organisation:
    return organisation_from(yaml.safe_load((root / "documents" / "organisation.yaml").read_text("utf-8")))


@pytest.fixture(scope="session")
def organisation() -> Organisation:
    return load_organisation()
