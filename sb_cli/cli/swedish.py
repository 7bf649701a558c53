"""typer's own words in Swedish: usage, sections, defaults, ranges, type names, errors and suggestions.

typer carries its own copy of Click. Its help sections go through gettext (`typer.core._`), which
is set here to a lookup in one table; its usage line, help option and error messages are English
literals, so the usage line and the help option are set where they are made, and error messages
are translated by pattern when sb prints them (`message`). A text typer changes stays English
rather than wrong, and the language scan in the tests finds it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

TEXTS = {
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Arguments": "Argument",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "krävs",
    "(dynamic)": "(beräknas)",
    "Aborted!": "Avbrutet.",
    "Missing command.": "Ange ett kommando.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
}
HELP_OPTION = "Visa hjälpen och avsluta."
USAGE = "Användning: "
METAVARS = {"[OPTIONS]": "[FLAGGOR]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...", "[ARGS]...": "[ARGUMENT]..."}
# What Click shows for an option without a metavar of its own: its type's name ("--port <int range>").
TYPE_METAVARS = {
    "<int range>": "HELTAL",
    "<integer>": "HELTAL",
    "<float range>": "TAL",
    "<float>": "TAL",
    "<text>": "TEXT",
    "<path>": "SÖKVÄG",
    "<filename>": "FIL",
    "<boolean>": "JA|NEJ",
}
# typer's completion options, which it builds with English help texts of its own.
OPTION_HELP = {
    "--install-completion": "Installera kompletteringen för skalet du använder (bash, zsh, fish, PowerShell).",
    "--show-completion": "Skriv ut kompletteringsskriptet för skalet du använder, för att kopiera eller anpassa.",
}
# Error messages of typer's Click, most specific first; each is applied once, in order.
MESSAGES: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"Invalid value for (.+?): ", r"Ogiltigt värde för \1: "),
    (r"^Invalid value: ", "Ogiltigt värde: "),
    (r"(\S+) is not in the range (.+)\.$", r"\1 ligger utanför det tillåtna: \2."),
    (r"'(.*)' is not one of (.+)\.$", r"'\1' är inte något av \2."),
    (r"'(.*)' is not a valid (?:int|integer)(?: range)?\.", r"'\1' är inget heltal."),
    (r"'(.*)' is not a valid float(?: range)?\.", r"'\1' är inget tal."),
    (r"'(.*)' is not a valid boolean\. Recognized values: ", r"'\1' är varken ja eller nej. Tillåtna värden: "),
    (r"'(.*)' is not a valid (.+?)\.", r"'\1' är inget giltigt värde (\2)."),
    (r"No such option: (\S+)", r"Flaggan \1 finns inte"),
    (r"\(Possible options: (.+)\)", r"(menade du något av: \1?)"),
    (r"Did you mean (.+)\?$", r"Menade du \1?"),
    (r"Got unexpected extra arguments? \((.*)\)", r"Oväntat argument (\1)"),
    (r"Option '(.+?)' requires an argument\.", r"Flaggan '\1' behöver ett värde."),
    (r"Option '(.+?)' requires (\d+) arguments\.", r"Flaggan '\1' behöver \2 värden."),
    (r"Option '(.+?)' does not take a value\.", r"Flaggan '\1' tar inget värde."),
    (r"Argument '(.+?)' takes (\d+) values\.", r"Argumentet '\1' tar \2 värden."),
    (r"^Missing argument '(.+?)'\.", r"Argumentet '\1' saknas."),
    (r"^Missing option '(.+?)'\.", r"Flaggan '\1' saknas."),
    (r"^Missing parameter: (.+)", r"Värde saknas: \1"),
    (r"^Missing (argument|option|parameter)\b", "Värde saknas"),
    (r"Could not open file '(.+?)': ", r"Filen '\1' går inte att öppna: "),
    (r" does not exist\.", " finns inte."),
    (r" is a directory\.", " är en mapp."),
    (r" is a file\.", " är en fil."),
    (r" is not readable\.", " går inte att läsa."),
    (r" is not writable\.", " går inte att skriva."),
    (r"^(File|Directory|Path) '", lambda m: {"File": "Filen", "Directory": "Mappen", "Path": "Sökvägen"}[m[1]] + " '"),
]
_MESSAGES = [(re.compile(pattern, re.M), replacement) for pattern, replacement in MESSAGES]


def gettext(message: str) -> str:
    return TEXTS.get(message, message)


def message(text: str) -> str:
    """An error message of typer's Click in Swedish (text from sb itself passes unchanged)."""
    for pattern, replacement in _MESSAGES:
        text = pattern.sub(replacement, text, count=1)
    return text


def hint(command_path: str, option: str) -> str:
    return f"Se '{command_path} {option}' för hjälp."


def describe_range(self: Any) -> str:
    """ "minst 0", "högst 10", "1900–2999" instead of Click's "x>=0", "0<=x<=10"."""
    low, high = self.min, self.max
    if low is not None and high is not None:
        return f"mellan {low} och {high}" if (self.min_open or self.max_open) else f"{low}–{high}"
    if low is not None:
        return f"större än {low}" if self.min_open else f"minst {low}"
    return f"mindre än {high}" if self.max_open else f"högst {high}"


# The names outside typer's documented API that sb replaces (install) or uses (cli/app.py). A typer
# release that moves one leaves typer English instead of failing; tests/cli/test_typer_private.py
# names it, and pyproject.toml pins typer to the releases those tests pass on.
PRIVATE = (
    "typer.TyperException",
    "typer.core._",
    "typer._click.formatting.HelpFormatter.write_usage",
    "typer._click.decorators.help_option",
    "typer._click.types._NumberRangeBase._describe_range",
    "typer._click.core.Parameter.make_metavar",
    "typer._click.exceptions.ClickException",
    "typer._click.exceptions.NoArgsIsHelpError",
)


def resolve(dotted: str) -> Any:
    """The object a dotted name such as "typer.core._" names, or None when there is none."""
    first, *rest = dotted.split(".")
    found: Any = importlib.import_module(first)
    for index, part in enumerate(rest, start=1):
        if not hasattr(found, part):
            try:
                importlib.import_module(".".join([first, *rest[:index]]))
            except ImportError:
                return None
        found = getattr(found, part, None)
        if found is None:
            return None
    return found


def missing_private() -> list[str]:
    """The names of PRIVATE that the installed typer lacks."""
    return [name for name in PRIVATE if resolve(name) is None]


def install() -> None:
    """Swedish sections, usage line, help option, number ranges and type names in typer's Click (with
    a typer that lacks one of the PRIVATE names nothing is changed: English rather than a crash at
    start)."""
    if missing_private():
        return
    import typer.core
    from typer._click import core, decorators, formatting, types

    typer.core._ = gettext  # type: ignore[attr-defined]
    types._NumberRangeBase._describe_range = describe_range  # type: ignore[method-assign]

    english_metavar = core.Parameter.make_metavar

    def make_metavar(self: Any, ctx: Any) -> str:
        metavar = english_metavar(self, ctx)
        bare = metavar.removesuffix("...")
        return TYPE_METAVARS.get(bare, bare) + metavar[len(bare) :]

    core.Parameter.make_metavar = make_metavar  # type: ignore[method-assign]

    english_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, swedish in METAVARS.items():
            args = args.replace(english, swedish)
        english_usage(self, prog, args, USAGE if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    english_help_option = decorators.help_option

    def help_option(param_decls: list[str]) -> Any:
        add = english_help_option(param_decls)

        def decorator(command: Any) -> Any:
            command = add(command)
            command.params[-1].help = HELP_OPTION
            return command

        return decorator

    decorators.help_option = help_option


def translate_completion_options(command: Any) -> None:
    for parameter in command.params:
        for name in parameter.opts:
            if name in OPTION_HELP:
                parameter.help = OPTION_HELP[name]
