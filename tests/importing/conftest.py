"""What the import tests share: the real source documents and the shipped organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Organisation
from tests.conftest import REPO

SEEDS = REPO / "tests" / "seeds"  # copies of the real source documents, ../shared/seeds (see its README)


def seed_file(prefix: str) -> Path:
    """The seed text whose name starts with `prefix` ("003")."""
    (found,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return found


def load_organisation(root: Path = REPO) -> Organisation:
    return organisation_from(yaml.safe_load((root / "documents" / "organisation.yaml").read_text("utf-8")))


@pytest.fixture(scope="session")
def organisation() -> Organisation:
    return load_organisation()
