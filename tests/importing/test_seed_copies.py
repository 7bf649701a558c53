"""The seed texts the tests read are in tests/seeds, copied byte for byte from ../shared/seeds: the
tests never read ../shared."""

from __future__ import annotations

import pytest

from tests.importing.conftest import SEEDS, seed_file

PREFIXES = ("000", "001", "002", "003", "004")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_seed_is_in_the_repository_and_named_in_its_readme(prefix: str) -> None:
    copy = seed_file(prefix)
    assert copy.parent == SEEDS and copy.stat().st_size > 1000
    assert f"../shared/seeds/{copy.name}" in (SEEDS / "README.md").read_text("utf-8")
