"""The importer knows a forum by its id, any of its names and any alias (SPEC 3.4): a protocol
headed "Samverkansgrupp att åldras", as seed 002 calls the group, is one of att-aldras."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Organisation
from sb_cli.importing.layout import chosen_forum, recognise_forum
from sb_cli.importing.protocol import recognise_protocol
from sb_cli.importing.source import Block, Source, is_page_furniture
from tests.conftest import REPO, sb
from tests.importing.conftest import seed_file

# Seed 002 has lost its first page; here it is given the heading a protocol of its kind has.
HEADED = "Samverkansgrupp att åldras\nSammanträdesprotokoll\n2024-03-18\n\n"


def source_of(text: str) -> Source:
    return Source("test.txt", "txt", tuple(Block(line) for line in text.splitlines() if not is_page_furniture(line)))


@pytest.mark.parametrize(
    "line",
    [
        "Samverkansgrupp att åldras",
        "SAMVERKANSGRUPP  ATT ÅLDRAS",
        "Samverkansgrupp Äldre",  # the name of 2021 (seed 000)
        "Att åldras",
        "Protokoll fört vid Samverkansgrupp att åldras möte",
    ],
)
def test_a_heading_line_with_any_name_names_the_forum(organisation: Organisation, line: str) -> None:
    found = recognise_forum([line, "Sammanträdesprotokoll"], organisation)
    assert found is not None and found == (organisation.forums["att-aldras"], line)


def test_the_longest_name_in_a_line_wins() -> None:
    registry = organisation_from(
        {"forums": [{"id": "alla", "name": "Samverkansgrupp"}, {"id": "aldras", "name": "Samverkansgrupp att åldras"}]}
    )
    found = recognise_forum(["Samverkansgrupp att åldras, sammanträde"], registry)
    assert found is not None and found[0].id == "aldras"


def test_a_given_forum_may_be_a_name_or_alias(organisation: Organisation) -> None:
    assert chosen_forum("att åldras", [], organisation) == (organisation.forums["att-aldras"], None)
    assert chosen_forum("okänt", [], organisation) == ("okänt", None)


def test_the_protocol_of_samverkansgrupp_att_aldras_is_recognised(organisation: Organisation) -> None:
    draft = recognise_protocol(source_of(HEADED + seed_file("002").read_text("utf-8")), organisation)
    assert draft.data["forum"] == "att-aldras"
    assert draft.data["id"] == "att-aldras-2024-03-18"
    assert draft.notes[("forum",)] == 'Forumet är känt igen ur rubriken "Samverkansgrupp att åldras".'
    assert "forum" not in draft.missing


def test_sb_import_recognises_the_forum_and_takes_any_name_for_forum(tmp_path: Path) -> None:
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    headed = tmp_path / "protokoll.txt"
    headed.write_text(HEADED + seed_file("002").read_text("utf-8"), "utf-8")
    recognised = sb("import", headed, "--dry-run", "--as-of", "2026-11-22", cwd=tmp_path)
    assert recognised.returncode == 0, recognised.stderr
    assert "forum: att-aldras\n" in recognised.stdout
    named = sb("import", seed_file("002"), "--forum", "att åldras", "--dry-run", "--as-of", "2026-11-22", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert "forum: att-aldras\n" in named.stdout
