"""`--forum` takes the forum's id, any of its names and any alias, whatever the case and spacing
(SPEC 3.4): `sb new kallelse --forum "att åldras"` is the kallelse of att-aldras."""

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, sb


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    return tmp_path


def new_kallelse(repo: Path, forum: str):
    return sb("new", "kallelse", "--forum", forum, "--date", "2026-12-07", "--as-of", "2026-11-22", cwd=repo)


@pytest.mark.parametrize("forum", ["att åldras", "Samverkansgrupp  att åldras", "SAMVERKANSGRUPP ÄLDRE", "att-aldras"])
def test_new_kallelse_takes_any_name_or_alias_of_the_forum(repo: Path, forum: str) -> None:
    result = new_kallelse(repo, forum)
    assert result.returncode == 0, result.stderr
    path = repo / result.stdout.strip()
    assert path == repo / "documents" / "kallelse" / "att-aldras" / "2026-12-07.yaml"
    text = path.read_text("utf-8")
    assert yaml.safe_load(text)["forum"] == "att-aldras"
    assert "Kallelse och dagordning för Samverkansgrupp att åldras 2026-12-07." in text


def test_an_unknown_forum_lists_the_forums_with_their_names(repo: Path) -> None:
    result = new_kallelse(repo, "Samverkansgrupp Pension")
    assert result.returncode == 2
    assert "okänt forum 'Samverkansgrupp Pension'" in result.stderr
    assert "att-aldras (Samverkansgrupp att åldras)" in result.stderr


def test_a_name_two_forums_share_is_refused_and_the_ids_named(repo: Path) -> None:
    registry = repo / "documents" / "organisation.yaml"
    text = registry.read_text("utf-8")
    text = text.replace("aliases: [Att åldras,", "aliases: [Samverkansgruppen, Att åldras,")
    text = text.replace("aliases: [Att växa upp,", "aliases: [Samverkansgruppen, Att växa upp,")
    registry.write_text(text, "utf-8")
    result = new_kallelse(repo, "samverkansgruppen")
    assert result.returncode == 2
    assert "'samverkansgruppen' kan vara flera forum: att-vaxa-upp, att-aldras" in result.stderr
