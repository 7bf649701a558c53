"""The editor takes a forum by its id, any of its names and any alias, as --forum does (SPEC 3.4):
`/ny/kallelse?forum=att åldras` chooses att-aldras, and a posted name makes its kallelse."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from sb_cli.edit.app import application
from sb_cli.edit.guard import COOKIE
from sb_cli.edit.workspace import Workspace
from sb_cli.io.cache import Cache
from sb_cli.io.repo import load_settings
from tests.conftest import REPO
from tests.edit.test_app import BASE, PORT, TOKEN, csrf_of, post


@pytest.fixture
def editor(tmp_path: Path) -> tuple[TestClient, Path]:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "documents", root / "documents")
    workspace = Workspace(load_settings(root, root), as_of=dt.date(2026, 11, 22), cache=Cache(None))
    client = TestClient(application(workspace, token=TOKEN, port=PORT), base_url=BASE)
    client.cookies.set(COOKIE, TOKEN)
    return client, root


def test_the_forum_in_the_address_may_be_a_name_or_alias(editor: tuple[TestClient, Path]) -> None:
    client, _root = editor
    page = client.get(f"/ny/kallelse?forum={quote('att åldras')}").text
    chosen = re.findall(r'<option value="([^"]+)" selected>', page)
    assert chosen == ["att-aldras"]
    assert '<option value="att-aldras" selected>Samverkansgrupp att åldras</option>' in page


def test_a_kallelse_is_made_for_the_forum_a_name_names(editor: tuple[TestClient, Path]) -> None:
    client, root = editor
    fields = [("_csrf", csrf_of(client)), ("forum", "Samverkansgrupp Äldre"), ("date", "2026-12-07")]
    made = post(client, "/ny/kallelse", fields)
    assert made.status_code == 303 and made.headers["location"] == "/dokument/kallelse-att-aldras-2026-12-07"
    assert "forum: att-aldras\n" in (root / "documents/kallelse/att-aldras/2026-12-07.yaml").read_text("utf-8")
