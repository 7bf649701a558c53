"""SB030: no personnummer or samordningsnummer anywhere in a document: in the file as written (every
value, key, comment and link, read as a reader's software reads it: see core/personnummer.py) and in
its texts as a reader sees them once the Markdown is rendered."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator

from sb_cli.core import personnummer
from sb_cli.core.model import Finding, Severity, Source
from sb_cli.core.reading import MARKUP, as_read, link_targets, unmarked
from sb_cli.core.rules.base import Context, Rule, Scope

HINT = "ta bort numret; protokoll och styrdokument publiceras"
TIME_HINT = "är det ett klockslag, skriv det som 'kl. 15.00'; annars ta bort numret"


def check(source: Source, context: Context) -> Iterator[Finding]:
    # (number, line) of each number reported that the rendered text shows too: not in a link target
    written: Counter[tuple[str, int]] = Counter()
    targets: list[tuple[int, int]] | None = None
    for found in personnummer.find(source.text):
        line = source.text.count("\n", 0, found.start) + 1
        column = found.start - source.text.rfind("\n", 0, found.start)
        targets = link_targets(source.text) if targets is None else targets
        if not _inside(found.start, targets):
            written[(found.digits, line)] += 1
        yield _finding(source, found, line, column)
    for text, first_line, last_line in _texts_to_read(source):
        yield from _hidden_where_written(source, text, (first_line, last_line), written)


def _texts_to_read(source: Source) -> list[tuple[str, int, int | None]]:
    """The whole file read as Markdown too (a comment with **850709**-9805 still shows the number),
    then each text as the writers render it (its YAML escapes already resolved), with its first
    line, and the last line a number it shows may be written on, if it may fold lines."""
    texts: list[tuple[str, int, int | None]] = [(source.text, 1, None)]
    texts += [(source.body, source.body_line, None)] if source.body else []
    # One look at all the values together rules out the most documents: none shows a number even
    # with every markup character taken away. (The NUL keeps the digits of two values apart.)
    if personnummer.might_contain(unmarked("\n\0\n".join(text for _path, text, _line in source.strings))):
        texts += _with_last_lines(source)
    return [text for text in texts if MARKUP.search(text[0]) is not None or text[0] not in source.text]


def _hidden_where_written(
    source: Source, text: str, lines: tuple[int, int | None], written: Counter[tuple[str, int]]
) -> Iterator[Finding]:
    """Each number `text` shows more times than the file has been found to show it on its lines
    (`written`, which this adds to). Markdown is read only where taking the markup away shows
    something shaped like a number that was not there."""
    bare = unmarked(text)  # without markup, or as a YAML escape or folded lines made it
    shown_shapes = personnummer.shapes(bare)
    if not shown_shapes:
        return
    targets = link_targets(text)
    in_targets = personnummer.shapes("\n".join(text[start:end] for start, end in targets))
    plain = not shown_shapes - (personnummer.shapes(text) - in_targets)  # `bare` has no link targets
    first_line, last_line = lines
    read: Counter[tuple[str, int, int]] = Counter()
    for shown, block_line in [(text, 0)] if plain else as_read(text):
        for found in personnummer.find(shown):
            if plain and _inside(found.start, targets):
                continue
            line = first_line + block_line + shown.count("\n", 0, found.start)
            span = (line, line) if last_line is None else (first_line, max(line, last_line))
            read[(found.digits, *span)] += 1
            if read[(found.digits, *span)] > _reported(written, found.digits, span):
                written[(found.digits, line)] += 1  # hidden by markup or escapes where it is written
                yield _finding(source, found, line, None)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _with_last_lines(source: Source) -> list[tuple[str, int, int | None]]:
    """Each string with its first line and the last line it may be written on."""
    firsts = sorted({line for _path, _text, line in source.strings})
    last_of_file = source.text.count("\n") + 1
    out: list[tuple[str, int, int | None]] = []
    for _path, text, line in source.strings:
        after = bisect_right(firsts, line)
        out.append((text, line, firsts[after] - 1 if after < len(firsts) else last_of_file))
    return out


def _reported(written: Counter[tuple[str, int]], digits: str, lines: tuple[int, int]) -> int:
    return sum(count for (number, line), count in written.items() if number == digits and lines[0] <= line <= lines[1])


def _finding(source: Source, found: personnummer.Found, line: int, column: int | None) -> Finding:
    return SB030.where(
        source.path,
        line,
        column,
        f"personnummer eller samordningsnummer i texten ({personnummer.mask(found.shown)})",
        document=source.id,
        hint=TIME_HINT if found.like_a_time else HINT,
    )


SB030 = Rule(
    "SB030",
    Severity.ERROR,
    "Personnummer i texten",
    "Dokumentet innehåller ett svenskt personnummer eller samordningsnummer med giltig kontrollsiffra, "
    "läst som läsarens program läser det: också med breda siffror, mjuka bindestreck eller osynliga tecken, "
    "HTML-entiteter eller procentkodning, i en länk, i en kommentar eller dolt av Markdown (**850709**-9805), "
    "och med vilket streck, mellanslag, punkt, snedstreck eller radbrytning som helst (eller inget) mellan "
    "datum och löpnummer. Bara etiketten telefon ursäktar ett nummer, och bara ett som skrivs som ett "
    "telefonnummer (0701234567). Protokoll och styrdokument är allmänna handlingar som publiceras.",
    "Ta bort numret, eller skriv om texten så att ingen enskild kan identifieras; ett klockslag skrivs 'kl. 15.00'.",
    Scope.FILE,
    check_file=check,
)
