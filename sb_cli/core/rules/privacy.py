"""SB030: no personnummer or samordningsnummer anywhere in a document: in the file as written (every
value, key and comment) and in its texts as a reader sees them once the Markdown is rendered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from sb_cli.core import personnummer
from sb_cli.core.model import Finding, Severity, Source
from sb_cli.core.reading import MARKUP, as_read, unmarked
from sb_cli.core.rules.base import Context, Rule, Scope

HINT = "ta bort numret; protokoll och styrdokument publiceras"
TIME_HINT = "är det ett klockslag, skriv det som 'kl. 15.00'; annars ta bort numret"


def check(source: Source, context: Context) -> Iterator[Finding]:
    written: Counter[tuple[str, int]] = Counter()  # (number, line) as found where it is written
    for found in personnummer.find(source.text):
        line = source.text.count("\n", 0, found.start) + 1
        column = found.start - source.text.rfind("\n", 0, found.start)
        written[(found.digits, line)] += 1
        yield _finding(source, found, line, column)
    # The whole file read as Markdown too (a comment with **850709**-9805 still shows the number),
    # then each text as the writers render it (its YAML escapes already resolved). Markdown is read
    # only where taking the markup away shows something shaped like a number that was not there.
    texts = [(source.text, 1)]
    texts += [(source.body, source.body_line)] if source.body else []
    strings = [(text, line) for _path, text, line in source.strings]
    # One look at all the values together rules out the most documents: none shows a number even
    # with every markup character taken away. (The NUL keeps the digits of two values apart.)
    if personnummer.might_contain(unmarked("\n\0\n".join(text for text, _line in strings))):
        texts += strings
    for text, first_line in texts:
        marked = MARKUP.search(text) is not None
        if not marked and text in source.text:
            continue  # the most texts: they read as written, and the scan above saw them
        bare = unmarked(text) if marked else text  # else a YAML escape or folded lines made it differ
        shown_shapes = personnummer.shapes(bare)
        if not shown_shapes:
            continue
        plain = not shown_shapes - personnummer.shapes(text)
        read: Counter[tuple[str, int]] = Counter()
        for shown, block_line in [(text, 0)] if plain else as_read(text):
            for found in personnummer.find(shown):
                key = (found.digits, first_line + block_line + shown.count("\n", 0, found.start))
                read[key] += 1
                if read[key] > written[key]:  # hidden by markup where it is written
                    written[key] += 1
                    yield _finding(source, found, key[1], None)


def _finding(source: Source, found: personnummer.Found, line: int, column: int | None) -> Finding:
    return SB030.where(
        source.path,
        line,
        column,
        f"personnummer eller samordningsnummer i texten ({personnummer.mask(found.number)})",
        document=source.id,
        hint=TIME_HINT if found.like_a_time else HINT,
    )


SB030 = Rule(
    "SB030",
    Severity.ERROR,
    "Personnummer i texten",
    "Dokumentet innehåller ett svenskt personnummer eller samordningsnummer med giltig kontrollsiffra, "
    "skrivet med eller utan bindestreck, plus, mellanslag eller tankstreck, också i en kommentar eller "
    "dolt av Markdown (**850709**-9805). Protokoll och styrdokument är allmänna handlingar som publiceras.",
    "Ta bort numret, eller skriv om texten så att ingen enskild kan identifieras; ett klockslag skrivs 'kl. 15.00'.",
    Scope.FILE,
    check_file=check,
)
