"""The document types of SPEC §3.2: one entry each, and everything sb knows of a type by its name.

Loading, validation, rendering, `sb new`, `sb import`, `sb list` and publishing ask this table,
so a new type is one entry here, its schema in schemas/ and, when it needs its own look, a mall
in templates/. The order of the table is the order users see the types in (SPEC §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sb_cli.core.records import Arshjul, Kallelse, Paper, Protocol, Record, Styrdokument


class Published(StrEnum):
    """When a document of the type is on the public site (SPEC §8); never as a draft."""

    ADJUSTED = "justerat"  # a protocol once justerat, in its public version
    SENT = "skickad"  # a kallelse from its `sent` date
    DECIDED = "beslutad"  # status beslutad, or upphavd (marked as repealed)
    NEVER = "aldrig"


@dataclass(frozen=True, slots=True)
class DocType:
    name: str  # the `type:` value
    label: str  # as a rendered document names its type ("Sammanträdesprotokoll")
    plural: str
    alias: str  # the English name (SPEC §7)
    record: type[Record]
    header: bool  # the styrdokument header of SPEC §3.3 applies
    folder: str  # under documents/, where `sb new` and `sb import` put a new file
    mall: str  # templates/<mall>/ renders it
    published: Published
    importable: bool  # `sb import` can read one from Word, PDF or text
    agreement: bool = False  # binds parties for a term: parties, valid_until, notice (SPEC §3.3)
    for_meeting: bool = False  # a paper for one meeting: shown with its forum, time and place
    describes_forums: bool = False  # its text gives each forum's mandate, which the forum's page quotes
    # The words an imported document calls itself by: (stem, endings as a regex alternation), so
    # "överenskommelsen" and "samverkansöverenskommelse" are both an överenskommelse.
    words: tuple[tuple[str, str], ...] = ()

    @property
    def schema(self) -> str:
        """The schema file in schemas/ that a document of the type is validated against."""
        return f"{self.name}.schema.json"

    @property
    def of_meeting(self) -> bool:
        """A meeting's own document, with items: filed per forum and named by the meeting's date."""
        return issubclass(self.record, Protocol | Kallelse)


def _styrdokument(
    name: str,
    label: str,
    plural: str,
    alias: str,
    *,
    mall: str = "styrdokument",
    importable: bool = True,
    agreement: bool = False,
    describes_forums: bool = False,
    record: type[Styrdokument] = Styrdokument,
    words: tuple[tuple[str, str], ...] = (),
) -> DocType:
    return DocType(
        name, label, plural, alias, record, header=True, folder="styrdokument", mall=mall,
        published=Published.DECIDED, importable=importable, agreement=agreement, describes_forums=describes_forums,
        words=words,
    )  # fmt: skip


def _paper(
    name: str,
    label: str,
    plural: str,
    alias: str,
    folder: str,
    words: tuple[tuple[str, str], ...],
    *,
    mall: str = "styrdokument",
) -> DocType:
    return DocType(
        name, label, plural, alias, Paper, header=False, folder=folder, mall=mall,
        published=Published.NEVER, importable=True, for_meeting=mall == "foredragning", words=words,
    )  # fmt: skip


PROTOKOLL = DocType(
    "protokoll", "Sammanträdesprotokoll", "Sammanträdesprotokoll", "protocol", Protocol, header=False,
    folder="protokoll", mall="protokoll", published=Published.ADJUSTED, importable=True,
)  # fmt: skip
KALLELSE = DocType(
    "kallelse", "Kallelse och dagordning", "Kallelser och dagordningar", "agenda", Kallelse, header=False,
    folder="kallelse", mall="kallelse", published=Published.SENT, importable=True,
)  # fmt: skip

_TABLE = (
    _styrdokument(
        "ledningssystem", "Ledningssystem", "Ledningssystem", "management-system", describes_forums=True,
        words=(("ledningssystem", "et"),),
    ),
    _styrdokument(
        "overenskommelse", "Överenskommelse", "Överenskommelser", "agreement", agreement=True,
        words=(("överenskommelse", "n|r|rna"),),
    ),
    _styrdokument("avtal", "Avtal", "Avtal", "contract", agreement=True, words=(("avtal", "et|en|s?"),)),
    _styrdokument("riktlinje", "Riktlinje", "Riktlinjer", "guideline", words=(("riktlinje", "n|r|rna"),)),
    _styrdokument("rutin", "Rutin", "Rutiner", "routine", words=(("rutin", "en|er|erna"),)),
    _styrdokument(
        "processbeskrivning", "Processbeskrivning", "Processbeskrivningar", "process",
        words=(("processbeskrivning", "en|ar"),),
    ),
    _styrdokument(
        "uppdragsbeskrivning", "Uppdragsbeskrivning", "Uppdragsbeskrivningar", "commission",
        mall="uppdragsbeskrivning", words=(("uppdragsbeskrivning", "en|ar"),),
    ),
    _styrdokument(
        "verksamhetsplan", "Verksamhetsplan", "Verksamhetsplaner", "operational-plan",
        words=(("verksamhetsplan", "en|er"),),
    ),
    _styrdokument(
        "handlingsplan", "Handlingsplan", "Handlingsplaner", "action-plan", words=(("handlingsplan", "en|er"),)
    ),
    _styrdokument(
        "projektplan", "Projektplan", "Projektplaner", "project-plan", mall="projektplan",
        words=(("projektplan", "en|er"),),
    ),
    # An årshjul is a list of dated events, not a text: it is written by hand, never imported (its
    # word still tells the importer what a file is not).
    _styrdokument(
        "arshjul", "Årshjul", "Årshjul", "annual-cycle", mall="arshjul", importable=False, record=Arshjul,
        words=(("årshjul", "et"),),
    ),
    KALLELSE,
    PROTOKOLL,
    _paper(
        "foredragning", "Föredragning", "Föredragningar", "decision-paper", "foredragningar",
        (("föredragning", "en|ar|s-?pm|spromemoria"),), mall="foredragning",
    ),
    _paper(
        "tjansteskrivelse", "Tjänsteskrivelse", "Tjänsteskrivelser", "memo", "tjansteskrivelser",
        (("tjänsteskrivelse", "n|r"),),
    ),
    _paper(
        "arsrapport", "Årsrapport", "Årsrapporter", "annual-report", "arsrapporter",
        (("årsrapport", "en|er"), ("verksamhetsberättelse", "n|r")),
    ),
)  # fmt: skip

# The table by name. Tests register a type of their own here for the length of a test.
TYPES: dict[str, DocType] = {entry.name: entry for entry in _TABLE}


def find(name: object) -> DocType | None:
    """The entry of a `type:` value as written in a document; None when sb does not know it."""
    return TYPES.get(name) if isinstance(name, str) else None


def names() -> tuple[str, ...]:
    return tuple(TYPES)


def aliases() -> dict[str, str]:
    """English name → type (SPEC §7)."""
    return {entry.alias: entry.name for entry in TYPES.values()}


def canonical_type(name: str) -> str | None:
    """The type of SPEC §3.2 for a Swedish or English type name; None when unknown."""
    name = name.strip().lower()
    for entry in TYPES.values():
        if name in (entry.name, entry.alias):
            return entry.name
    return None


def label(name: str) -> str:
    """The type as a rendered document names it; the name itself for a type sb does not know."""
    entry = TYPES.get(name)
    return entry.label if entry else name


def mall(name: str) -> str:
    """The mall (templates/<mall>/) that renders the type; the styrdokument mall for one sb does not know."""
    entry = TYPES.get(name)
    return entry.mall if entry else "styrdokument"


def mallar() -> tuple[str, ...]:
    """Every mall the table names, each once, in the table's order."""
    return tuple(dict.fromkeys(entry.mall for entry in TYPES.values()))


def is_agreement(name: str) -> bool:
    entry = TYPES.get(name)
    return entry is not None and entry.agreement


def describes_forums(name: str) -> bool:
    entry = TYPES.get(name)
    return entry is not None and entry.describes_forums


def where(
    *, header: bool | None = None, importable: bool | None = None, record: type[Record] | None = None
) -> tuple[str, ...]:
    """The types, in the table's order, with the given facts."""
    return tuple(
        entry.name
        for entry in TYPES.values()
        if (header is None or entry.header == header)
        and (importable is None or entry.importable == importable)
        and (record is None or issubclass(entry.record, record))
    )
