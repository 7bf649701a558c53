import html.entities
import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.core import personnummer
from sb_cli.core.personnummer import find, is_identity_number, mask, might_contain, read


@pytest.mark.parametrize(
    "text",
    [
        "Patienten 811218-9876 skrevs ut",
        "19811218-9876",
        "198112189876",
        "8112189876",
        "samordningsnummer 701063-2391",  # day 63 = 3 + 60, valid checksum
    ],
)
def test_valid_numbers_are_found(text):
    assert list(find(text))


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "2023-06-16",  # a date
        "1 276 000 kr",
        "aktivitetskod 787",
        "230101 till och med 231231",
        "811318-9879",  # month 13
        "tel 0455-731000",
        "12345678901234",  # part of a longer run of digits
    ],
)
def test_other_numbers_are_not(text):
    assert not list(find(text))


def test_29_february_exists_only_in_leap_years_when_the_century_is_known():
    assert is_identity_number("010229", "0004")  # the short form may be 2001, 1901 … or 2000-ish
    assert not is_identity_number("19010229", "0004")  # 1901 was no leap year
    assert is_identity_number("20000229", "0005")


@pytest.mark.parametrize(
    ("date_part", "serial", "valid"),
    [
        ("810101", "1230", True),  # 1 January: the first month and the first day
        ("811231", "1231", True),  # 31 December: the last month and its last day
        ("811301", "1236", False),  # month 13
        ("810001", "1231", False),  # month 0
        ("810100", "1231", False),  # day 0
        ("810430", "1232", True),
        ("810431", "1231", False),  # April has 30 days
        ("810160", "1238", False),  # day 60: neither a day nor a samordningsnummer (day 0 + 60)
        ("810161", "1237", True),  # samordningsnummer of 1 January
        ("810191", "1231", True),  # samordningsnummer of 31 January
        ("810192", "1230", False),  # 32 January + 60
        ("810101", "1231", False),  # the check digit is wrong
    ],
)
def test_month_and_day_bounds_and_samordningsnummer(date_part, serial, valid):
    assert is_identity_number(date_part, serial) is valid
    # With the century written out, the same rules hold (the check digit covers the short form).
    assert is_identity_number("19" + date_part, serial) is valid


@pytest.mark.parametrize(
    ("date_part", "serial", "valid"),
    [
        ("020229", "1233", True),  # no century: 29 February may exist
        ("19020229", "1233", False),  # 1902 was no leap year
        ("20020229", "1233", False),
        ("19040229", "1231", True),  # 1904 was
        ("19000229", "1235", False),  # a century is no leap year …
        ("20000229", "1235", True),  # … unless divisible by 400
        ("19700229", "1230", False),
        ("700289", "1237", True),  # samordningsnummer of 29 February, no century
        ("19700289", "1237", False),  # … but 1970 was no leap year
    ],
)
def test_29_february_with_and_without_the_century(date_part, serial, valid):
    assert is_identity_number(date_part, serial) is valid


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Gäller 811218-9876.", ["811218-9876"]),
        ("811218+9876 fyllde 100 år", ["811218+9876"]),  # + for those over 100
        ("19811218-9876 och 198112189876", ["19811218-9876", "198112189876"]),
        ("ärende ID-811218-9876", ["811218-9876"]),  # after a dash: "ID-" before a number hides nothing
        ("8112189876543", []),  # followed by more digits
        ("a811218-9876b", ["811218-9876"]),
        ("811218 9876 och 811218\u20139876", ["811218 9876", "811218\u20139876"]),  # a space, an en dash
        ("811218--9876", []),
    ],
    ids=["dash", "plus", "eight digits", "after a dash", "more digits", "between letters", "space", "two dashes"],
)
def test_find_gives_each_number_as_written(text, spans):
    assert [m.number for m in find(text)] == spans


def test_might_contain_looks_at_the_shape_only():
    assert might_contain("Gäller 811218-9875.")  # a wrong check digit still has the shape
    assert might_contain("198112189876")
    assert not might_contain("tel 0455-731000")
    assert not might_contain("811218-987")
    assert not might_contain("")


def test_mask_hides_the_last_four_digits():
    assert mask("811218-9876") == "811218-****"
    assert mask("19811218+9876") == "19811218+****"
    assert mask("198112189876") == "19811218****"


def test_found_carries_the_position_the_digits_and_whether_it_reads_as_a_time():
    (first, second, third) = find("x 230121-1500 och 19811218 9876, och 8112189876")
    assert (first.start, first.end, first.number, first.digits, first.like_a_time) == (
        2,
        13,
        "230121-1500",
        "2301211500",
        True,
    )
    assert (second.number, second.digits, second.like_a_time) == ("19811218 9876", "8112189876", False)
    assert (third.number, third.digits, third.like_a_time) == ("8112189876", "8112189876", False)  # no separator
    for serial, like_a_time in (("2359", True), ("2400", False), ("1260", False), ("0059", True), ("1500", True)):
        number = _with_serial(serial)
        assert [f.like_a_time for f in find(number)] == [like_a_time], number
        assert [f.like_a_time for f in find(number.replace("-", ""))] == [False]


def _with_serial(serial: str) -> str:
    """A valid number whose last four digits are `serial`: the date is chosen to fit the check digit."""
    from stdnum import luhn

    for day in range(1, 29):
        date = f"2301{day:02d}"
        if luhn.is_valid(date + serial):
            return f"{date}-{serial}"
    raise AssertionError(serial)


PHONE_LIKE = "0501012389"  # a valid personnummer (2005-01-01) that reads as a phone number too
NOT_EXCUSING = [
    "org.nr ",  # a sole trader's organisation number is the owner's personnummer
    "Organisationsnummer: ",
    "orgnr ",
    "bankgiro ",  # at most eight digits: ten are something else
    "BG ",
    "plusgiro ",
    "PG ",
    "OCR ",  # often made from the payer's personnummer
    "OCR-nummer ",
    "referens: ",  # not a label SPEC names
    "referensnummer ",
    "mobil ",
    "mobilnummer: ",
    "fax ",
    "växel ",
    "tel:",  # a link, not a label
    "[ring](tel:",
    '<a href="tel:',
]
TELEPHONE = [
    "tel. ",
    "Tel: ",
    "tel ",
    "Telefon ",
    "telefon: ",
    "telefonnummer ",
    "tel.nr ",
    "tfn ",
    "**Telefon:** ",
    "| Telefon | ",
]


@pytest.mark.parametrize("label", NOT_EXCUSING)
@pytest.mark.parametrize("number", ["811218-9876", "8112189876", "19811218-9876", PHONE_LIKE, "701063-2391"])
def test_only_a_telephone_label_excuses_and_no_other_label_does(label, number):
    assert [f.number for f in find(label + number)] == [number]


@pytest.mark.parametrize("label", TELEPHONE)
def test_a_telephone_label_excuses_a_number_that_reads_as_a_phone_number(label):
    assert list(find(label + PHONE_LIKE)) == []
    assert list(find(label + "0701012386")) == []  # a mobile number, valid as 2007-01-01


@pytest.mark.parametrize("label", TELEPHONE)
@pytest.mark.parametrize(
    "number",
    [
        "811218-9876",  # no trunk prefix 0: not a Swedish phone number
        "8112189876",
        "050101-2389",  # a separator after the sixth digit: written as personnummer are
        "050101 2389",
        "20050101-2389",  # the century
        "200501012389",
    ],
)
def test_a_telephone_label_does_not_excuse_a_number_written_as_a_personnummer(label, number):
    assert [f.number for f in find(label + number)] == [number]


def test_a_label_counts_only_just_before_the_number():
    number = "0501012389"
    assert [f.number for f in find("Titel " + number)] == [number]  # "tel" inside a word is no label
    assert [f.number for f in find("tel. " + "x" * 24 + number)] == [number]  # a label far before
    assert [f.number for f in find(number + " och tel. 0455")] == [number]
    assert [f.number for f in find(f"tel. 0455-1234 och sedan {number} och {number}")] == [number, number]


def test_find_goes_on_past_a_number_that_fails_and_past_a_labelled_one():
    text = "Fel 850709-9806, tel. 0501012389 och sedan personen 850709-9805."
    assert [f.start for f in find(text)] == [text.rindex("850709-9805")]


NUMBER = "811218-9876"
WRITTEN_FORMS = {
    "em dash": "811218\u20149876",
    "en dash": "811218\u20139876",
    "minus": "811218\u22129876",
    "non-breaking hyphen": "811218\u20119876",
    "fullwidth hyphen": "811218\uff0d9876",
    "soft hyphen": "811218\u00ad9876",
    "soft hyphen in the date": "81\u00ad1218-9876",
    "soft hyphen as an entity": "811218&shy;9876",
    "hyphen and soft hyphen": "811218-&shy;9876",
    "word joiner": "811218\u20609876",
    "zero-width space": "8112\u200b18\u200b-9876",
    "zero-width joiner and non-joiner": "81\u200d1218\u200c9876",
    "byte order mark": "811218\ufeff-9876",
    "thin space": "811218\u20099876",
    "figure space": "811218\u20079876",
    "narrow no-break space": "811218\u202f9876",
    "ideographic space": "811218\u30009876",
    "tab": "811218\t9876",
    "fullwidth digits and dash": "\uff18\uff11\uff11\uff12\uff11\uff18\uff0d\uff19\uff18\uff17\uff16",
    "mathematical digits": "\U0001d7d6\U0001d7cf\U0001d7cf\U0001d7d0\U0001d7cf\U0001d7d6-9876",
    "superscript digit": "81121\u2078-9876",
    "spaced dash": "811218 - 9876",
    "dash and space": "811218- 9876",
    "space and dash": "811218 -9876",
    "spaced en dash": "811218 \u2013 9876",
    "dot": "811218.9876",
    "slash": "811218/9876",
    "fullwidth slash": "811218\uff0f9876",
    "line break": "811218\n9876",
    "line break and indent": "811218\n    9876",
    "dash and line break": "811218-\n9876",
    "line break and dash": "811218\r\n- 9876",
    "decimal entity": "811218&#45;9876",
    "hex entity": "811218&#x2D;9876",
    "named dash entity": "811218&ndash;9876",
    "entity without semicolon": "811218&#45 9876",
    "digits as entities": "&#56;&#49;&#x31;&#50;&#49;&#56;-9876",
    "percent-encoded hyphen": "811218%2D9876",
    "percent-encoded space": "811218%209876",
    "percent-encoded digits": "%38%31%31%32%31%38-%39%38%37%36",
    "percent-encoded soft hyphen": "811218%C2%AD9876",
    "combining underline": "8\u03321\u03321\u03322\u03321\u03328\u0332-9876",
}


@pytest.mark.parametrize("written", WRITTEN_FORMS.values(), ids=WRITTEN_FORMS.keys())
def test_a_number_is_found_however_it_is_written_with_its_place_as_written(written):
    text = f"Se {written} nu."
    (found,) = find(text)
    assert (found.start, found.end, found.number) == (3, 3 + len(written), written)
    assert found.digits == "8112189876"
    assert re.fullmatch(r"811218\S?\*\*\*\*|811218 \*\*\*\*", mask(found.shown))  # on one line, plain digits


def test_a_number_in_a_link_is_found_as_the_browser_reads_it():
    text = '<a href="https://exempel.se/?id=811218&#45;9876">x</a> [y](https://exempel.se/811218%2D9876)'
    assert [f.number for f in find(text)] == ["811218&#45;9876", "811218%2D9876"]


@pytest.mark.parametrize(
    "text",
    [
        "811218--9876",  # two marks
        "811218-\n\n9876",  # a paragraph between
        "811218\n\n9876",
        "811218\u00ad9876\u00ad5",  # the invisible character hides no digit from the run
        "8112189&shy;8765",  # eleven digits once read
        "811218&amp;#45;9876",  # shown as "&#45;", written so on purpose
        "811218%252D9876",  # shown as "%2D"
        "811218_9876",
        "811218|9876",
        "811218:9876",
    ],
)
def test_what_is_not_a_separator_keeps_the_parts_apart(text):
    assert list(find(text)) == []


def test_a_number_in_other_digits_is_read_with_their_values():
    (found,) = find("\u0668\u0661\u0661\u0662\u0661\u0668-\u0669\u0668\u0667\u0666")  # Arabic-Indic
    assert (found.digits, found.shown) == ("8112189876", "811218-9876")


PIECES = st.sampled_from(
    [
        "a",
        " ",
        "-",
        "\n",
        "8",
        "1",
        "2",
        "9",
        "\u00ad",
        "&shy;",
        "&#45;",
        "&amp;",
        "%2D",
        "%3",
        "\uff11",
        "\u2009",
        "\u200b",
        "\u00b2",
        "å",
        "—",
        "&#x31;",
        "&",
        "%",
    ]
)


VALID = ["8112189876", "7010632391", "0501012389", "2002292387"]  # the last: 29 February 2020
DIGIT_WRITINGS = [str, lambda d: chr(0xFF10 + int(d)), lambda d: f"&#{48 + int(d)};", lambda d: f"%3{d}"]
HIDDEN = ["", "", "", "\u00ad", "&shy;", "\u200b", "\u2060", "%C2%AD", "\ufeff", "\u0332"]
SEPARATOR_WRITINGS = ["", "-", " ", "+", "\u2013", "\u2014", " - ", "- ", ".", "/", "\n", "-\n  ", "&#45;", "%2D"]
AROUND = st.sampled_from(["", " ", "Se ", "(", ")", ".", "&amp;", "å", "x", "\n", "&", "% "])


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """A valid number with each digit written in its own way, invisible characters between them."""
    digits = draw(st.sampled_from(VALID))

    def written(part: str) -> str:
        return "".join(draw(st.sampled_from(DIGIT_WRITINGS))(d) + draw(st.sampled_from(HIDDEN)) for d in part)

    number = written(digits[:6]) + draw(st.sampled_from(SEPARATOR_WRITINGS)) + written(digits[6:])
    return draw(AROUND), number, draw(AROUND), digits


@given(written_numbers())
def test_a_number_is_found_however_each_of_its_characters_is_written(parts):
    before, number, after, digits = parts
    (found,) = find(before + number + after)
    assert found.digits == digits
    assert found.start == len(before)
    assert found.number == number[: found.end - found.start]
    assert [f.digits for f in find(found.number)] == [digits]  # the span as written reads as the number


@given(st.lists(PIECES, max_size=40).map("".join))
def test_each_number_found_reads_as_itself_where_it_is_written(text):
    for found in find(text):
        assert [f.digits for f in find(found.number)] == [found.digits]
        assert 0 <= found.start < found.end <= len(text)


@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_reading_maps_back_to_the_written_text(text):
    reading = read(text)
    ends = [reading.original(i, i + 1) for i in range(len(reading.text))]
    assert all(0 <= start < end <= len(text) for start, end in ends)
    assert [start for start, _end in ends] == sorted(start for start, _end in ends)
    for index, (start, end) in enumerate(ends):
        assert reading.text[index] in read(text[start:end]).text


@pytest.mark.slow
def test_the_character_classes_hold_every_character_unicode_says_they_should():
    """Checked over every code point, so that the fast first look stays right: a character that
    reading removes, or reads as a digit or as a separator, is a separator as written or makes the
    text be read."""
    invisible, digit_like, read_otherwise, separators = (
        re.compile(f"[{chars}]")
        for chars in (
            personnummer.INVISIBLE,
            personnummer.DIGIT_LIKE,
            personnummer.READ_OTHERWISE,
            personnummer.MARKS + personnummer.SPACES,
        )
    )
    separator = re.compile(personnummer.SEPARATOR)
    missing = []
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cs":
            continue
        shown = personnummer._read_char.__wrapped__(char)  # not cached: a million characters
        separated = shown not in ("", char) and separator.fullmatch(shown) is not None
        should = [
            (category == "Cf", invisible),
            (shown == "", invisible),
            (category != "Nd" and re.search("[0-9]", shown) is not None, digit_like),
            (category in ("Pd", "Zs"), separators),
            (separated and not separators.fullmatch(char), read_otherwise),
        ]
        missing += [f"U+{code:04X}" for holds, chars in should if holds and not chars.match(char)]
    assert missing == []


SEPARATING_ENTITIES = sorted(
    name
    for name, value in html.entities.html5.items()
    if name.endswith(";")
    and len(value) == 1
    and (unicodedata.category(value) in ("Pd", "Zs", "Cf") or value in "-+./\t\u2212")
)


@pytest.mark.parametrize("name", SEPARATING_ENTITIES)
def test_every_named_entity_for_a_dash_space_or_invisible_character_is_read(name):
    assert [f.digits for f in find(f"Se 811218&{name}9876.")] == ["8112189876"]
