import shutil

import pytest

from tests.conftest import REPO, SHIPPED_PROTOCOL, as_draft


@pytest.fixture
def repo(tmp_path):
    """A repository holding a copy of the shipped documents, the LSVO protocol as a draft that
    `sb adjust` may still justera (a module may define its own)."""
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    protocol = tmp_path / SHIPPED_PROTOCOL
    protocol.write_text(as_draft(protocol.read_text("utf-8")), "utf-8")
    return tmp_path
