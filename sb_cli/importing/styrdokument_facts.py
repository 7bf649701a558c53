"""The header facts a styrdokument states in its text or its header table: validity, notice and
renewal, parties, the decision, the owner and the version, each with the words it was read from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sb_cli.core.records import Organisation
from sb_cli.importing.source import Source
from sb_cli.importing.styrdokument_body import Part

_MONTHS = {m: n for n, m in enumerate(("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                       "september", "oktober", "november", "december"), start=1)}  # fmt: skip
DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+(?:" + "|".join(_MONTHS) + r")\s+\d{4})"
_NUMBERS = {"ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
            "tio": 10, "elva": 11, "tolv": 12, "arton": 18, "tjugofyra": 24, "trettiosex": 36}  # fmt: skip
COUNT = r"(\d{1,3}|" + "|".join(_NUMBERS) + r")"

_SUBJECT = r"(?:överenskommelsen|avtalet|riktlinjen|rutinen|dokumentet|ledningssystemet|\w*planen|denna|detta|den|det)"
VALIDITY = re.compile(
    rf"\b{_SUBJECT}\b[^.]{{0,80}}?\s(?:gäller|är giltig|är giltigt|löper)\s+"
    rf"(?:(?:från och med|fr\.\s?o\.\s?m\.?|från)\s+(?P<start>{DATE}))?\s*"
    rf"(?:(?:till och med|t\.\s?o\.\s?m\.?|till|–|-)\s+(?P<end>{DATE}))?",
    re.IGNORECASE,
)
_NOTICE_BEFORE = rf"\bsenast\s+{COUNT}\s+(?:månader|år)\s+(?:innan|före)\b"
NOTICE = [
    # "säga upp" later in the same sentence; the words between stop at the next "senast N månader
    # före", which is then read on its own, so that each word is read once (not once per opener).
    re.compile(
        rf"\bsenast\s+{COUNT}\s+(månader|år)\s+(?:innan|före)\b(?:(?!{_NOTICE_BEFORE})[^.])*\bsäga\w*\s+upp",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{COUNT}\s+(månaders|års)\s+uppsägningstid", re.IGNORECASE),
    re.compile(rf"\buppsägningstid(?:en)?\s+(?:är|om|på)\s+{COUNT}\s+(månader|år)", re.IGNORECASE),
]
RENEWAL = re.compile(
    rf"\bförläng(?:s|es)\s+(?:\w+\s+){{0,3}}?med\s+{COUNT}\s+(år|månader)(?:\s+i\s+taget)?", re.IGNORECASE
)
DECIDED = [
    re.compile(
        # Who begins and ends with a letter, and the spaces around it are read once: spaces that
        # both it and the spaces beside it could take would be tried in every split.
        rf"\b(?:godkän(?:des|d|t)|beslut(?:ades|ad|at)|fastställ(?:des|d|t)|anto(?:gs)|antag(?:en|et))\s++(?:av|i)\s++"
        rf"(?P<by>[^,.;:\s][^,.;:]{{0,78}}?[^,.;:\s])\s++(?:den\s+)?(?P<date>{DATE})",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:godkänd|beslutad|fastställd|antagen|antaget)\s+(?:den\s+)?(?P<date>{DATE})\s+(?:av|i)\s+"
        rf"(?P<by>[^,.;:]{{2,80}})",
        re.IGNORECASE,
    ),
]
VERSION = re.compile(r"\b(?:version|vers\.?|ver\.)\s*+:?\s*+(\d+(?:\.\d+){0,2})\b", re.IGNORECASE)
OWNER = re.compile(r"\bdokumentägare\s*(?:är|:)\s*(?P<who>[^.;\n]{2,80})", re.IGNORECASE)
COLLECTIVE_KOMMUNER = re.compile(
    r"\b(?:kommunerna i (?:Blekinge|länet)|länets (?:fem )?kommuner|Blekinges (?:fem )?kommuner|"
    r"samtliga kommuner i (?:Blekinge|länet)|de fem kommunerna)\b",
    re.IGNORECASE,
)
# The words up to "är" stop at the next "parter", which is then read on its own: the sentence is the same.
PARTIES = re.compile(r"\bparter(?:na)?\b(?:(?!\bparter(?:na)?\b)[^.])*?\b(?:är|utgörs av)\b|\bmellan\b", re.IGNORECASE)

HEADER_ZONE = 40  # lines at the top, and at the end, where a document states its own facts


@dataclass(frozen=True, slots=True)
class Found:
    """A fact and the source text it was read from, for the note beside it."""

    value: Any
    said: str
    section: str | None = None

    def note(self, prefix: str = "") -> str:
        where = f"Avsnitt {self.section}: " if self.section else "Källan: "
        return f'{prefix}{where}"{_clip(self.said)}"'


@dataclass
class Reading:
    """What the recogniser knows about the source as it reads it."""

    source: Source
    parts: list[Part]
    lines: list[tuple[str, str | None]]  # every line of text with the section number it stands in
    labels: dict[str, Found] = field(default_factory=dict)
    title: Found | None = None
    kind_hint: str | None = None


def actor(text: str, organisation: Organisation) -> str | None:
    """The forum or party a text names: its id, its name or one of its other names."""
    plain = " ".join(text.split()).strip(" .,:;")
    for forum in organisation.forums.values():
        names = [forum.name, *(n.name for n in forum.names), *forum.aliases]
        if re.search(rf"\b{re.escape(forum.id)}\b", plain) or any(_names(name, plain) for name in names):
            return forum.id
    for party in organisation.parties.values():
        if _names(party.name, plain):
            return party.id
    return None


def _names(name: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) is not None


def owner_of(reading: Reading, organisation: Organisation) -> Found | None:
    found = reading.labels.get("owner")
    if found is None:
        found = first_found(reading, OWNER, lambda m: m["who"])
    if found is None:
        return None
    ident = actor(found.value, organisation)
    if ident is None:
        return None
    return Found(ident, found.said, found.section)


def version_of(reading: Reading) -> Found | None:
    found = reading.labels.get("version")
    if found is not None:
        match = re.search(r"\d+(?:\.\d+){0,2}", found.value)
        return Found(match[0], found.said) if match else None
    return first_found(reading, VERSION, lambda m: m[1], zone=True)


def decided_of(reading: Reading, organisation: Organisation) -> Found | None:
    return _labelled_decision(reading, organisation) or _stated_decision(reading, organisation)


def _labelled_decision(reading: Reading, organisation: Organisation) -> Found | None:
    """Who decided and when, from the header's labels ("Beslutad av", "Beslutsdatum")."""
    by, day = reading.labels.get("decided_by"), reading.labels.get("decided_date")
    if by is None:
        return None
    ident = actor(by.value, organisation)
    date = iso_date(day.value if day else by.value)
    if ident and date:
        return Found({"by": ident, "date": date}, by.said + (f"; {day.said}" if day else ""))
    return None


def _stated_decision(reading: Reading, organisation: Organisation) -> Found | None:
    """Who decided and when, from a sentence near the top ("Fastställd av LSVO 2023-06-16")."""
    for pattern in DECIDED:
        for text, section in zone_lines(reading):
            for match in pattern.finditer(text):
                ident, date = actor(match["by"], organisation), iso_date(match["date"])
                if ident and date:
                    return Found({"by": ident, "date": date}, sentence(text, match.start()), section)
    return None


def signature_of(reading: Reading) -> str | None:
    """A place and date on a line of their own, as above a signature: "Karlskrona 2021-03-05"."""
    pattern = re.compile(rf"^[A-ZÅÄÖ][a-zåäö]+,?\s+(?:den\s+)?{DATE}$")
    return next((text for text, _ in reading.lines if pattern.match(text)), None)


def validity_of(reading: Reading) -> tuple[Found | None, Found | None]:
    start, end = _labelled_validity(reading)
    for text, section in reading.lines:
        for match in VALIDITY.finditer(text):
            said = sentence(text, match.start())
            if start is None and match["start"]:
                start = Found(iso_date(match["start"]), said, section)
            if end is None and match["end"]:
                end = Found(iso_date(match["end"]), said, section)
    return start, end


def _labelled_validity(reading: Reading) -> tuple[Found | None, Found | None]:
    """The first and last day from the labels "Giltig från"/"Giltig till", else from "Giltighetstid"."""
    start, end = dated_label(reading, "valid_from"), dated_label(reading, "valid_until")
    if (found := reading.labels.get("validity")) and (dates := re.findall(DATE, found.value)):
        start = start or Found(iso_date(dates[0]), found.said)
        end = end or (Found(iso_date(dates[1]), found.said) if len(dates) > 1 else None)
    return start, end


def term_of(reading: Reading) -> Found | None:
    """Notice and automatic renewal in months: "senast 12 månader innan …", "förlängs … med två år"."""
    texts = [(reading.labels["term"].value, None)] if "term" in reading.labels else []
    term: dict[str, int] = {}
    said: list[str] = []
    section = None
    for text, where in texts + reading.lines:
        for key, patterns in _TERM_PARTS:
            for pattern in patterns:
                if key not in term and (match := pattern.search(text)):
                    term[key] = _months(match[1], match[2])
                    said.append(sentence(text, match.start()))
                    section = section or where
    if not term:
        return None
    ordered = {key: term[key] for key in ("notice_months", "renewal_months") if key in term}
    return Found(ordered, " … ".join(dict.fromkeys(said)), section)


# The parts of an agreement's term, each with the sentences that state it, in the order they are sought.
_TERM_PARTS = (("notice_months", NOTICE), ("renewal_months", (RENEWAL,)))


def _months(count: str, unit: str) -> int:
    number = int(count) if count.isdigit() else _NUMBERS[count.casefold()]
    return number * 12 if unit.casefold().startswith(("år", "års")) else number


def parties_of(reading: Reading, organisation: Organisation) -> Found | None:
    """The parties a "Parter" label or section names, else the sentence that says who the parties
    are or between whom the agreement is; "kommunerna i Blekinge" are all the registered kommuner."""
    candidates: list[tuple[str, str | None]] = []
    if "parties" in reading.labels:
        candidates.append((reading.labels["parties"].value, None))
    candidates += _section_text(reading, "parter")
    candidates += [(sentence(t, m.start()), s) for t, s in reading.lines for m in PARTIES.finditer(t)]
    for text, section in candidates:
        found = party_ids(text, organisation)
        if len(found) >= 2:
            return Found(found, text, section)
    return None


def party_ids(text: str, organisation: Organisation) -> list[str]:
    found: set[str] = set()
    collective = COLLECTIVE_KOMMUNER.search(text) is not None
    for party in organisation.parties.values():
        stem = re.escape(re.sub(r"s? kommun$", "", party.name))
        named = _names(party.name, text) or re.search(rf"\b{stem}s?\b", text) is not None
        if named or (party.kind == "kommun" and collective):
            found.add(party.id)
    return [ident for ident in organisation.parties if ident in found]


def _section_text(reading: Reading, heading: str) -> list[tuple[str, str | None]]:
    """The first paragraph under a heading with that name ("1.3 Parter")."""
    for i, part in enumerate(reading.parts):
        if part.kind == "heading" and re.sub(r"^[\d.]+\s*", "", part.text).casefold() == heading:
            following = next((p for p in reading.parts[i + 1 :] if p.kind == "paragraph"), None)
            return [(following.text, part.number)] if following else []
    return []


def dated_label(reading: Reading, key: str) -> Found | None:
    found = reading.labels.get(key)
    date = iso_date(found.value) if found else None
    return Found(date, found.said) if found and date else None


def first_found(reading: Reading, pattern: re.Pattern[str], value: Any, *, zone: bool = False) -> Found | None:
    for text, section in zone_lines(reading) if zone else reading.lines:
        if match := pattern.search(text):
            return Found(" ".join(value(match).split()), sentence(text, match.start()), section)
    return None


def zone_lines(reading: Reading) -> list[tuple[str, str | None]]:
    """The lines where a document speaks of itself: the top, the end, and any sentence that names
    the document ("detta dokument", "riktlinjen")."""
    lines = reading.lines
    zone = lines[:HEADER_ZONE] + lines[-HEADER_ZONE:] if len(lines) > 2 * HEADER_ZONE else lines
    own = re.compile(rf"\b(?:{_SUBJECT}|detta dokument)\b", re.IGNORECASE)
    return zone + [line for line in lines if own.search(line[0]) and line not in zone]


def iso_date(text: str) -> str | None:
    match = re.search(DATE, text, re.IGNORECASE)
    if match is None:
        return None
    found = match[0]
    try:
        if "-" in found:
            return dt.date.fromisoformat(found).isoformat()
        day, month, year = found.split()
        return dt.date(int(year), _MONTHS[month.casefold()], int(day)).isoformat()
    except ValueError:
        return None


def sentence(text: str, at: int) -> str:
    """The sentence of `text` that holds position `at`."""
    start = max(text.rfind(". ", 0, at), text.rfind("? ", 0, at), text.rfind("! ", 0, at))
    start = 0 if start < 0 else start + 2
    ends = [i for i in (text.find(". ", at), text.find("? ", at)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
