"""Writes the import cases of tests/cases/import-real/: each document as a Word file (python-docx), a
PDF (typst) and, where LibreOffice is installed, the Word file exported to PDF as Word users make
them (<name>.word.pdf); written the way the seeds are (plain paragraphs, tables, lists, "§ 63" and "1)"
numbering), beside the facts expected from it (<name>.yaml).

    python tools/make_import_cases.py          # rewrites the .docx, .pdf, .word.pdf and .yaml files

Each case says in its `source` which seed its people, forums and text come from and what is
fictional. The typst PDF files are made again byte for byte; a Word file differs in its archive's
time stamps, and LibreOffice's PDF in its creation date."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FIXED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # the files' own dates: made again, a file differs in its zip stamps
CASES = Path(__file__).resolve().parents[1] / "tests" / "cases" / "import-real"

# A document: ("p", text) a plain paragraph, ("b", text) a bold paragraph, ("h", level, text) a
# styled heading, ("ul", [items]) a bulleted list, ("table", rows, widths) a table whose first row is
# its header (widths in cm for the PDF; None lets the table fill the line).
Element = tuple[Any, ...]


@dataclass
class Case:
    name: str
    source: str  # where the people, forums and text come from, and what is fictional
    elements: list[Element]
    expected: dict[str, Any]
    pdf_only: dict[str, Any] = field(default_factory=dict)  # nothing yet: both formats expect the same


# --- the cases ----------------------------------------------------------------------------------

ALDRAS = Case(
    "aldras-2024-05-20",
    "Fiktivt möte i seed 002:s stil (samverkansgruppens protokoll). Forumets namn och personerna Mats Wennstig, "
    "Sandra Johansson, Christina Wieslander, Marie Sjöberg, Emmy Petersson, Carina Ingemansson och André Jönsson "
    "är från seed 002; Anna Sjö, titlar, organisationer, datum och beslut är fiktiva (fallet ur ärende 27).",
    [
        ("b", "Samverkansgrupp att åldras"),
        ("p", "Protokoll"),
        ("p", "Datum: 2024-05-20"),
        ("p", "Tid: 13.00–16.00"),
        ("p", "Plats: via Teams"),
        ("p", "Närvarande:"),
        (
            "table",
            [
                ["Namn", "Titel", "Organisation"],
                ["Sandra Johansson", "enhetschef", "Karlskrona kommun"],
                ["Mats Wennstig", "Enheten för kvalitet och utveckling", "Region Blekinge"],
                ["Christina Wieslander", "projektledare Mission äldre", "Region Blekinge"],
                ["Marie Sjöberg", "utvecklingsledare", "Ronneby kommun"],
                ["Anna Sjö", "enhetschef", "Karlskrona kommun"],
            ],
            [2.2, 6.0, 4.0],
        ),
        (
            "p",
            "Frånvarande: Emmy Petersson (Region Blekinge), Carina Ingemansson (Karlshamns kommun), "
            "André Jönsson (Sölvesborgs kommun)",
        ),
        ("p", "Ordförande: Sandra Johansson"),
        ("p", "Sekreterare: Mats Wennstig"),
        ("p", "Justerare: Anna Sjö, Karlskrona kommun"),
        ("p", "1). Godkännande av dagordningen (B)"),
        ("p", "Föredragande: Sandra Johansson"),
        ("p", "Samverkansgruppen beslutar"),
        ("p", "att godkänna för sammanträdet upprättad dagordning."),
        ("p", "2). Föregående sammanträdesprotokoll (B)"),
        ("p", "Föredragande: Mats Wennstig"),
        ("p", "Protokoll från mötet 2024-04-15 presenterades."),
        ("p", "Samverkansgruppen beslutar"),
        ("p", "att godkänna för 2024-04-15 upprättat sammanträdesprotokoll."),
        ("p", "3). UPH (I/D)"),
        ("p", "– Satsning inom äldreområdet"),
        ("p", "Föredragande: Christina Wieslander"),
        ("p", "Christina berättar om läget i satsningen inom äldreområdet."),
        ("ul", ["En pilotkommun väljs under hösten.", "Delprojektledare tillsätts när platsen är vald."]),
        ("p", "4). Handlingsplan för psykisk hälsa hos äldre (B)"),
        ("p", "Föredragande: Marie Sjöberg"),
        ("p", "Marie presenterar ett utkast till handlingsplan. Arbetet fördelas enligt tabellen."),
        (
            "table",
            [
                ["Aktivitet", "Ansvarig", "Klart senast"],
                ["Kartläggning av pilotkommun", "Marie Sjöberg", "2024-09-30"],
                ["Dialogmöte med kommunerna", "Christina Wieslander", "2024-10-31"],
            ],
            None,
        ),
        ("p", "Samverkansgruppen beslutar"),
        ("p", "att godkänna utkastet till handlingsplan."),
        ("p", "att uppdra åt Marie Sjöberg att senast 2024-09-30 återrapportera kartläggningen till "
              "samverkansgruppen."),
        ("p", "5). Kompetensförsörjning (B)"),
        ("p", "Föredragande: Anna Sjö"),
        ("p", "Behovet av en gemensam introduktion för nyanställda diskuteras."),
        ("p", "Samverkansgruppen beslutar"),
        ("p", "att ta fram en gemensam introduktion för nyanställda, ansvarig: Anna Sjö, klart senast 2024-12-31."),
        ("p", "6). Övriga frågor (I)"),
        ("p", "Inga övriga frågor anmäldes."),
        ("p", "Protokollet ska skickas till: Ledamöter, Diariet"),
    ],
    {
        "type": "protokoll",
        "forum": "att-aldras",
        "meeting": {"date": "2024-05-20", "start": "13:00", "end": "16:00", "place": "via Teams"},
        "numbering": "list",
        "attendance": {
            "present": ["Sandra Johansson", "Mats Wennstig", "Christina Wieslander", "Marie Sjöberg", "Anna Sjö"],
            "absent": ["Emmy Petersson", "Carina Ingemansson", "André Jönsson"],
        },
        "chair": "Sandra Johansson",
        "secretary": "Mats Wennstig",
        "adjusters": ["Anna Sjö"],
        "items": [
            {"number": 1, "title": "Godkännande av dagordningen", "kind": "B", "presenters": ["Sandra Johansson"],
             "decisions": ["godkänna för sammanträdet upprättad dagordning."]},
            {"number": 2, "title": "Föregående sammanträdesprotokoll", "kind": "B", "presenters": ["Mats Wennstig"],
             "decisions": ["godkänna för 2024-04-15 upprättat sammanträdesprotokoll."]},
            {"number": 3, "title": "UPH – Satsning inom äldreområdet", "kind": "I/D",
             "presenters": ["Christina Wieslander"]},
            {"number": 4, "title": "Handlingsplan för psykisk hälsa hos äldre", "kind": "B",
             "presenters": ["Marie Sjöberg"],
             "tables": [["Aktivitet", "Ansvarig", "Klart senast"],
                        ["Kartläggning av pilotkommun", "Marie Sjöberg", "2024-09-30"],
                        ["Dialogmöte med kommunerna", "Christina Wieslander", "2024-10-31"]],
             "decisions": [
                 "godkänna utkastet till handlingsplan.",
                 {"text": "uppdra åt Marie Sjöberg att senast 2024-09-30 återrapportera kartläggningen till "
                          "samverkansgruppen.", "responsible": "Marie Sjöberg", "due": "2024-09-30"}]},
            {"number": 5, "title": "Kompetensförsörjning", "kind": "B", "presenters": ["Anna Sjö"],
             "decisions": [{"text": "ta fram en gemensam introduktion för nyanställda.", "responsible": "Anna Sjö",
                            "due": "2024-12-31"}]},
            {"number": 6, "title": "Övriga frågor", "kind": "I"},
        ],
        "distribution": ["Ledamöter", "Diariet"],
    },
)  # fmt: skip

LSVO = Case(
    "lsvo-2023-08-25",
    "Fiktivt möte i seed 003:s stil (LSVO:s sammanträdesprotokoll, § 61–72 den 2023-06-16). LSVO, mötesdagen "
    "25 augusti (dit § 61 flyttar två punkter), personerna med titlar och organisationer och rubrikerna "
    "Syrgas i hemmet och Samsjuklighetsutredningen är från seed 003; paragrafnumren, beslut och texter är fiktiva.",
    [
        ("p", "LSVO"),
        ("p", "Sammanträdesprotokoll"),
        ("p", "2023-08-25"),
        ("p", "Tid och plats: Fredagen den 25 augusti 2023 kl. 08.15 - 12.00, via Teams"),
        ("p", "Närvarande ledamöter:"),
        ("p", "Bodil Sundlöf, Enheten för kvalitet och utveckling, Region Blekinge (ordförande)"),
        ("p", "Martin Åsman, förvaltningschef Barn- och utbildningsförvaltningen, Sölvesborgs kommun"),
        ("p", "Robert Schelin, förvaltningschef Socialförvaltningen, Olofströms kommun"),
        ("p", "Maria Appelskog, förvaltningschef Vård- och omsorgsförvaltningen, Ronneby kommun"),
        ("p", "Gunilla Råberg, förvaltningschef Äldreförvaltningen, Karlskrona kommun"),
        ("p", "Frånvarande: Yvonne Strandh (Karlskrona kommun); Tomas Ringberg (Karlshamns kommun); "
              "Tobias Ekblad (Ronneby kommun)"),
        ("p", "Övriga deltagare och föredragande:"),
        ("p", "Judith Moss Månsson, MAR §74"),
        ("p", "Jonas Kullberg, utredare, Region Blekinge §75"),
        ("p", "Sekreterare: Mats Wennstig, Enheten för kvalitet och utveckling, Region Blekinge"),
        ("p", "Justerare: Maria Appelskog"),
        ("p", "Justeringsdatum: 2023-08-30"),
        ("p", "§ 73 Godkännande av dagordning"),
        ("p", "LSVO beslutar"),
        ("p", "att godkänna för sammanträdet upprättad dagordning"),
        ("p", "§ 74 Syrgas i hemmet"),
        ("p", "Föredragande: Judith Moss Månsson"),
        ("p", "Frågan anmäldes till LSVO 2023-06-16 och flyttades till detta möte. Rutinerna för syrgas i hemmet "
              "skiljer sig mellan kommunerna och regionen."),
        ("p", "LSVO beslutar"),
        ("p", "att att ge MAR i uppdrag att ta fram en gemensam rutin för syrgas i hemmet"),
        ("p", "att uppdra åt Judith Moss Månsson att senast 2023-11-30 redovisa rutinen för LSVO"),
        ("p", "Protokollet ska skickas till"),
        ("p", "Föredragande"),
        ("p", "Förvaltningschefer äldreomsorg"),
        ("p", "§ 75 Samsjuklighetsutredningen"),
        ("p", "Föredragande: Jonas Kullberg"),
        ("p", "Samverkansgrupperna har lämnat sina reflektioner. Ansvaret delas enligt tabellen."),
        (
            "table",
            [
                ["Område", "Kommunerna i Blekinge", "Region Blekinge"],
                ["Samordnad individuell plan", "kallar till SIP", "deltar i SIP"],
                ["Uppföljning", "rapporterar till LSVO", "sammanställer rapporten"],
            ],
            None,
        ),
        ("p", "LSVO beslutar"),
        ("p", "att ge ordförande och sekreterare i uppdrag att föreslå nästa steg, ansvarig: Bodil Sundlöf, "
              "klart senast 2023-10-20"),
        ("p", "§ 76 Övriga frågor"),
        ("p", "Utvärdering av mötet genomfördes."),
        ("p", "Protokollet ska skickas till"),
        ("p", "Diariet"),
        ("p", "Ledamöter"),
    ],
    {
        "type": "protokoll",
        "forum": "LSVO",
        "meeting": {"date": "2023-08-25", "start": "08:15", "end": "12:00", "place": "via Teams"},
        "numbering": "paragraph",
        "attendance": {
            "present": ["Bodil Sundlöf", "Martin Åsman", "Robert Schelin", "Maria Appelskog", "Gunilla Råberg"],
            "absent": ["Yvonne Strandh", "Tomas Ringberg", "Tobias Ekblad"],
            "others": [{"name": "Judith Moss Månsson", "items": [74]}, {"name": "Jonas Kullberg", "items": [75]}],
        },
        "chair": "Bodil Sundlöf",
        "secretary": "Mats Wennstig",
        "adjusters": ["Maria Appelskog"],
        "items": [
            {"number": 73, "title": "Godkännande av dagordning", "kind": "B",
             "decisions": ["godkänna för sammanträdet upprättad dagordning"]},
            {"number": 74, "title": "Syrgas i hemmet", "kind": "B", "presenters": ["Judith Moss Månsson"],
             "decisions": [
                 "ge MAR i uppdrag att ta fram en gemensam rutin för syrgas i hemmet",
                 {"text": "uppdra åt Judith Moss Månsson att senast 2023-11-30 redovisa rutinen för LSVO",
                  "responsible": "Judith Moss Månsson", "due": "2023-11-30"}],
             "send_to": ["Föredragande", "Förvaltningschefer äldreomsorg"]},
            {"number": 75, "title": "Samsjuklighetsutredningen", "kind": "B", "presenters": ["Jonas Kullberg"],
             "tables": [["Område", "Kommunerna i Blekinge", "Region Blekinge"],
                        ["Samordnad individuell plan", "kallar till SIP", "deltar i SIP"],
                        ["Uppföljning", "rapporterar till LSVO", "sammanställer rapporten"]],
             "decisions": [{"text": "ge ordförande och sekreterare i uppdrag att föreslå nästa steg",
                            "responsible": "Bodil Sundlöf", "due": "2023-10-20"}]},
            {"number": 76, "title": "Övriga frågor", "kind": ""},
        ],
        "distribution": ["Diariet", "Ledamöter"],
    },
)  # fmt: skip

LSVO_OKTOBER = Case(
    "lsvo-2023-10-20",
    "Fiktivt möte i seed 003:s stil med ärendeförteckning, underskrifter och underpunkter a/ b/. LSVO, "
    "personerna med titlar och organisationer och rubrikerna Återkoppling, Samordnare Prator/LINK 20% och "
    "Avvikelsehanteringssystem är från seed 003; datum, paragrafnummer, texter och beslut är fiktiva.",
    [
        ("p", "LSVO"),
        ("p", "Sammanträdesprotokoll"),
        ("p", "2023-10-20"),
        ("p", "Ärendeförteckning"),
        ("p", "§90 Godkännande av dagordning"),
        ("p", "§91 Kompetensförsörjning - Processledare VO-college"),
        ("p", "§92 Återkoppling"),
        ("p", "a/ Samordnare Prator/LINK 20%"),
        ("p", "b/ Avvikelsehanteringssystem"),
        ("p", "Tid och plats: Fredagen den 20 oktober 2023 kl. 08.15 - 11.30, via Teams"),
        ("p", "Närvarande ledamöter:"),
        ("p", "Ordförande"),
        ("p", "Bodil Sundlöf, Enheten för kvalitet och utveckling, Region Blekinge"),
        ("p", "Annelie Kjellström, förvaltningschef Vård- och omsorgsförvaltningen, Sölvesborgs kommun"),
        ("p", "Torill Skaar Magnusson, förvaltningschef Förvaltningen för omsorg och arbetsmarknad, "
              "Karlshamns kommun"),
        ("p", "Cecilia Grefve-Lang, förvaltningschef Socialförvaltningen, Karlskrona kommun"),
        ("p", "Carina Fransson, tf hälso- och sjukvårdschef Medicinska serviceverksamheter, Region Blekinge"),
        ("p", "Frånvarande: Birgitta Friberg (Region Blekinge); Patrik Håkansson (Olofströms kommun)"),
        ("p", "Övriga deltagare och föredragande:"),
        ("p", "Karin Norgren, hälso- och sjukvårdsstrateg, Region Blekinge §92"),
        ("p", "Sekreterare: Mats Wennstig, Enheten för kvalitet och utveckling, Region Blekinge"),
        ("p", "Paragrafer: §90 - §92"),
        ("p", "Underskrifter:"),
        ("p", "……………………………………………"),
        ("p", "Bodil Sundlöf, Enheten för kvalitet och utveckling, Region Blekinge"),
        ("p", "Ordförande"),
        ("p", "……………………………………………"),
        ("p", "Cecilia Grefve-Lang, Karlskrona kommun"),
        ("p", "Justerare"),
        ("p", "§ 90"),
        ("p", "Godkännande av dagordning"),
        ("p", "LSVO beslutar"),
        ("p", "att godkänna för sammanträdet upprättad dagordning"),
        ("p", "§ 91"),
        ("p", "Kompetensförsörjning - Processledare VO-college"),
        ("p", "Föredragande: Cecilia Grefve-Lang"),
        ("p", "Ett förslag till uppdrag för processledare presenteras."),
        ("p", "LSVO beslutar"),
        ("p", "att uppdra åt Cecilia Grefve-Lang att senast 15 december 2023 ta fram en uppdragsbeskrivning"),
        ("p", "§ 92"),
        ("p", "Återkoppling"),
        ("p", "a/ Samordnare Prator/LINK 20%"),
        ("p", "Tjänsten är tillsatt från och med november."),
        ("p", "b/ Avvikelsehanteringssystem"),
        ("p", "Föredragande: Karin Norgren"),
        ("p", "Ärendet flyttas till LSVO 8 december."),
        ("p", "Protokollet ska skickas till"),
        ("p", "Diariet"),
        ("p", "Ledamöter"),
    ],
    {
        "type": "protokoll",
        "forum": "LSVO",
        "meeting": {"date": "2023-10-20", "start": "08:15", "end": "11:30", "place": "via Teams"},
        "numbering": "paragraph",
        "attendance": {
            "present": ["Bodil Sundlöf", "Annelie Kjellström", "Torill Skaar Magnusson", "Cecilia Grefve-Lang",
                        "Carina Fransson"],
            "absent": ["Birgitta Friberg", "Patrik Håkansson"],
            "others": [{"name": "Karin Norgren", "items": [92]}],
        },
        "chair": "Bodil Sundlöf",
        "secretary": "Mats Wennstig",
        "adjusters": ["Cecilia Grefve-Lang"],
        "items": [
            {"number": 90, "title": "Godkännande av dagordning", "kind": "B",
             "decisions": ["godkänna för sammanträdet upprättad dagordning"]},
            {"number": 91, "title": "Kompetensförsörjning - Processledare VO-college", "kind": "B",
             "presenters": ["Cecilia Grefve-Lang"],
             "decisions": [{"text": "uppdra åt Cecilia Grefve-Lang att senast 15 december 2023 ta fram en "
                                    "uppdragsbeskrivning", "responsible": "Cecilia Grefve-Lang", "due": "2023-12-15"}]},
            {"number": 92, "title": "Återkoppling", "kind": "",
             "subitems": [{"letter": "a", "title": "Samordnare Prator/LINK 20%"},
                          {"letter": "b", "title": "Avvikelsehanteringssystem", "presenters": ["Karin Norgren"],
                           "deferred_to": "2023-12-08"}]},
        ],
        "distribution": ["Diariet", "Ledamöter"],
    },
)  # fmt: skip

OVERENSKOMMELSE = Case(
    "overenskommelse-ansvar",
    "Utdrag ur seed 001 (överenskommelsen om målgrupper 2023): titeln ur avsnitt 1.1, giltighetsmeningen ur "
    "avsnitt 1.3, rubrikerna och ansvarstabellens två första rader ur avsnitt 4.2.3, ordagrant; inget är fiktivt "
    "utom urvalet.",
    [
        ("h", 0, "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge"),
        ("h", 1, "1 Inledning"),
        ("p", "Överenskommelsen gäller från och med 2023-06-01 till 2026-12-31. Senast 12 månader innan "
              "avtalstidens utgång ska parterna meddela om de vill säga upp överenskommelsen."),
        ("h", 1, "4 Ansvarsområden"),
        ("h", 2, "4.2.3 Ansvarsfördelning"),
        ("p", "Tabellen nedan beskriver översiktligt ansvarsfördelningen mellan kommunerna och regionen inom de "
              "olika områdena."),
        (
            "table",
            [
                ["Ansvarsområde", "Kommunerna i Blekinge", "Region Blekinge"],
                ["Hälsofrämjande och förebyggande arbete",
                 "• föräldraskapsstöd, universellt och riktat föräldraskapsstödsprogram\n• drogförebyggande arbete",
                 "• föräldraskapsstöd, universellt och riktat föräldraskapsstödsprogram"],
                ["Första linjen", "• elevhälsans uppdrag enligt skollagen", "• första linjens vård för barn och unga"],
            ],
            [4.0, 6.0, 6.0],
        ),
    ],
    {
        "type": "overenskommelse",
        "title": "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge",
        "valid_from": "2023-06-01",
        "valid_until": "2026-12-31",
        "headings": ["1 Inledning", "4 Ansvarsområden", "4.2.3 Ansvarsfördelning"],
        "tables": [
            ["Ansvarsområde", "Kommunerna i Blekinge", "Region Blekinge"],
            ["Hälsofrämjande och förebyggande arbete",
             "• föräldraskapsstöd, universellt och riktat föräldraskapsstödsprogram • drogförebyggande arbete",
             "• föräldraskapsstöd, universellt och riktat föräldraskapsstödsprogram"],
            ["Första linjen", "• elevhälsans uppdrag enligt skollagen", "• första linjens vård för barn och unga"],
        ],
    },
)  # fmt: skip

LEDNINGSSYSTEM = Case(
    "ledningssystem-ledamoter",
    "Utdrag ur seed 000 (ledningssystemet, LSVO 2021-03-05): rubrikerna, ledamotstabellen och styckena under "
    "Ledamöter, Ordförande och Sekreterare i avsnittet om LSVO, ordagrant; inget är fiktivt utom urvalet.",
    [
        ("h", 0, "Samverkan Blekinge – ledningssystem"),
        ("h", 1, "Ledningssamverkan vård och omsorg"),
        ("h", 2, "Ledamöter"),
        (
            "p",
            "LSVO består av förvaltningschefer inom kommunerna för områdena äldre, funktionshinder, individ- och "
            "familjeomsorg och skola. Region Blekinge representeras av hälso- och sjukvårdsdirektör, hälso- och "
            "sjukvårdschefer samt strateg för hälsovalet. Deltar gör även ordförandena i samverkansgrupperna.",
        ),
        (
            "table",
            [
                ["Funktion", "Organisation", "Antal"],
                ["Förvaltningschefer", "Karlshamns kommun", "3"],
                ["Förvaltningschefer", "Karlskrona kommun", "4"],
                ["Förvaltningschefer", "Ronneby kommun", "3"],
                ["Förvaltningschefer", "Sölvesborg kommun", "3"],
                ["Förvaltningschefer", "Olofström kommun", "2"],
                ["Hälso- och sjukvårdsdirektör", "Region Blekinge", "1"],
                ["Hälso- och sjukvårdschef Nära vård", "Region Blekinge", "1"],
                ["Hälso- och sjukvårdschef Specialiserad vård", "Region Blekinge", "1"],
                ["Hälso- och sjukvårdschef Medicinsk service", "Region Blekinge", "1"],
                ["Strateg Hälsovalet", "Region Blekinge", "1"],
                ["Ordförande i samverkansgrupperna", "Region Blekinge", "3"],
            ],
            [5.5, 4.5, 1.5],
        ),
        ("p", "Vid behov kan ytterligare kompetenser adjungeras efter beslut av gruppen."),
        ("h", 2, "Ordförande"),
        (
            "p",
            "Hälso- och sjukvårdens enhet för kvalitet och utveckling tillhandahåller ordförande. Uppdraget som "
            "ordförande bedöms till ca 25% av en heltidstidstjänst.",
        ),
        ("h", 2, "Sekreterare"),
        (
            "p",
            "Hälso- och sjukvårdens enhet för kvalitet och utveckling tillhandahåller sekreterare. Uppdraget som "
            "sekreterare bedöms till ca 25% av en heltidstidstjänst.",
        ),
    ],
    {
        "type": "ledningssystem",
        "title": "Samverkan Blekinge – ledningssystem",
        "headings": ["Ledningssamverkan vård och omsorg", "Ledamöter", "Ordförande", "Sekreterare"],
        "tables": [
            ["Funktion", "Organisation", "Antal"],
            ["Förvaltningschefer", "Karlshamns kommun", "3"],
            ["Förvaltningschefer", "Karlskrona kommun", "4"],
            ["Förvaltningschefer", "Ronneby kommun", "3"],
            ["Förvaltningschefer", "Sölvesborg kommun", "3"],
            ["Förvaltningschefer", "Olofström kommun", "2"],
            ["Hälso- och sjukvårdsdirektör", "Region Blekinge", "1"],
            ["Hälso- och sjukvårdschef Nära vård", "Region Blekinge", "1"],
            ["Hälso- och sjukvårdschef Specialiserad vård", "Region Blekinge", "1"],
            ["Hälso- och sjukvårdschef Medicinsk service", "Region Blekinge", "1"],
            ["Strateg Hälsovalet", "Region Blekinge", "1"],
            ["Ordförande i samverkansgrupperna", "Region Blekinge", "3"],
        ],
    },
)

CASES_ALL = (ALDRAS, LSVO, LSVO_OKTOBER, OVERENSKOMMELSE, LEDNINGSSYSTEM)


# --- Word ---------------------------------------------------------------------------------------


def write_docx(case: Case, path: Path) -> None:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.core_properties.author = "sb"
    document.core_properties.created = document.core_properties.modified = FIXED
    for element in case.elements:
        kind = element[0]
        if kind in ("p", "b"):
            paragraph = document.add_paragraph()
            paragraph.add_run(element[1]).bold = kind == "b"
        elif kind == "h":
            document.add_heading(element[2], level=element[1])
        elif kind == "ul":
            for item in element[1]:
                document.add_paragraph(item, style="List Bullet")
        else:
            rows, widths = element[1], element[2]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows, strict=True):
                for n, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
                    lines = text.split("\n")
                    cell.text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
                    if widths:
                        cell.width = Cm(widths[n])
    document.save(str(path))


# --- PDF ----------------------------------------------------------------------------------------


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _cell(text: str) -> str:
    return "[" + " \\ ".join(f"#{_string(line)}" for line in text.split("\n")) + "]"


def typst_source(case: Case) -> str:
    out = [
        "#set document(date: none)",
        '#set page(paper: "a4", margin: 2.2cm)',
        '#set text(lang: "sv", size: 11pt)',
        "",
    ]
    for element in case.elements:
        kind = element[0]
        if kind == "p":
            out.append(f"#{_string(element[1])}")
        elif kind == "b":
            out.append(f"#strong({_string(element[1])})")
        elif kind == "h" and element[1] == 0:  # the title, set larger than any heading
            out.append(f'#text(size: 20pt, weight: "bold", {_string(element[2])})')
        elif kind == "h":
            out.append(f"#heading(level: {element[1]}, {_string(element[2])})")
        elif kind == "ul":
            out.append("#list(" + ", ".join(_string(item) for item in element[1]) + ")")
        else:
            rows, widths = element[1], element[2]
            columns = "(" + ", ".join(f"{w}cm" for w in widths) + ")" if widths else str(len(rows[0]))
            cells = ", ".join(_cell(text) for row in rows for text in row)
            out.append(f"#table(columns: {columns}, {cells})")
        out.append("")
    return "\n".join(out)


def write_pdf(case: Case, path: Path) -> None:
    import typst

    source = path.with_suffix(".typ")
    source.write_text(typst_source(case), encoding="utf-8")
    try:
        typst.compile(str(source), output=str(path))
    finally:
        source.unlink()


def write_expected(case: Case, path: Path) -> None:
    head = "".join(f"# {line}\n" for line in _wrapped(f"Källa: {case.source}"))
    body = yaml.safe_dump(case.expected, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(head + body, encoding="utf-8")


def _wrapped(text: str, width: int = 108) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def write_word_pdfs(names: list[str]) -> bool:
    """The Word files as LibreOffice exports them to PDF (<name>.word.pdf): tables without inner
    space, cells as Word wraps them. Skipped, with a message, where LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice saknas: <namn>.word.pdf görs inte om", file=sys.stderr)  # noqa: T201
        return False
    with tempfile.TemporaryDirectory() as folder:
        words = [str(CASES / f"{name}.docx") for name in names]
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, *words],
                       check=True, capture_output=True, timeout=600)  # fmt: skip
        for name in names:
            shutil.move(Path(folder) / f"{name}.pdf", CASES / f"{name}.word.pdf")
    return True


def main() -> int:
    CASES.mkdir(parents=True, exist_ok=True)
    for case in CASES_ALL:
        write_docx(case, CASES / f"{case.name}.docx")
        write_pdf(case, CASES / f"{case.name}.pdf")
        write_expected(case, CASES / f"{case.name}.yaml")
    write_word_pdfs([case.name for case in CASES_ALL])
    return 0


if __name__ == "__main__":
    sys.exit(main())
