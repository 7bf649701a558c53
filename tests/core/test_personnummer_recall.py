"""SB030 and the reader the publish leak check uses, measured on test sets generated here, with
nothing taken from the code under test (the check digit is computed here too):

- every written form of a number an attack has used (dashes, invisible and space-like characters,
  fullwidth digits, entities, percent-encoding, line breaks ...) in every place a document or a
  published page can hold it: recall 100 %;
- the same places holding dates, times, date ranges, phone numbers, organisation numbers, dnr and
  amounts, also encoded: 0 false alarms;
- 3 000 random numbers and 3 000 random look-alikes in the places a YAML document holds them.

`python tests/benchmarks/bench_personnummer.py` prints the figures.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest

from sb_cli.core import personnummer
from sb_cli.core.rules import privacy
from sb_cli.core.rules.base import Context
from tests.builders import source

SEED = 20261201
POSITIVES = 3000
NEGATIVES = 3000
SEPARATORS = ["-", "+", " ", "\u2013", "\u00a0", "", "\u2014", "\u2009", " - ", "- ", ".", "/", "\u00ad", "&#45;"]

Check = Callable[..., object]  # privacy.check's signature: (Source, Context) -> findings


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


# ---- Every written form, in every place ----------------------------------------------------------

Parts = tuple[str, str, str]  # the date part, the separator and the serial, as written


def _fullwidth(digits: str) -> str:
    return "".join(chr(0xFF10 + int(d)) for d in digits)


def _entities(digits: str) -> str:
    return "".join(f"&#{ord(d)};" for d in digits)


def _percent(digits: str) -> str:
    return "".join(f"%{ord(d):02X}" for d in digits)


def _between(separator: str) -> Callable[[str, str], Parts]:
    return lambda date, serial: (date[2:], separator, serial)


FORMS: dict[str, Callable[[str, str], Parts]] = {
    "hyphen": _between("-"),
    "plus": _between("+"),
    "space": _between(" "),
    "nothing": _between(""),
    "en dash": _between("\u2013"),
    "em dash": _between("\u2014"),
    "minus sign": _between("\u2212"),
    "non-breaking hyphen": _between("\u2011"),
    "no-break space": _between("\u00a0"),
    "soft hyphen": _between("\u00ad"),
    "soft hyphen as &shy;": _between("&shy;"),
    "soft hyphen in the date": lambda date, serial: (date[2:5] + "\u00ad" + date[5:], "-", serial),
    "word joiner": _between("\u2060"),
    "thin space": _between("\u2009"),
    "figure space": _between("\u2007"),
    "narrow no-break space": _between("\u202f"),
    "zero-width space": _between("\u200b"),
    "zero-width joiner in the serial": lambda date, serial: (date[2:], "-", serial[:2] + "\u200d" + serial[2:]),
    "byte order mark": _between("\ufeff"),
    "tab": _between("\t"),
    "fullwidth digits and dash": lambda date, serial: (_fullwidth(date[2:]), "\uff0d", _fullwidth(serial)),
    "spaced hyphen": _between(" - "),
    "hyphen and space": _between("- "),
    "spaced en dash": _between(" \u2013 "),
    "dot": _between("."),
    "slash": _between("/"),
    "line break": _between("\n"),
    "hyphen and line break": _between("-\n"),
    "decimal entity": _between("&#45;"),
    "hex entity": _between("&#x2d;"),
    "en dash entity": _between("&ndash;"),
    "digits as entities": lambda date, serial: (_entities(date[2:]), "&#45;", _entities(serial)),
    "percent-encoded hyphen": _between("%2D"),
    "percent-encoded digits": lambda date, serial: (_percent(date[2:]), "-", _percent(serial)),
    "year with century": lambda date, serial: (date, "-", serial),
    "year with century, nothing between": lambda date, serial: (date, "", serial),
    "year with century and plus": lambda date, serial: (date, "+", serial),
}

MARKDOWN = '---\nid: p\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\n---\n\n'
YAML = 'id: p\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\n'
PROTOCOL = "id: p\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {date: 2026-01-16}\nnumbering: paragraph\n"


def _in_yaml(text: str) -> str:
    return text.replace("\n", "\n    ")  # a line break inside a YAML value goes on indented


# Each place: (a document, or "page" for a published file read by the leak check's reader; the
# text; whether a line break can stand there).
Place = Callable[[Parts], tuple[str, str, bool]]
PLACES: dict[str, Place] = {
    "sentence": lambda p: ("p.md", MARKDOWN + f"Ärendet gäller {''.join(p)} och avslutas.\n", True),
    "bold date part": lambda p: ("p.md", MARKDOWN + f"Ärendet gäller **{p[0]}**{p[1]}{p[2]}.\n", True),
    "italic serial": lambda p: ("p.md", MARKDOWN + f"Ärendet gäller {p[0]}{p[1]}*{p[2]}*.\n", True),
    "heading": lambda p: ("p.md", MARKDOWN + f"## Ärende {''.join(p)}\n", False),
    "list item": lambda p: ("p.md", MARKDOWN + f"- Gäller {''.join(p)}\n- Nästa\n", True),
    "block quote": lambda p: ("p.md", MARKDOWN + f"> Citat: {''.join(p)}\n", True),
    "table cell": lambda p: ("p.md", MARKDOWN + f"| Namn | Nummer |\n| --- | --- |\n| Anna | {''.join(p)} |\n", False),
    "inline code": lambda p: ("p.md", MARKDOWN + f"Koden `{''.join(p)}` gäller.\n", True),
    "link text": lambda p: ("p.md", MARKDOWN + f"[{''.join(p)}](https://exempel.se/)\n", True),
    "link destination": lambda p: ("p.md", MARKDOWN + f"[ärendet](<https://exempel.se/a?id={''.join(p)}>)\n", False),
    "YAML comment": lambda p: ("p.yaml", YAML + f"# gäller {''.join(p)}\n", False),
    "YAML title": lambda p: ("p.yaml", YAML.replace("title: T", f'title: "Ärende {_in_yaml("".join(p))}"'), True),
    "YAML block": lambda p: ("p.yaml", YAML + f"body: |\n    Ärendet gäller {_in_yaml(''.join(p))} nu.\n", True),
    "YAML folded value": lambda p: ("p.yaml", YAML + f"body: >\n    Ärendet gäller {_in_yaml(''.join(p))} nu.\n", True),
    "YAML Markdown link": lambda p: ("p.yaml", YAML + f'body: "[länk](https://exempel.se/?id={"".join(p)})"\n', False),
    "attendee": lambda p: (
        "p.yaml",
        PROTOCOL + f'attendance: {{present: ["Anna Andersson ({_in_yaml("".join(p))})"]}}\nitems: []\n',
        True,
    ),
    "decision": lambda p: (
        "p.yaml",
        PROTOCOL + f'items:\n  - {{number: 1, title: T, kind: B, decisions: ["bevilja {_in_yaml("".join(p))}"]}}\n',
        True,
    ),
    "page: link address": lambda p: ("page", f'<a href="https://exempel.se/a?id={"".join(p)}">länken</a>', False),
    "page: text": lambda p: ("page", f"<p>Ärendet gäller <b>{''.join(p)}</b>.</p>", True),
}


def alarms(check: Check, find: Callable[[str], object], where: str, text: str) -> int:
    if where == "page":
        return len(list(find(text)))  # type: ignore[call-overload]
    path = f"documents/{where}"
    return len(list(check(source(text, path), Context(as_of=dt.date(2026, 1, 1)))))  # type: ignore[call-overload]


def measure_forms(check: Check = privacy.check, find: Callable[[str], object] = personnummer.find) -> dict[str, Any]:
    """Recall over every form in every place it can stand, each with its own number."""
    rng = random.Random(SEED)
    placed = found = 0
    missed: list[str] = []
    for form_name, form in FORMS.items():
        for place_name, place in PLACES.items():
            parts = form(*identity_number(rng))
            where, text, line_breaks = place(parts)
            if "\n" in "".join(parts) and not line_breaks:
                continue
            placed += 1
            if alarms(check, find, where, text):
                found += 1
            else:
                missed.append(f"{form_name} / {place_name}")
    return {"placed": placed, "found": found, "missed": missed}


LOOK_ALIKES = {
    "dates": ["2023-06-16", "16 juni 2023", "20230616", "2023-06-16 13.00", "16/6 2023", "2023.06.16", "16.6.2023"],
    "times": ["kl. 13.00–15.00", "13:00-15:00", "kl 13.00 - 15.00", "kl. 09.30—11.45", "13.00–15.00 och 15.30–17.00"],
    "date ranges": [
        "2023-06-16–2023-12-31",
        "20230616–20231231",
        "2023-06-16 – 2023-12-31",
        "230616–231231",
        "2023-06-16—2023-12-31",
        "20230616-20231231",
        "20230616 - 20231231",
        "230616 - 231231",
        "230616/231231",
    ],
    "phone numbers": [
        "0455-73 50 00",
        "+46 455 73 50 00",
        "070-123 45 67",
        "08-123 456 78",
        "tel. 0455-735000",
        "Telefon: 0701012386",  # valid as a personnummer, read as a phone number
        "0455 - 73 50 00",
        "+46 (0)455-73 50 00",
        "010-456 78 90",
        "0455-73 50 00 / 0455-73 50 01",
    ],
    "organisation numbers": [
        "232100-0081",
        "org.nr 232100-0081",
        "2321000081",
        "556677-8899",
        "16 232100-0081",
        "232100 - 0081",
        "556677–8899",
        "212000-0142",
    ],
    "dnr": ["RB 2023/1234", "Dnr 2023-000123", "KS 2023/123-45", "LSVO 2023/0045", "Dnr RS/2023/1234", "Dnr 2023.1234"],
    "amounts": [
        "1 250 000 kr",
        "12 345 678,90 kr",
        "1 250 000:-",
        "1 250 000 000 kr",
        "125 000 kr – 12 500 kr",
        "1.250.000 kr",
        "1 250 000 - 1 500 000 kr",
    ],
    "encoded": [
        "2023&#45;06&#45;16",
        "2023%2D06%2D16",
        "\uff12\uff10\uff12\uff13\uff0d\uff10\uff16\uff0d\uff11\uff16",
        "0455&shy;-73 50 00",
        "kl.&nbsp;13.00&ndash;15.00",
        "1&nbsp;250&nbsp;000&nbsp;kr",
        "232100&#45;0081",
        "2023-06-16\u00ad\u2013\u00ad2023-12-31",
        "070\u2011123\u00a045\u00a067",
    ],
}


def _split(text: str) -> Parts:
    """A look-alike in three parts, at its last dash, slash or space, for the places that split one."""
    at = max(text.rfind(mark) for mark in "-–/ ")
    return (text, "", "") if at < 0 else (text[:at], text[at], text[at + 1 :])


def measure_look_alikes(
    check: Check = privacy.check, find: Callable[[str], object] = personnummer.find
) -> dict[str, Any]:
    """False alarms over every look-alike in every place."""
    placed = 0
    alarmed: list[str] = []
    for examples in LOOK_ALIKES.values():
        for example in examples:
            for place_name, place in PLACES.items():
                placed += 1
                if alarms(check, find, *place(_split(example))[:2]):
                    alarmed.append(f"{example} / {place_name}")
    return {"placed": placed, "false_alarms": alarmed}


def test_every_written_form_is_found_in_every_place():
    figures = measure_forms()
    assert figures["found"] == figures["placed"] > len(FORMS) * len(PLACES) * 0.8, figures["missed"]


def test_no_look_alike_raises_an_alarm_in_any_place():
    assert measure_look_alikes()["false_alarms"] == []


def test_the_generated_forms_hold_the_numbers_by_the_independent_check():
    rng = random.Random(SEED)
    for form in FORMS.values():
        date, serial = identity_number(rng)
        written = "".join(form(date, serial))
        digits = "".join(str(int(c)) for c in unquote(html.unescape(written)) if c.isdigit())
        assert digits[-10:] == date[2:] + serial
        assert check_digit(digits[-10:-1]) == digits[-1]


# ---- 3 000 random numbers and look-alikes in YAML documents -----------------------------------------


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
        return PROTOCOL + f'attendance: {{present: ["Anna Andersson ({quoted})"]}}\nitems: []\n'
    if place == "decision":
        return PROTOCOL + f'items:\n  - {{number: 1, title: T, kind: B, decisions: ["bevilja {quoted} stöd"]}}\n'
    if place == "list":
        return f'id: p\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\ntags: [a, "{quoted}"]\n'
    ending = "." if place == "end" else " skrevs in i går."
    return f"{MARKDOWN}Personen {number}{ending}\n"


def look_alike(rng: random.Random) -> str:
    """Something a document may say that is not a personnummer. (A ten-digit OCR or reference number
    valid as a personnummer is reported by design, so these have other lengths.)"""
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
        f"OCR {digits(rng.randrange(5, 10))}",
        f"OCR-nummer {digits(rng.randrange(12, 25))}",
        f"referensnummer {digits(rng.randrange(5, 10))}",
        f"{digits(rng.randrange(13, 20))}",
        f"§ {rng.randrange(1, 200)}",
        f"LSVO-{year}-{month:02d}-{day:02d} §{rng.randrange(1, 120)}",
        f"kl. {rng.randrange(8, 18):02d}:{rng.choice(['00', '15', '30'])}–{rng.randrange(12, 20):02d}:00",
    ]
    return rng.choice(kinds)


def _document_alarms(check: Check, text: str) -> int:
    return alarms(check, personnummer.find, "p.md" if text.startswith("---") else "p.yaml", text)


def measure(check: Check = privacy.check) -> dict[str, int]:
    rng = random.Random(SEED)
    found = sum(1 for _ in range(POSITIVES) if _document_alarms(check, document(rng, written(rng))) > 0)
    false = sum(1 for _ in range(NEGATIVES) if _document_alarms(check, document(rng, look_alike(rng))) > 0)
    return {"positives": POSITIVES, "found": found, "negatives": NEGATIVES, "false_alarms": false}


@pytest.mark.slow
def test_recall_is_complete_and_no_look_alike_raises_an_alarm():
    figures = measure()
    assert figures == {"positives": POSITIVES, "found": POSITIVES, "negatives": NEGATIVES, "false_alarms": 0}


def test_the_generated_numbers_are_valid_by_the_independent_check():
    rng = random.Random(SEED)
    for _ in range(200):
        date_part, serial = identity_number(rng)
        from stdnum import luhn

        assert luhn.is_valid(date_part[2:] + serial)
