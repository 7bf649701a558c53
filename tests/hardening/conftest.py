import shutil

import pytest

from tests.conftest import REPO


@pytest.fixture
def repo(tmp_path):
    """A repository holding a copy of the shipped documents (a module may define its own)."""
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    return tmp_path
