"""The schemas as validators: compiled once for the same files, and anew when a file changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sb_cli.io.schemas import validators
from tests.conftest import REPO


def test_a_changed_schema_file_gives_new_validators_in_the_same_process(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", folder)
    organisation = {"parties": [], "forums": [], "extra": 1}
    first = validators(folder)
    assert validators(folder)["organisation"] is first["organisation"]  # the same files: compiled once
    assert not first["organisation"].is_valid(organisation)  # no key 'extra' in the registry
    path = folder / "organisation.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    schema["additionalProperties"] = True
    path.write_text(json.dumps(schema), "utf-8")
    assert validators(folder)["organisation"].is_valid(organisation)
