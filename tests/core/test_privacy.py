"""SB030 on the file as written: the line (and, in a Markdown body, the column) of every number,
masked in the message, with the document's id and the hint."""

import pytest

from sb_cli.core.rules import Context, privacy
from tests.builders import AS_OF, rutin, source
from tests.core.test_personnummer import WRITTEN_FORMS

HINT = "ta bort numret; protokoll och styrdokument publiceras"
HEADER = "---\nid: r\ntype: rutin\ntitle: T\n---\n"


def found(text, path="documents/d0.yaml"):
    out = privacy.check(source(text, path), Context(as_of=AS_OF))
    return [(f.code, f.severity.value, f.path, f.line, f.column, f.message, f.hint, f.document) for f in out]


def e(line, column, shown, path="documents/d0.md", document="r"):
    message = f"personnummer eller samordningsnummer i texten ({shown})"
    return ("SB030", "error", path, line, column, message, HINT, document)


def test_numbers_in_a_markdown_body_have_their_line_and_column():
    body = "\nRad ett\nRad två 811218-9876 och 19811218-9876\n\n  701063-2391 sist\n"
    assert found(HEADER + body, "documents/d0.md") == [
        e(8, 9, "811218-****"),
        e(8, 25, "19811218-****"),
        e(10, 3, "701063-****"),
    ]


def test_a_number_on_the_first_line_of_the_body():
    assert found(HEADER + "811218-9876 först", "documents/d0.md") == [e(6, 1, "811218-****")]
    assert found(HEADER + "\n811218-9876 först", "documents/d0.md") == [e(7, 1, "811218-****")]
    assert found(HEADER + "\n\nx 811218-9876", "documents/d0.md") == [e(8, 3, "811218-****")]


def test_numbers_in_yaml_strings_have_their_line_and_column():
    text = rutin().replace('body: "Text."', 'body: |\n  Rad ett\n  Rad två 811218-9876\ncontact: "Anna 19811218-9876"')
    assert found(text) == [
        e(12, 11, "811218-****", "documents/d0.yaml"),
        e(13, 16, "19811218-****", "documents/d0.yaml"),
    ]


def test_the_header_of_a_markdown_file_is_checked_too_and_the_body_first():
    text = HEADER.replace("title: T", 'title: "T 198112189876"') + "\nText 811218+9876\n"
    assert found(text, "documents/d0.md") == [e(4, 11, "19811218****"), e(7, 6, "811218+****")]


def test_nothing_without_a_valid_number():
    assert found(HEADER + "\n811218-9875 och 2023-06-16\n", "documents/d0.md") == []
    assert found(HEADER, "documents/d0.md") == []
    assert found(rutin(body="Ring 0455-731000.")) == []


def test_a_file_without_an_id_still_gets_its_finding():
    assert found("title: 811218-9876\n") == [e(1, 8, "811218-****", "documents/d0.yaml", None)]


def test_a_number_hidden_by_markup_is_found_once_on_its_line_and_a_repeated_one_each_time():
    body = "Rad ett\n**811218**-9876 och 811218\\-9876 och 811218-9876\n\n> citat 811218&#45;9876\n"
    assert found(HEADER + body, "documents/d0.md") == [
        e(7, 38, "811218-****"),  # as written: the third
        e(9, 9, "811218-****"),  # and the entity, which the reading of the written text decodes
        e(7, None, "811218-****"),  # as read: the first two, hidden by markup
        e(7, None, "811218-****"),
    ]


def test_a_hidden_number_in_a_yaml_string_has_the_line_of_its_block():
    text = rutin().replace('body: "Text."', "body: |\n  Rad ett\n\n  **811218**-9876 sist")
    assert found(text) == [e(13, None, "811218-****", "documents/d0.yaml")]
    title = rutin().replace("title: Rutin", 'title: "Rutin **811218**-9876"')
    assert found(title) == [e(3, None, "811218-****", "documents/d0.yaml")]


def test_a_number_that_reads_as_a_time_gets_the_time_hint():
    time_hint = "är det ett klockslag, skriv det som 'kl. 15.00'; annars ta bort numret"
    text = HEADER + "Mötet 230121-1500 och 2301211500\n"
    assert [(f[3], f[4], f[6]) for f in found(text, "documents/d0.md")] == [(6, 7, time_hint), (6, 23, HINT)]


def test_a_number_at_the_very_start_of_the_file():
    assert found("t: 811218-9876\n") == [e(1, 4, "811218-****", "documents/d0.yaml", None)]
    assert found("# 811218-9876\nt: x\n") == [e(1, 3, "811218-****", "documents/d0.yaml", None)]
    assert found("\nt: 811218-9876\n") == [e(2, 4, "811218-****", "documents/d0.yaml", None)]


def test_a_body_is_read_on_its_own_when_the_header_would_swallow_it():
    # Read as one Markdown text, the unclosed code fence in the header makes the body code; read
    # alone, the body shows 850709-9805.
    text = "---\nid: r\ntype: rutin\ntitle: T\nnote: |\n  ```\n---\nSe **850709**-9805.\n"
    assert found(text, "documents/d0.md") == [e(8, None, "850709-****")]


def test_a_number_that_folded_yaml_lines_or_an_escape_make_is_found():
    folded = rutin().replace('body: "Text."', "body: Se\n  850709\n  9805 nu")
    assert found(folded) == [e(11, 3, "850709 ****", "documents/d0.yaml")]  # a line break separates
    folded = rutin().replace('body: "Text."', "body: Se\n  **850709**\n  9805 nu")
    assert found(folded) == [e(11, None, "850709 ****", "documents/d0.yaml")]  # the file read as Markdown
    escaped = rutin().replace('body: "Text."', 'body: "Se 850709\\u002d9805"')
    assert found(escaped) == [e(10, None, "850709-****", "documents/d0.yaml")]


def test_each_number_once_where_markup_is_near_and_twice_written_on_one_line():
    body = "\n*Se* 811218-9876, 811218-9876 och **811218**-9876.\n"
    assert found(HEADER + body, "documents/d0.md") == [
        e(7, 6, "811218-****"),
        e(7, 19, "811218-****"),
        e(7, None, "811218-****"),
    ]


def test_a_comment_is_read_even_when_a_value_looks_like_a_number():
    text = rutin().replace('body: "Text."', 'body: "Dnr 123456-7890"\n# se **850709**-9805')
    assert found(text) == [e(11, None, "850709-****", "documents/d0.yaml")]


def test_a_number_written_plainly_beside_markup_is_found_once():
    assert found(HEADER + "\n*Se* 811218-9876.\n", "documents/d0.md") == [e(7, 6, "811218-****")]


def test_a_number_a_yaml_string_shows_once_more_than_it_is_written_is_reported_once_more():
    text = rutin().replace('body: "Text."', 'body: "Se 850709\\u002d9805 och\n  850709-9805"')
    assert found(text) == [
        e(11, 3, "850709-****", "documents/d0.yaml"),
        e(10, None, "850709-****", "documents/d0.yaml"),
    ]


@pytest.mark.parametrize("written", WRITTEN_FORMS.values(), ids=WRITTEN_FORMS.keys())
def test_every_written_form_is_reported_where_it_is_written(written):
    body = f"\nRad ett\nRad två {written} sist\n"
    assert [(f[3], f[4], f[5][:53]) for f in found(HEADER + body, "documents/d0.md")] == [
        (8, 9, "personnummer eller samordningsnummer i texten (811218")
    ]
    if "\n" not in written:
        comment = rutin().replace('body: "Text."', f'body: "Text."  # gäller {written}')
        assert [(f[3], f[4]) for f in found(comment)] == [(10, 25)]


@pytest.mark.parametrize(
    "written",
    [
        "referens: 0501012389",  # the labels: not among those SPEC names
        "mobil 0501012389",
        "[ring](tel:0501012389)",  # a link, not a label
        "org.nr 811218-9876",  # a sole trader's organisation number is a personnummer
        "OCR 8112189876",
        "Telefon: 050101-2389",  # written as a personnummer, not as a phone number
    ],
)
def test_a_label_spec_does_not_name_or_a_number_written_otherwise_excuses_nothing(written):
    column = 4 + next(i for i, c in enumerate(written) if c.isdigit())
    assert [(f[3], f[4]) for f in found(HEADER + f"\nSe {written}.\n", "documents/d0.md")] == [(7, column)]


def test_a_telephone_label_excuses_a_phone_number():
    assert found(HEADER + "\nTelefon: 0501012389, **tel.** 0701012386\n", "documents/d0.md") == []


def test_a_number_in_a_link_target_does_not_hide_one_that_markup_splits():
    body = "\n[a](https://x.se/?id=811218&#45;9876) och **811218**-9876\n"
    assert found(HEADER + body, "documents/d0.md") == [e(7, 22, "811218-****"), e(7, None, "811218-****")]


def test_a_number_in_a_link_target_of_a_yaml_string_is_reported_once():
    text = rutin().replace('body: "Text."', "body: |\n  Mobil 0501012389, [ring](tel:0501012389).")
    assert found(text) == [e(11, 9, "050101****", "documents/d0.yaml"), e(11, 32, "050101****", "documents/d0.yaml")]
