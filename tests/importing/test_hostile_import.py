"""Any text at all, shaped like the documents sb import reads or not, gives a draft or a Swedish
refusal, never a crash; and the draft is YAML that reads back as the data it was made from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.errors import SbError
from sb_cli.importing import IMPORTABLE_TYPES, recognise
from sb_cli.importing.draft import draft_text
from sb_cli.importing.source import Block, Source
from tests.hardening.test_fuzz import FUZZ
from tests.importing.conftest import load_organisation

ORGANISATION = load_organisation()
# Pieces of the documents' own wording, so that the recognisers go deep, not only past the first line.
PIECES = [
    "LSVO",
    "Sammanträdesprotokoll",
    "Kallelse",
    "Dagordning",
    "Ärendeförteckning",
    "§61",
    "§ 62",
    "1).",
    "a/",
    "Tid och plats:",
    "kl. 08.15 - 12.00",
    "16 juni 2023",
    "2023-06-16",
    "Närvarande ledamöter:",
    "Frånvarande:",
    "Övriga deltagare och föredragande:",
    "Sekreterare:",
    "Justerare:",
    "Föredragande:",
    "LSVO beslutar",
    "Samverkansgruppen beslutar",
    "att",
    "(PPT)",
    "(B)",
    "(I/D)",
    "Utgick",
    "flyttas till",
    "LSVO 25 augusti",
    "Protokollet ska skickas till:",
    "Region Blekinge",
    "Karlskrona kommun",
    "Ordförande",
    "1.6 Giltighetstid",
    "gäller från och med",
    "till 2026-12-31",
    "Senast 12 månader innan",
    "förlängs den med två år i taget",
    "godkändes av LSVO 2021-03-05",
    "Version 1.0",
    "Sida 7",
    "5(12)",
    "•",
    "-",
    "|",
    ":",
    ",",
    "\t",
    "ü",
    "\u200b",
    "Bodil Sundlöf,",
    "19121212-1212",
]
LINES = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=6).map(" ".join)


@pytest.mark.slow
@FUZZ
@given(lines=st.lists(LINES, max_size=40), kind=st.sampled_from([None, *IMPORTABLE_TYPES]))
def test_any_text_gives_a_draft_that_reads_back_or_a_refusal(lines: list[str], kind: str | None) -> None:
    source = Source("fuzz.txt", "txt", tuple(Block(line) for line in lines))
    try:
        draft = recognise(source, ORGANISATION, doc_type=kind)
    except SbError:
        return
    text = draft_text(draft, header="test")
    front = text.split("\n---\n")[0].removeprefix("---\n") if draft.body is not None else text
    assert _plain(yaml.safe_load(front) or {}) == _plain(draft.data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".docx", ".pdf", ".txt"]))
def test_any_bytes_are_read_or_refused_in_swedish(data: bytes, suffix: str, tmp_path_factory: Any) -> None:
    from sb_cli.importing import read

    path = tmp_path_factory.mktemp("fil") / f"dokument{suffix}"
    path.write_bytes(data)
    try:
        source = read(path)
    except SbError as error:
        assert "dokument" in error.message  # the refusal names the file
        return
    assert suffix == ".txt" or source.blocks
