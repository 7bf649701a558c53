"""Real Word and PDF protocols and styrdokument (tests/cases/import-real/, made by
tools/make_import_cases.py): at least 98 % of each file's facts found, none invented; and the
pieces that make it so, one by one. See the table with `python -m tests.importing.recall`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Organisation
from sb_cli.importing.body import to_markdown
from sb_cli.importing.meeting import looks_like_name, party_names, people_lines, read_person
from sb_cli.importing.points import decision_of
from sb_cli.importing.protocol import recognise_protocol
from sb_cli.importing.source import CELL, Block, Source
from sb_cli.io.starter import ORGANISATION
from tests.importing.conftest import seed_file
from tests.importing.recall import CASES, case_files, expected_of, measure, report

MIN_RECALL = 0.98


def test_the_cases_are_word_and_pdf_protocols_and_styrdokument() -> None:
    files = case_files()
    assert len(files) >= 8
    assert {p.suffix for p in files} == {".docx", ".pdf"}
    types = {expected_of(p)["type"] for p in files}
    assert "protokoll" in types and len(types) >= 3
    assert all(p.stat().st_size < 60_000 for p in CASES.iterdir())


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.name)
def test_each_file_gives_its_facts_and_invents_none(path: Path, organisation: Organisation) -> None:
    result = measure(path, organisation)
    print("\n" + report([result]))  # noqa: T201 (the table is this test's report; see it with -s)
    assert result.recall >= MIN_RECALL, report([result])
    assert not result.invented, report([result])


# --- people -------------------------------------------------------------------------------------


def names(lines: list[str], organisation: Organisation) -> list[str]:
    parties = party_names(organisation)
    return [read_person(text, parties)["name"] for text, _ in people_lines(lines, parties)]


def test_people_on_one_line_with_their_organisations_in_brackets(organisation: Organisation) -> None:
    line = "Emmy Petersson (Region Blekinge), Carina Ingemansson (Karlshamns kommun), André Jönsson (Ronneby kommun)"
    assert names([line], organisation) == ["Emmy Petersson", "Carina Ingemansson", "André Jönsson"]
    parties = party_names(organisation)
    assert read_person("Emmy Petersson (Region Blekinge)", parties) == {"name": "Emmy Petersson",
                                                                        "party": "region-blekinge"}  # fmt: skip


def test_people_apart_by_semicolons_and_a_list_broken_over_lines(organisation: Organisation) -> None:
    assert names(["Yvonne Strandh; Tomas Ringberg (Karlshamns kommun); Tobias Ekblad"], organisation) == [
        "Yvonne Strandh",
        "Tomas Ringberg",
        "Tobias Ekblad",
    ]
    broken = ["Emmy Petersson (Region Blekinge), André", "Jönsson (Sölvesborgs kommun)"]
    assert names(broken, organisation) == ["Emmy Petersson", "André Jönsson"]


def test_a_bracket_inside_an_entry_and_a_list_that_ends_without_one(organisation: Organisation) -> None:
    one = ["Belinda Stefansdotter, arbetsterapeut (Karlskrona rehabcenter), Region Blekinge"]
    assert names(one, organisation) == ["Belinda Stefansdotter"]
    ended = ["Anna Sjö (Karlskrona kommun), Martin Åsman", "Bodil Sundlöf"]
    assert names(ended, organisation) == ["Anna Sjö", "Martin Åsman", "Bodil Sundlöf"]


def test_a_tables_header_row_is_no_person(organisation: Organisation) -> None:
    rows = [CELL.join(("Namn", "Titel", "Organisation")), CELL.join(("Anna Sjö", "enhetschef", "Karlskrona kommun"))]
    assert names(rows, organisation) == ["Anna Sjö"]


def test_without_a_roster_no_organisation_becomes_a_person() -> None:
    bare = organisation_from(yaml.safe_load(ORGANISATION))  # what sb init writes: no parties of the seeds
    lines = [
        "Birgitta Friberg, hälso- och sjukvårdschef Specialiserad vård, Region Blekinge Annika",
        "Mellqvist, hälso- och sjukvårdschef Nära vård, Region Blekinge",
        "Carina Fransson, tf hälso- och sjukvårdschef Medicinska serviceverksamheter, Region",
        "Blekinge",
        "Tomas Ringberg, förvaltningschef utbildningsförvaltningen, Karlshamns",
        "Kommun",
    ]
    assert names(lines, bare) == ["Birgitta Friberg", "Annika Mellqvist", "Carina Fransson", "Tomas Ringberg"]


def test_seed_003_in_a_new_repository_invents_nobody() -> None:
    bare = organisation_from(yaml.safe_load(ORGANISATION))
    path = seed_file("003")
    source = Source(path.name, "txt", tuple(Block(line) for line in path.read_text("utf-8").splitlines()))
    attendance = recognise_protocol(source, bare).data["attendance"]
    people = [p["name"] if isinstance(p, dict) else p for group in attendance.values() for p in group]
    assert len(people) == 17 + 4 + 10  # present; absent and others, all under "others" without a roster
    assert "Annika Mellqvist" in people
    assert all(looks_like_name(name) for name in people), people


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Sjö", True),
        ("Torill Skaar-Magnusson", True),
        ("Judith Moss Månsson", True),
        ("Blekinge", False),
        ("Kommun", False),
        ("Karlskrona kommun", False),
        ("Region Blekinge", False),
        ("Namn", False),
        ("enhetschef", False),
    ],
)
def test_what_looks_like_a_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


def test_an_adjuster_with_an_organisation_is_one_adjuster(organisation: Organisation) -> None:
    text = "LSVO\nSammanträdesprotokoll\n2023-08-25\nJusterare: Anna Sjö, Karlskrona kommun\n"
    text += "Underskrifter\nAnna Sjö, Karlskrona kommun\nJusterare\n§ 1 Dagordning\nLSVO beslutar\natt godkänna den"
    source = Source("t.txt", "txt", tuple(Block(line) for line in text.splitlines()))
    assert recognise_protocol(source, organisation).data["adjusters"] == ["Anna Sjö"]


def test_a_person_written_twice_is_one_person(organisation: Organisation) -> None:
    text = "LSVO\nSammanträdesprotokoll\n2023-08-25\nNärvarande:\nAnna Sjö, Karlskrona kommun\nAnna Sjö\n"
    text += "Martin Åsman\n§ 1 Dagordning\nLSVO beslutar\natt godkänna den"
    source = Source("t.txt", "txt", tuple(Block(line) for line in text.splitlines()))
    present = recognise_protocol(source, organisation).data["attendance"]["present"]
    assert [p["name"] if isinstance(p, dict) else p for p in present] == ["Anna Sjö", "Martin Åsman"]


# --- decisions and tables -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "uppdra åt Marie Sjöberg att senast 2024-09-30 återrapportera kartläggningen.",
            {"text": "uppdra åt Marie Sjöberg att senast 2024-09-30 återrapportera kartläggningen.",
             "responsible": "Marie Sjöberg", "due": "2024-09-30"},
        ),
        (
            "ta fram en introduktion, ansvarig: Anna Sjö, klart senast 2024-12-31.",
            {"text": "ta fram en introduktion.", "responsible": "Anna Sjö", "due": "2024-12-31"},
        ),
        ("ta fram en rutin, klart senast 30 november 2023", {"text": "ta fram en rutin", "due": "2023-11-30"}),
        ("att ge MAR i uppdrag att ta fram en rutin", "ge MAR i uppdrag att ta fram en rutin"),
        ("godkänna dagordningen", "godkänna dagordningen"),
    ],
)  # fmt: skip
def test_a_decision_gives_who_is_responsible_and_by_when(clause: str, expected: Any) -> None:
    assert decision_of(clause, None) == expected


def test_a_table_in_an_items_text_stays_a_table() -> None:
    lines = ["Arbetet fördelas så här.", CELL.join(("Område", "Ansvarig")), CELL.join(("SIP", "Kommunerna | Region"))]
    assert to_markdown(lines, 80, frozenset()) == (
        "Arbetet fördelas så här.\n\n| Område | Ansvarig |\n|---|---|\n| SIP | Kommunerna \\| Region |\n"
    )
