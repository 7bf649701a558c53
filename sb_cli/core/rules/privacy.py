"""SB030: no personnummer or samordningsnummer anywhere in a document's text."""

from __future__ import annotations

from collections.abc import Iterator

from sb_cli.core import personnummer
from sb_cli.core.model import Finding, Severity, Source
from sb_cli.core.rules.base import Context, Rule, Scope


def check(source: Source, context: Context) -> Iterator[Finding]:
    # Columns are known in the body; a YAML string has lost its indentation, so none there.
    texts = [(source.body or "", source.body_line, True)]
    texts += [(text, line, False) for _path, text, line in source.strings if personnummer.might_contain(text)]
    for text, first_line, in_body in texts:
        for match in personnummer.find(text):
            line = first_line + text.count("\n", 0, match.start())
            column = match.start() - text.rfind("\n", 0, match.start()) if in_body else None
            yield SB030.where(
                source.path,
                line,
                column,
                f"personnummer eller samordningsnummer i texten ({personnummer.mask(match.group())})",
                document=source.id,
                hint="ta bort numret; protokoll och styrdokument publiceras",
            )


SB030 = Rule(
    "SB030",
    Severity.ERROR,
    "Personnummer i texten",
    "Texten innehåller ett svenskt personnummer eller samordningsnummer med giltig kontrollsiffra. "
    "Protokoll och styrdokument är allmänna handlingar som publiceras.",
    "Ta bort numret, eller skriv om texten så att ingen enskild kan identifieras.",
    Scope.FILE,
    check_file=check,
)
