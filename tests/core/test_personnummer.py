import pytest

from sb_cli.core.personnummer import find, is_identity_number, mask, might_contain


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


def test_a_label_before_a_number_says_what_else_it_is():
    number = "811218-9876"
    for label in (
        "org.nr ",
        "Organisationsnummer: ",
        "tel. ",
        "Telefon ",
        "mobil ",
        "fax ",
        "växel ",
        "bankgiro ",
        "BG ",
        "plusgiro ",
        "OCR ",
        "OCR-nummer ",
        "referensnummer ",
    ):
        assert list(find(label + number)) == [], label
    assert [f.number for f in find("Titel " + number)] == [number]  # "tel" inside a word is no label
    far = "tel. " + "x" * 24 + number
    assert [f.number for f in find(far)] == [number]  # a label far before does not count
    assert [f.number for f in find(number + " och tel. 0455")] == [number]
    assert [f.number for f in find(f"tel. 0455-1234 och sedan {number} och {number}")] == [number, number]


def test_find_goes_on_past_a_number_that_fails_and_past_a_labelled_one():
    text = "Fel 850709-9806, org.nr 850709-9805 och sedan personen 850709-9805."
    assert [f.start for f in find(text)] == [text.rindex("850709-9805")]
