"""SB030 measured on a generated test set: every valid personnummer and samordningsnummer in every
common written form is found (recall 100 %), and none of the numbers that only look like one raises
an alarm (0 false alarms). The sets are generated from a fixed seed, checked by an independent
check-digit computation, and run through the rule as `sb validate` runs it."""

from __future__ import annotations

import datetime as dt
import random

from sb_cli.core.rules import privacy
from sb_cli.core.rules.base import Context
from tests.builders import source

SEED = 20261201
POSITIVES = 3000
NEGATIVES = 3000
SEPARATORS = ["-", "+", " ", "\u2013", "\u00a0", ""]


def check_digit(nine: str) -> str:
    """The Luhn check digit, computed here without the library the code uses."""
    total = 0
    for index, digit in enumerate(map(int, nine)):
        product = digit * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def identity_number(rng: random.Random) -> tuple[str, str]:
    """A valid number: (YYYYMMDD, XXXX), a samordningsnummer one time in five."""
    born = dt.date(1920, 1, 1) + dt.timedelta(days=rng.randrange(365 * 104))
    day = born.day + (60 if rng.random() < 0.2 else 0)
    date_part = f"{born.year:04d}{born.month:02d}{day:02d}"
    serial = f"{rng.randrange(1000):03d}"
    return date_part, serial + check_digit(date_part[2:] + serial)


def written(rng: random.Random) -> str:
    date_part, serial = identity_number(rng)
    date_text = date_part if rng.random() < 0.4 else date_part[2:]
    separator = rng.choice(SEPARATORS)
    markup = rng.choice(["plain", "plain", "bold", "escaped", "entity", "italic", "id"])
    if markup == "bold":
        return f"**{date_text}**{separator}{serial}"
    if markup == "italic":
        return f"*{date_text}*{separator}{serial}"
    if markup == "escaped" and separator in "-+":
        return f"{date_text}\\{separator or '-'}{serial}"
    if markup == "entity":
        return f"{date_text}&#45;{serial}"
    if markup == "id":
        return f"ID-{date_text}-{serial}"
    return f"{date_text}{separator}{serial}"


def document(rng: random.Random, number: str) -> str:
    """The number in one of the places a document can hold it."""
    place = rng.choice(["body", "title", "attendee", "decision", "comment", "integer", "list", "end"])
    if place == "integer" and number.isdigit():
        return f"id: p\ntype: rutin\ntitle: T\ndiarienummer: {number}\nowner: LSVO\nstatus: utkast\nversion: '1'\n"
    if place == "comment":
        return f"id: p\ntype: rutin\ntitle: T  # gäller {number}\nowner: LSVO\nstatus: utkast\nversion: '1'\n"
    quoted = number.replace("\\", "\\\\").replace('"', '\\"')
    if place == "title":
        return f'id: p\ntype: rutin\ntitle: "Ärende {quoted}"\nowner: LSVO\nstatus: utkast\nversion: "1"\n'
    if place == "attendee":
        return (
            "id: p\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {date: 2026-01-16}\nnumbering: paragraph\n"
            f'attendance: {{present: ["Anna Andersson ({quoted})"]}}\nitems: []\n'
        )
    if place == "decision":
        return (
            "id: p\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {date: 2026-01-16}\nnumbering: paragraph\n"
            f'items:\n  - {{number: 1, title: T, kind: B, decisions: ["bevilja {quoted} stöd"]}}\n'
        )
    if place == "list":
        return f'id: p\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\ntags: [a, "{quoted}"]\n'
    ending = "." if place == "end" else " skrevs in i går."
    header = 'id: p\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\n'
    return f"---\n{header}---\n\nPersonen {number}{ending}\n"


def look_alike(rng: random.Random) -> str:
    """Something a document may say that is not a personnummer."""
    digits = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    year, month, day = rng.randrange(1990, 2030), rng.randrange(1, 13), rng.randrange(1, 29)
    organisation = f"{rng.randrange(2, 10)}{digits(5)}"
    organisation = f"{organisation[:2]}{rng.randrange(2, 10)}{organisation[3:]}"  # the third digit ≥ 2
    kinds = [
        f"org.nr {organisation}-{digits(3)}{check_digit(organisation + digits(3))}",
        f"organisationsnummer {organisation}{digits(4)}",
        f"{organisation}-{digits(4)}",  # an organisation number alone: its month is 20 or more
        f"tel. 0{rng.randrange(10, 99)}-{digits(3)} {digits(2)} {digits(2)}",
        f"070-{digits(3)} {digits(2)} {digits(2)}",
        f"+46 70 {digits(3)} {digits(2)} {digits(2)}",
        f"0455-{digits(2)} {digits(2)} {digits(2)}",
        f"telefon 07{digits(8)}",
        f"mobil: 07{digits(1)}-{digits(7)}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}-{month:02d}-{day:02d}–{year + 3}-12-31",
        f"{year}{month:02d}{day:02d}–{year + 3}1231",
        f"{day} {['januari', 'juni', 'december'][rng.randrange(3)]} {year}",
        f"{year}-{month:02d}-{day:02d} kl. {rng.randrange(8, 18)}.{rng.choice(['00', '15', '30'])}",
        f"RB {year}/{digits(4)}",
        f"Dnr {year}-{digits(6)}",
        f"KS {year}/{digits(3)}-{digits(2)}",
        f"{digits(1)} {digits(3)} {digits(3)} kr",
        f"{digits(2)} {digits(3)} {digits(3)},{digits(2)} kr",
        f"bankgiro {digits(4)}-{digits(4)}",
        f"BG {digits(3)}-{digits(4)}",
        f"plusgiro {digits(2)} {digits(2)} {digits(2)}-{digits(1)}",
        f"OCR {digits(10)}",
        f"OCR-nummer {digits(rng.randrange(12, 25))}",
        f"referensnummer {digits(10)}",
        f"{digits(rng.randrange(13, 20))}",
        f"§ {rng.randrange(1, 200)}",
        f"LSVO-{year}-{month:02d}-{day:02d} §{rng.randrange(1, 120)}",
        f"kl. {rng.randrange(8, 18):02d}:{rng.choice(['00', '15', '30'])}–{rng.randrange(12, 20):02d}:00",
    ]
    return rng.choice(kinds)


def alarms(text: str) -> int:
    return len(
        list(
            privacy.check(
                source(text, "documents/p.md" if text.startswith("---") else "documents/p.yaml"),
                Context(as_of=dt.date(2026, 1, 1)),
            )
        )
    )


def measure() -> dict[str, int]:
    rng = random.Random(SEED)
    found = sum(1 for _ in range(POSITIVES) if alarms(document(rng, written(rng))) > 0)
    false = sum(1 for _ in range(NEGATIVES) if alarms(document(rng, look_alike(rng))) > 0)
    return {"positives": POSITIVES, "found": found, "negatives": NEGATIVES, "false_alarms": false}


def test_recall_is_complete_and_no_look_alike_raises_an_alarm():
    figures = measure()
    assert figures == {"positives": POSITIVES, "found": POSITIVES, "negatives": NEGATIVES, "false_alarms": 0}


def test_the_generated_numbers_are_valid_by_the_independent_check():
    rng = random.Random(SEED)
    for _ in range(200):
        date_part, serial = identity_number(rng)
        from stdnum import luhn

        assert luhn.is_valid(date_part[2:] + serial)
