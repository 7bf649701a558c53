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
        # Columns are known in the body; a YAML string has lost its indentation, so none there.
        texts = [(document.body or "", document.body_line, True)]
        texts += [(text, line, False) for _path, text, line in document.strings if personnummer.might_contain(text)]
        for text, first_line, in_body in texts:
            for match in personnummer.find(text):
                line = first_line + text.count("\n", 0, match.start())
                column = match.start() - text.rfind("\n", 0, match.start()) if in_body else None
                yield Finding(
                    "SB030", Severity.ERROR, document.path, line, column,
                    f"personnummer eller samordningsnummer i texten ({personnummer.mask(match.group())})",
                    document=document.id,
                    hint="ta bort numret; protokoll och styrdokument publiceras",
                )

