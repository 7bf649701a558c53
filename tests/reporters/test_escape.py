"""Text from documents made visible: exactly what is written out, and nothing else changed."""

import pytest

from sb_cli.reporters.escape import could_be_formula, csv_cell, line, visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Åsa Gyberg-Karlsson §65", "Åsa Gyberg-Karlsson §65"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("\x00\x07\x7f\x9f", "\\x00\\x07\\x7f\\x9f"),
        ("rad\nny\tflik\r", "rad\\x0any\\x09flik\\x0d"),
        ("höger\u202evänster\u2066x\u2069", "höger\\u202evänster\\u2066x\\u2069"),
        ("noll\u200bbredd\ufeff\uffff", "noll\\u200bbredd\\ufeff\\uffff"),
        ("fil\udcff\udc80.yaml", "fil\\xff\\x80.yaml"),  # the bytes of a name that is not UTF-8
        ("\u00a0hårt mellanslag stannar", "\u00a0hårt mellanslag stannar"),
    ],
)
def test_visible_writes_out_controls_and_hiding_characters_only(text, shown):
    assert visible(text) == shown


def test_visible_can_keep_line_breaks():
    assert visible("a\nb\r\x1b", keep="\n") == "a\nb\\x0d\\x1b"
    assert visible("a\nb\rc", keep="\n\r") == "a\nb\rc"


def test_a_line_is_never_a_workflow_command():
    assert line("::add-mask::hemlig") == " ::add-mask::hemlig"
    assert line(":: x") == " :: x"
    assert line("documents/x.yaml:1: ::x") == "documents/x.yaml:1: ::x"
    assert line("\x1b::x") == "\\x1b::x"
    assert line("ok") == "ok"


def test_a_csv_cell_that_could_be_a_formula_gets_an_apostrophe():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}SUM(A1)", f"{start}SUM(A1)") == f"'{start}SUM(A1)"
        assert csv_cell([f"{start}a", "b"], f"{start}a, b") == f"'{start}a, b"
    assert csv_cell(-3, "-3") == "-3" and csv_cell(None, "") == ""
    assert csv_cell("Region=Blekinge", "Region=Blekinge") == "Region=Blekinge"


def test_lone_surrogates_of_any_kind_are_written_out():
    assert visible("a\udcffb") == "a\\xffb"  # a byte of a file name that is not UTF-8
    assert visible("a\ud800b\udbffc\udc7f") == "a\\ud800b\\udbffc\\udc7f"  # cannot be UTF-8 at all
    visible("\ud83d\udca9\udfff").encode("utf-8")


def test_a_formula_is_text_that_starts_like_one_and_never_a_number():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert could_be_formula(f"{start}1", f"{start}1")
        assert could_be_formula([f"{start}1"], f"{start}1")
        assert could_be_formula((f"{start}1",), f"{start}1")
    assert not could_be_formula(-3, "-3") and not could_be_formula(-1.5, "-1.5")
    assert not could_be_formula("a=b", "a=b") and not could_be_formula(None, "")
    assert not could_be_formula(" =1", " =1")
