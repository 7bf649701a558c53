"""SB030: no personnummer or samordningsnummer anywhere in a document's text."""

from __future__ import annotations

from collections.abc import Iterator

from sb_cli.core import personnummer
from sb_cli.core.model import Corpus, Finding, Severity
from sb_cli.core.rules import Context


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.documents:
        if not context.wants(document):
            continue
        texts = [(document.body or "", document.body_line)]
        texts += [(text, line) for _path, text, line in document.strings]
        for text, first_line in texts:
            for match in personnummer.find(text):
                line = first_line + text.count("\n", 0, match.start())
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                yield Finding(
                    "SB030", Severity.ERROR, document.path, line, column,
                    f"personnummer eller samordningsnummer i texten ({personnummer.mask(match.group())})",
                    document=document.id,
                    hint="ta bort numret; protokoll och styrdokument publiceras",
                )
