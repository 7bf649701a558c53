"""Importing kallelser. There is no kallelse among the seeds, so the texts here are written in the
style of the seeds (seed 003's "§73 …" and seed 002's "1). … (B)"), and the text sb itself renders
for a kallelse is read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from sb_cli.core.records import Organisation
from sb_cli.importing.kallelse import notice_dates, notice_lines, recognise_kallelse
from sb_cli.importing.source import Block, Source, is_page_furniture
from sb_cli.io.schemas import validators
from tests.conftest import invoke
from tests.importing.facts import KINDS, differences, facts

REPO = Path(__file__).resolve().parents[2]


def source_of(text: str) -> Source:
    return Source(
        "kallelse.txt", "txt", tuple(Block(line) for line in text.splitlines() if not is_page_furniture(line))
    )


def schema_errors(data: dict[str, Any]) -> list[str]:
    return [error.message for error in validators(REPO / "schemas")["kallelse"].iter_errors(data)]


def assert_same_facts(expected: dict[str, Any], got: dict[str, Any]) -> None:
    want, have = facts(expected), facts(got)
    for kind in KINDS:
        assert want[kind] == have[kind], differences(want, have, kind)


# In the style of seed 003: the agenda as a list of paragraphs, time and place under it.
PARAGRAPH_KALLELSE = """
LSVO 
Kallelse 
2023-08-25 

Dagordning 
 
§73 Godkännande av dagordning (B) 
§74 Föregående sammanträdesprotokoll (B) 
§75 Ansvarsfördelning gällande hjälpmedel i skola (B) (PPT) 
Föredragande: Judith Moss Månsson och Belinda Stefansdotter 
§76 Uppdrag psykisk hälsa - Ny struktur och arbetsmodell, SIP-utbildning, resurser för SIP-
samordnare (I/D) (PPT) 
Föredragande: Kristina Borén, Nikolas Maxon och Tommy Persson 
§77 Återkoppling (I) 
a/ Samordnare Prator/LINK 20% 
b/ Samordnare Nära vård 50% 
§78 Övriga frågor 
 
Tid och plats: Fredagen den 25 augusti 2023 kl. 08.15 - 12.00, via Teams 
 
Anmäl förhinder senast 2023-08-21 till sekreteraren. 
Skickad 2023-08-18 
Mats Wennstig, sekreterare 
 
Kallelsen skickas till 
Ledamöter 
Föredragande 
"""

UPH_TITLE = "Uppdrag psykisk hälsa - Ny struktur och arbetsmodell, SIP-utbildning, resurser för SIP-samordnare"
PARAGRAPH_EXPECTED: dict[str, Any] = {
    "meeting": {"date": dt.date(2023, 8, 25), "start": "08:15", "end": "12:00", "place": "via Teams"},
    "sent": dt.date(2023, 8, 18),
    "reply_by": dt.date(2023, 8, 21),
    "items": [
        {"number": 73, "title": "Godkännande av dagordning", "kind": "B"},
        {"number": 74, "title": "Föregående sammanträdesprotokoll", "kind": "B"},
        {
            "number": 75,
            "title": "Ansvarsfördelning gällande hjälpmedel i skola",
            "kind": "B",
            "presenters": ["Judith Moss Månsson", "Belinda Stefansdotter"],
            "attachments": ["PPT"],
        },
        {
            "number": 76,
            "title": "Uppdrag psykisk hälsa - Ny struktur och arbetsmodell, SIP-utbildning, "
            "resurser för SIP-samordnare",
            "kind": "I/D",
            "presenters": ["Kristina Borén", "Nikolas Maxon", "Tommy Persson"],
            "attachments": ["PPT"],
        },
        {
            "number": 77,
            "title": "Återkoppling",
            "kind": "I",
            "subitems": [
                {"letter": "a", "title": "Samordnare Prator/LINK 20%"},
                {"letter": "b", "title": "Samordnare Nära vård 50%"},
            ],
        },
        {"number": 78, "title": "Övriga frågor"},
    ],
    "distribution": ["Ledamöter", "Föredragande"],
}


def test_a_paragraph_numbered_kallelse(organisation: Organisation) -> None:
    draft = recognise_kallelse(source_of(PARAGRAPH_KALLELSE), organisation)
    data = draft.data
    assert_same_facts(PARAGRAPH_EXPECTED, data)
    assert list(data)[:7] == ["id", "type", "title", "forum", "meeting", "numbering", "sent"]
    assert (data["id"], data["title"], data["numbering"]) == (
        "kallelse-LSVO-2023-08-25",
        "Kallelse LSVO 2023-08-25",
        "paragraph",
    )
    assert "body" not in data["items"][-1]  # the lines under the agenda are not § 78's text
    assert draft.missing == [] and draft.summary == ["6 paragrafer"]
    assert schema_errors(data) == []


# In the style of seed 002: numbered points with their kind, the meeting on labelled lines.
LIST_KALLELSE = """
Samverkansgrupp Äldre 
Kallelse 
 
Datum: Tisdagen den 12 mars 2024 
Tid: 13-16 
Plats: Ronneby stadshus, sal Bräkne 
Kallade: Ledamöter i Samverkansgrupp att åldras 
 
Dagordning 
 
1). Godkännande av dagordningen (B) 
Föredragande: Mats Wennstig 
 
2). Föregående sammanträdesprotokoll (B) 
Föredragande: Sandra Johansson 
 
3). Protokoll LSVO:s ledningsgrupp (I) 
 
4). UPH (I/D) 
– Satsning inom äldreområdet 
Föredragande: Christina Wieslander 
 
5). Revidering LOS-överenskommelsen (B) 
-Utkast uppdragsbeskrivning 
Föredragande: Emmy Petersson, Marie Sjöberg & Mats Wennstig 
Förslag till beslut: 
att godkänna utkastet till uppdragsbeskrivning 
 
6). Uppföljning/återkoppling (I/D) 
a/ FoU (I) 
Föredragande: Venera Ujkani 
b/Folkhälsa (I) 
Föredragande: Carina Svärd 
 
7). Övrigt 
 
Utskick: 5 mars 2024 
Svar senast: 8 mars 
Kallelsen skickas till: Ledamöter, Föredragande 
"""

LIST_EXPECTED: dict[str, Any] = {
    "meeting": {"date": "2024-03-12", "start": "13:00", "end": "16:00", "place": "Ronneby stadshus, sal Bräkne"},
    "sent": "2024-03-05",
    "reply_by": "2024-03-08",
    "items": [
        {"number": 1, "title": "Godkännande av dagordningen", "kind": "B", "presenters": ["Mats Wennstig"]},
        {"number": 2, "title": "Föregående sammanträdesprotokoll", "kind": "B", "presenters": ["Sandra Johansson"]},
        {"number": 3, "title": "Protokoll LSVO:s ledningsgrupp", "kind": "I"},
        {
            "number": 4,
            "title": "UPH – Satsning inom äldreområdet",
            "kind": "I/D",
            "presenters": ["Christina Wieslander"],
        },
        {
            "number": 5,
            "title": "Revidering LOS-överenskommelsen - Utkast uppdragsbeskrivning",
            "kind": "B",
            "presenters": ["Emmy Petersson", "Marie Sjöberg", "Mats Wennstig"],
            "proposed_decisions": ["godkänna utkastet till uppdragsbeskrivning"],
        },
        {
            "number": 6,
            "title": "Uppföljning/återkoppling",
            "kind": "I/D",
            "subitems": [
                {"letter": "a", "title": "FoU", "kind": "I", "presenters": ["Venera Ujkani"]},
                {"letter": "b", "title": "Folkhälsa", "kind": "I", "presenters": ["Carina Svärd"]},
            ],
        },
        {"number": 7, "title": "Övrigt"},
    ],
    "distribution": ["Ledamöter", "Föredragande"],
}


def test_a_list_numbered_kallelse(organisation: Organisation) -> None:
    draft = recognise_kallelse(source_of(LIST_KALLELSE), organisation)
    data = draft.data
    assert_same_facts(LIST_EXPECTED, data)
    assert (data["forum"], data["numbering"], data["id"]) == ("att-aldras", "list", "kallelse-att-aldras-2024-03-12")
    assert "Samverkansgrupp Äldre" in draft.notes[("forum",)]
    assert "proposed_decisions" in data["items"][4] and "decisions" not in data["items"][4]
    assert draft.summary == ["7 punkter", "1 förslag till beslut"]
    assert schema_errors(data) == []


# What `sb render kallelse … --to pdf` writes, as a PDF text extraction gives it (typst breaks "Karls-krona").
SB_PDF_TEXT = """Ledningssamverkan vård och omsorg
Kallelse och dagordning
2023-08-25
Tid och plats: Fredagen den 25 augusti 2023 kl. 08.15–12.00, Region Blekinge, Karls-
krona
Skickad: 2023-08-18
Svar senast: 2023-08-22
Anmälan senast: 2023-08-11
Dagordning
§ 73 Godkännande av dagordning (B)
§ 74 Föregående sammanträdesprotokoll (B)
§ 75 Ansvarsfördelning gällande hjälpmedel i skola (B) (PPT)
Föredragande: Judith Moss Månsson och Belinda Stefansdotter
Förslag till samverkansöverenskommelse.
Förslag till beslut
att godkänna framtagen samverkansöverenskommelse
§ 76 Återkoppling (I)
a/ Samordnare Prator/LINK 20% (I)
Föredragande: Bodil Sundlöf
b/ Samordnare Nära vård 50%
§ 77 Övriga frågor (I/D)
kallelse-LSVO-2023-08-25 · ej incheckad · sb 0.2.0 1 (1)"""

RENDERED: dict[str, Any] = {
    "id": "kallelse-LSVO-2023-08-25",
    "type": "kallelse",
    "title": "Kallelse LSVO 2023-08-25",
    "forum": "LSVO",
    "meeting": {"date": "2023-08-25", "start": "08:15", "end": "12:00", "place": "Region Blekinge, Karlskrona"},
    "numbering": "paragraph",
    "sent": "2023-08-18",
    "reply_by": "2023-08-22",
    "register_by": "2023-08-11",
    "items": [
        {"number": 73, "title": "Godkännande av dagordning", "kind": "B"},
        {"number": 74, "title": "Föregående sammanträdesprotokoll", "kind": "B"},
        {
            "number": 75,
            "title": "Ansvarsfördelning gällande hjälpmedel i skola",
            "kind": "B",
            "presenters": ["Judith Moss Månsson", "Belinda Stefansdotter"],
            "attachments": ["PPT"],
            "body": "Förslag till samverkansöverenskommelse.\n",
            "proposed_decisions": ["godkänna framtagen samverkansöverenskommelse"],
        },
        {
            "number": 76,
            "title": "Återkoppling",
            "kind": "I",
            "subitems": [
                {"letter": "a", "title": "Samordnare Prator/LINK 20%", "kind": "I", "presenters": ["Bodil Sundlöf"]},
                {"letter": "b", "title": "Samordnare Nära vård 50%"},
            ],
        },
        {"number": 77, "title": "Övriga frågor", "kind": "I/D"},
    ],
}


def test_the_pdf_text_sb_renders_gives_back_the_kallelse(organisation: Organisation) -> None:
    draft = recognise_kallelse(source_of(SB_PDF_TEXT), organisation)
    assert draft.data == RENDERED
    assert draft.notes.keys() == {("forum",)}


def test_the_markdown_sb_renders_gives_back_the_kallelse(organisation: Organisation, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "organisation.yaml").write_text((REPO / "documents" / "organisation.yaml").read_text("utf-8"), "utf-8")
    (documents / "kallelse.yaml").write_text(yaml.safe_dump(RENDERED, allow_unicode=True, sort_keys=False), "utf-8")
    result = invoke(
        "render", "kallelse", documents / "kallelse.yaml", "--to", "md", "--out", tmp_path / "ut", "--root", tmp_path
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "ut" / "kallelse-LSVO-2023-08-25.md").read_text("utf-8")
    draft = recognise_kallelse(source_of(text), organisation)
    # sb's Markdown does not print when the kallelse was sent or is to be answered.
    expected = {k: v for k, v in RENDERED.items() if k not in ("sent", "reply_by", "register_by")}
    assert draft.data == expected


def test_notice_dates_without_a_year_take_the_meetings() -> None:
    texts, kept = notice_lines(
        ["Skickad den 18 augusti", "§73 Godkännande", "Svara senast: 21 aug.", "Skickad utan datum"]
    )
    assert kept == ["§73 Godkännande", "Skickad utan datum"]
    assert notice_dates(texts, "2023-08-25") == ({"sent": "2023-08-18", "reply_by": "2023-08-21"}, {})
    dates, notes = notice_dates(texts, None)
    assert dates == {} and notes  # no year and no meeting: left out, and said


def test_a_kallelse_without_a_forum_or_date_says_what_is_missing(organisation: Organisation) -> None:
    draft = recognise_kallelse(source_of("Kallelse\n\n1). Godkännande av dagordningen (B)\n2). Övrigt\n"), organisation)
    assert "id" not in draft.data and "forum" not in draft.data and "meeting" not in draft.data
    assert draft.missing == ["forum", "mötesdatum", "mötestid", "mötesplats", "utskicksdatum"]
    assert [i["title"] for i in draft.data["items"]] == ["Godkännande av dagordningen", "Övrigt"]
    given = recognise_kallelse(
        source_of("Kallelse\n\n1). Godkännande av dagordningen (B)\n"), organisation, "att-aldras"
    )
    assert given.data["forum"] == "att-aldras" and ("forum",) not in given.notes
