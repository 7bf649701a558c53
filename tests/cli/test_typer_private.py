"""sb's Swedish rests on names that typer does not promise to keep: its own copy of Click, patched in
sb_cli/cli/swedish.py. A typer release that renames or moves one fails here, naming it, instead of
leaving sb half English; pyproject.toml pins typer to the releases these tests pass on."""

import inspect
import re
import signal
import sys
from collections.abc import Iterator

import pytest
import typer
import typer.core

from sb_cli.cli import swedish
from sb_cli.cli.app import main

PIN = "typer i pyproject.toml"


def broken(name: str, what: str) -> str:
    return (
        f"typer {typer.__version__}: {name} {what}. sb_cli/cli/swedish.py bygger på det; "
        f"anpassa den och {PIN} till den här versionen"
    )


@pytest.mark.parametrize("name", swedish.PRIVATE)
def test_every_private_name_sb_relies_on_is_there(name):
    assert swedish.resolve(name) is not None, broken(name, "finns inte")


def test_with_a_name_missing_install_changes_nothing(monkeypatch):
    """English rather than a crash when sb starts: the test above names what is missing."""
    from typer._click import formatting

    missing = "typer._click.formatting.NoSuchFormatter.write"
    monkeypatch.setattr(swedish, "PRIVATE", (*swedish.PRIVATE, missing))
    monkeypatch.setattr(formatting.HelpFormatter, "write_usage", english := object())
    assert swedish.missing_private() == [missing]
    swedish.install()
    assert formatting.HelpFormatter.write_usage is english


@pytest.mark.parametrize("english", list(swedish.TEXTS))
def test_every_text_sb_translates_still_goes_through_typer_cores_gettext(english):
    """typer.core looks its texts up through `_`, which sb replaces; a text typer rewords or moves
    out of typer.core would stay English."""
    call = re.compile(r"""\b_\(\s*["']""" + re.escape(english) + r"""["']\s*\)""")
    assert call.search(inspect.getsource(typer.core)), broken(f'typer.core._("{english}")', "anropas inte längre")


@pytest.mark.parametrize(
    ("name", "patch"),
    [
        ("typer.core._", swedish.gettext),
        ("typer._click.types._NumberRangeBase._describe_range", swedish.describe_range),
    ],
)
def test_the_patches_are_in_place(name, patch):
    assert swedish.resolve(name) is patch, broken(name, "är inte sb:s version (install() har inte bytt ut den)")


WRAPPED = ["typer._click.formatting.HelpFormatter.write_usage", "typer._click.decorators.help_option"]


@pytest.mark.parametrize("name", WRAPPED)
def test_the_wrapped_functions_are_sbs(name):
    assert swedish.resolve(name).__module__ == swedish.__name__, broken(name, "är inte sb:s version")


@pytest.fixture
def sigterm_kept() -> Iterator[None]:
    """main() sets its own SIGTERM handler; the test run keeps its own."""
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


def run(monkeypatch, capsys, *args: str) -> str:
    """`sb ARGS` through main(), where sb prints typer's errors: stdout and stderr together."""
    monkeypatch.setattr(sys, "argv", ["sb", *args])
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit):
        main()
    captured = capsys.readouterr()
    return captured.out + captured.err


# What each private name puts on the screen, through the path a user's command takes.
SHOWN = [
    (
        ("--help",),
        "Användning: sb [FLAGGOR] KOMMANDO [ARGUMENT]...",
        "typer._click.formatting.HelpFormatter.write_usage",
    ),
    (("--help",), "Visa hjälpen och avsluta.", "typer._click.decorators.help_option"),
    (("--help",), "\nFlaggor:\n", "typer.core._"),
    (("--help",), "\nKommandon:\n", "typer.core._"),
    (("--help",), "Installera kompletteringen för skalet", "typer's --install-completion"),
    (("render", "--help"), "\nArgument:\n", "typer.core._"),
    (("publish", "--help"), "[standard: 8000; 1024–65535]", "typer._click.types._NumberRangeBase._describe_range"),
    (("nosuch",), "sb: fel: Kommandot 'nosuch' finns inte.", "typer.core._"),
    (("validate", "--bogus"), "Se 'sb validate -h' för hjälp.", "typer._click.exceptions.ClickException"),
    (("validate", "--bogus"), "sb: fel: Flaggan --bogus finns inte", "typer._click.exceptions.ClickException"),
    (
        ("report", "expiring", "--within", "-5"),
        "sb: fel: Ogiltigt värde för '--within': -5 ligger utanför det tillåtna: minst 0.",
        "typer._click.types._NumberRangeBase._describe_range",
    ),
]


@pytest.mark.parametrize(("args", "swedish_text", "name"), SHOWN, ids=[f"{' '.join(a)}: {t}" for a, t, _ in SHOWN])
def test_the_swedish_reaches_the_screen(monkeypatch, capsys, sigterm_kept, args, swedish_text, name):
    shown = run(monkeypatch, capsys, *args)
    assert swedish_text in shown, broken(name, f"ger inte längre {swedish_text!r} i `sb {' '.join(args)}`") + (
        f":\n{shown}"
    )
