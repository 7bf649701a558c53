import pytest

from sb_cli.core.personnummer import find, is_identity_number


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
