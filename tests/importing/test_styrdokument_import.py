"""Importing styrdokument: the seeds' texts against the hand-made corpus documents made from them
(header facts exactly, headings by recall and precision), sb's own Word file read back, and the
Markdown body as sb's renderer reads it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from sb_cli.core.model import ID_PATTERN
from sb_cli.core.records import Organisation
from sb_cli.errors import SbError
from sb_cli.importing.readers import read_source
from sb_cli.importing.source import Block, Draft, Source
from sb_cli.importing.styrdokument import recognise_styrdokument, slug
from sb_cli.importing.styrdokument_body import follows, join_lines
from sb_cli.importing.styrdokument_facts import iso_date, party_ids
from sb_cli.render.markdown import Heading, ListBlock, Table, parse, plain
from sb_cli.render.view import CORRECTIONS_HEADING
from tests.conftest import REPO, sb
from tests.importing.conftest import seed_file

OVERENSKOMMELSE = REPO / "documents" / "styrdokument" / "overenskommelse-malgrupper-2023.md"
LEDNINGSSYSTEM = REPO / "documents" / "styrdokument" / "ledningssystem-2021.md"
TJANSTESKRIVELSE = REPO / "documents" / "tjansteskrivelser" / "samverkan-for-utveckling.md"


def seed(prefix: str) -> Source:
    return read_source(seed_file(prefix))


def corpus(path: Path) -> tuple[dict[str, Any], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data, body


def text_source(text: str) -> Source:
    return Source("test.txt", "txt", tuple(Block(line) for line in text.splitlines()))


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every heading, as sb's renderer reads the Markdown, without a footnote mark
    at its end: the corpus prints "3.4.1 Barn som far illa 1)" as the source does, the importer leaves
    the mark out."""
    return [
        (b.level, FOOTNOTE_MARK.sub("", " ".join(plain(b.inlines).split())).casefold())
        for b in parse(markdown)
        if isinstance(b, Heading)
    ]


FOOTNOTE_MARK = re.compile(r" \d\)$")


def compare_headings(name: str, expected: str, got: str) -> tuple[float, float, float]:
    """Recall and precision of the heading texts, and the share of those found at the right level."""
    wanted, found = {t: lv for lv, t in headings(expected)}, {t: lv for lv, t in headings(got)}
    both = wanted.keys() & found.keys()
    recall, precision = len(both) / len(wanted), len(both) / len(found)
    same_level = sum(1 for text in both if wanted[text] == found[text]) / len(both)
    print(  # noqa: T201 (the scores are the report of this test; see them with -s)
        f"\n{name}: rubriker recall {recall:.2f}, precision {precision:.2f}, rätt nivå {same_level:.2f}"
        f" ({len(wanted)} väntade, {len(found)} funna)"
    )
    return recall, precision, same_level


# --- the seeds against the corpus ---------------------------------------------------------------


def test_seed_001_gives_the_corpus_terms_parties_and_validity(organisation: Organisation) -> None:
    draft = recognise_styrdokument(seed("001"), organisation)
    expected, _ = corpus(OVERENSKOMMELSE)
    assert draft.type == expected["type"] == "overenskommelse"
    assert draft.data["term"] == expected["term"] == {"notice_months": 12, "renewal_months": 24}
    assert draft.data["parties"] == expected["parties"]
    assert draft.data["valid_from"] == iso(expected["valid_from"]) == "2023-06-01"
    assert draft.data["valid_until"] == iso(expected["valid_until"]) == "2026-12-31"
    assert draft.data["status"] == "utkast"
    assert "1.3" in draft.notes[("parties",)] and "kommunerna i Blekinge" in draft.notes[("parties",)]
    assert draft.notes[("valid_from",)].startswith("Avsnitt 1.6")
    # The source has no title page, no owner, no version and no decision: said, not guessed.
    assert {"dokumentnamn", "dokumentägare", "version", "beslut"} <= set(draft.missing)
    assert not {"title", "owner", "version", "decided", "id"} & draft.data.keys()
    assert draft.summary[2:] == ["giltig 2023-06-01–2026-12-31", "uppsägning 12 månader", "förlängning 24 månader"]


def test_seed_000_states_no_decision_or_version_and_the_draft_says_so(organisation: Organisation) -> None:
    draft = recognise_styrdokument(seed("000"), organisation)
    assert draft.type == "ledningssystem"
    assert "gissad" in draft.notes[("type",)]  # the text never calls itself a ledningssystem
    assert "decided" not in draft.data and "version" not in draft.data
    assert {"beslut", "version"} <= set(draft.missing)
    assert "saknas i källan" in draft.notes[("decided",)] and "Karlskrona 2021-03-05" in draft.notes[("decided",)]
    assert "parties" not in draft.data  # a ledningssystem binds no parties


def test_seed_004_is_a_tjansteskrivelse_with_its_own_header(organisation: Organisation) -> None:
    draft = recognise_styrdokument(seed("004"), organisation)
    expected, _ = corpus(TJANSTESKRIVELSE)
    assert draft.type == expected["type"]
    assert draft.data["title"] == expected["title"]
    assert draft.data["id"] == "samverkan-for-utveckling-av-halso-och-sjukvard-samt-omsorg-i-blekinge"
    assert "status" not in draft.data and "version" not in draft.data
    assert {"datum", "författare"} <= set(draft.missing)
    assert draft.body is not None and draft.body.startswith(f"# {expected['title']}\n\n## Bakgrund\n")


@pytest.mark.parametrize(
    ("prefix", "path", "recall", "precision"),
    [("001", OVERENSKOMMELSE, 0.95, 0.85), ("000", LEDNINGSSYSTEM, 0.88, 0.95), ("004", TJANSTESKRIVELSE, 0.9, 0.7)],
    ids=["seed 001", "seed 000", "seed 004"],
)
def test_seed_headings_match_the_corpus_document(
    organisation: Organisation, prefix: str, path: Path, recall: float, precision: float
) -> None:
    draft = recognise_styrdokument(seed(prefix), organisation)
    assert draft.body is not None
    got_recall, got_precision, same_level = compare_headings(f"seed {prefix}", corpus(path)[1], draft.body)
    assert got_recall >= recall and got_precision >= precision
    assert same_level >= 0.9


def test_numbered_headings_take_their_level_from_the_numbering(organisation: Organisation) -> None:
    draft = recognise_styrdokument(seed("001"), organisation)
    assert draft.body is not None
    found = dict((text, level) for level, text in headings(draft.body))
    assert found["1 allmänt om överenskommelsen"] == 1
    assert found["1.6 giltighetstid"] == 2
    assert found["4.2.3 ansvarsfördelning"] == 3
    assert found["4.2 barn och unga med behov av samtidiga insatser från region och kommun"] == 2  # two lines
    assert "3.4.1 barn som far illa" in found  # without its footnote mark "1)"


# --- sb's own Word file, read back --------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    result = sb("render", OVERENSKOMMELSE, "--to", "docx", "--out", out)
    assert result.returncode == 0, result.stderr
    return out / "overenskommelse-malgrupper-2023.docx"


@pytest.mark.slow
def test_sbs_own_word_file_gives_back_its_header_and_headings(organisation: Organisation, rendered: Path) -> None:
    draft = recognise_styrdokument(read_source(rendered), organisation)
    expected, body = corpus(OVERENSKOMMELSE)
    for key in ("type", "title", "owner", "version", "parties", "valid_from", "valid_until", "review_by", "term"):
        assert draft.data[key] == iso(expected[key]), key
    assert draft.data["status"] == "utkast"
    assert draft.missing == ["beslut"]  # sb's header names the deciding forum but not the day
    assert draft.body is not None
    # sb prints the corrections of the transcription under a heading of their own, after the text
    shown = f"{body}\n# {CORRECTIONS_HEADING}\n" if expected.get("corrections") else body
    recall, precision, same_level = compare_headings("sb:s Word-fil", shown, draft.body)
    assert (recall, precision, same_level) == (1.0, 1.0, 1.0)


# --- facts stated in the text -------------------------------------------------------------------

RIKTLINJE = """Riktlinje för samordnad individuell plan

Version 1.0
Dokumentägare: LSVO
Diarienummer: RB 2021/123

1 Inledning
Riktlinjen godkändes av LSVO 2021-03-05 och gäller från och med 1 april 2021.

2 Ansvar
Text.
"""


def test_decision_version_owner_and_start_are_read_from_the_text(organisation: Organisation) -> None:
    draft = recognise_styrdokument(text_source(RIKTLINJE), organisation)
    assert draft.type == "riktlinje" and ("type",) not in draft.notes  # from the title: no guess
    assert draft.data["title"] == "Riktlinje för samordnad individuell plan"
    assert draft.data["id"] == "riktlinje-for-samordnad-individuell-plan"
    assert draft.data["decided"] == {"by": "LSVO", "date": "2021-03-05"}
    assert draft.data["version"] == "1.0" and draft.data["owner"] == "LSVO"
    assert draft.data["valid_from"] == "2021-04-01" and draft.data["diarienummer"] == "RB 2021/123"
    assert "valid_until" not in draft.data and "parties" not in draft.data
    assert list(draft.data)[:6] == ["id", "type", "title", "owner", "status", "version"]
    assert draft.missing == []
    assert "giltig från 2021-04-01" in draft.summary


def test_a_decision_by_someone_not_in_the_registry_is_not_taken(organisation: Organisation) -> None:
    text = RIKTLINJE.replace("godkändes av LSVO", "godkändes av Kommunstyrelsen i Vimmerby")
    draft = recognise_styrdokument(text_source(text), organisation)
    assert "decided" not in draft.data and "beslut" in draft.missing


def test_an_owner_not_in_the_registry_is_missing(organisation: Organisation) -> None:
    draft = recognise_styrdokument(text_source(RIKTLINJE.replace("LSVO\n", "Okänd nämnd\n")), organisation)
    assert "owner" not in draft.data and "dokumentägare" in draft.missing


def test_the_type_given_wins_and_an_unknown_one_is_refused(organisation: Organisation) -> None:
    assert recognise_styrdokument(text_source(RIKTLINJE), organisation, "rutin").type == "rutin"
    with pytest.raises(SbError, match="inget styrdokument"):
        recognise_styrdokument(text_source(RIKTLINJE), organisation, "protokoll")
    with pytest.raises(SbError, match="dokumenttypen framgår inte") as caught:
        recognise_styrdokument(text_source("Om samverkan\n\nText om samverkan."), organisation)
    assert caught.value.hint and "--type" in caught.value.hint


def test_parties_by_name_and_as_all_kommuner(organisation: Organisation) -> None:
    everyone = ["region-blekinge", "karlskrona", "ronneby", "karlshamn", "solvesborg", "olofstrom"]
    assert party_ids("huvudmännen för kommunerna i Blekinge och Region Blekinge", organisation) == everyone
    assert party_ids("mellan Karlshamns kommun och Ronneby", organisation) == ["ronneby", "karlshamn"]
    assert party_ids("mellan Landstinget Blekinge och länets fem kommuner", organisation)[0] == "karlskrona"


def test_dates_ids_numbering_and_broken_words() -> None:
    assert iso_date("den 1 april 2021") == "2021-04-01" and iso_date("2021-02-30") is None
    ident = slug("Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge om barn och unga")
    assert re.fullmatch(ID_PATTERN, ident) and len(ident) <= 80 and not ident.endswith("-")
    assert ident.startswith("overenskommelse-om-samarbete") and ident.endswith("-om")
    assert follows((3, 1, 1), (3,)) and follows((2, 2), (2, 1, 5)) and follows((4,), (3, 1, 9))
    assert follows((2,), (3, 1, 5)) is None and follows((5,), (3,)) is None and follows((3,), None) is None
    assert join_lines("med substansberoen-", "de och", frozenset()) == "med substansberoende och"
    assert join_lines("hälso-", "samt sjukvård", frozenset()) == "hälso- samt sjukvård"
    assert join_lines("vård-", "och omsorg", frozenset()) == "vård- och omsorg"
    assert join_lines("SIP-", "samordnare", frozenset()) == "SIP-samordnare"


# --- the Markdown body --------------------------------------------------------------------------


def test_a_table_becomes_a_markdown_table(organisation: Organisation, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Rutin för hjälpmedel", style="Title")
    document.add_heading("1 Ansvar", 1)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate((("Ansvarsområde", "Kommunen"), ("Utredning", "utreder | bedömer"), ("Beslut", ""))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    table.cell(1, 1).add_paragraph("* följer upp")
    document.add_paragraph("Efter tabellen.")
    path = tmp_path / "rutin.docx"
    document.save(str(path))
    draft = recognise_styrdokument(read_source(path), organisation)
    assert draft.type == "rutin" and draft.body is not None
    assert "| Ansvarsområde | Kommunen |\n| --- | --- |\n" in draft.body
    blocks = parse(draft.body)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1 and [plain(c) for c in tables[0].header] == ["Ansvarsområde", "Kommunen"]
    assert [[plain(c) for c in row] for row in tables[0].rows] == [
        ["Utredning", "utreder | bedömer * följer upp"],
        ["Beslut", ""],
    ]
    assert draft.summary[:2] == ["1 rubriker", "1 tabeller"]


def test_lists_and_headings_survive_the_renderers_parser(organisation: Organisation) -> None:
    for prefix in ("000", "001", "004"):
        draft = recognise_styrdokument(seed(prefix), organisation)
        assert draft.body is not None
        blocks = parse(draft.body)
        written = [line for line in draft.body.splitlines() if re.match(r"^#{1,6} ", line)]
        assert len([b for b in blocks if isinstance(b, Heading)]) == len(written)
        assert any(isinstance(b, ListBlock) for b in blocks)
    listed = recognise_styrdokument(text_source(RIKTLINJE + "\n• första\n• andra\n1. ett\n2. två\n"), organisation)
    lists = [b for b in parse(listed.body or "") if isinstance(b, ListBlock)]
    assert [(b.ordered, len(b.items)) for b in lists] == [(False, 2), (True, 2)]


def test_text_that_looks_like_markdown_stays_text(organisation: Organisation) -> None:
    text = RIKTLINJE + "\n# inte en rubrik [länk](x) *stjärna* _under_ <b>\n"
    draft = recognise_styrdokument(text_source(text), organisation)
    paragraph = next(b for b in parse(draft.body or "") if "inte en rubrik" in plain(getattr(b, "inlines", ())))
    assert plain(paragraph.inlines) == "# inte en rubrik [länk](x) *stjärna* _under_ <b>"  # type: ignore[union-attr]


def test_every_missing_fact_has_its_note_and_every_key_is_in_the_schema(organisation: Organisation) -> None:
    schema = json.loads((REPO / "schemas" / "styrdokument.schema.json").read_text(encoding="utf-8"))
    paper = json.loads((REPO / "schemas" / "tjansteskrivelse.schema.json").read_text(encoding="utf-8"))
    for prefix in ("000", "001", "004"):
        draft: Draft = recognise_styrdokument(seed(prefix), organisation)
        allowed = (paper if draft.type == "tjansteskrivelse" else schema)["properties"]
        assert set(draft.data) <= set(allowed), prefix
        assert all(value not in (None, "", [], {}) for value in draft.data.values())
        missing_notes = [note for note in draft.notes.values() if "saknas i källan" in note]
        assert len(missing_notes) == len(draft.missing), prefix
