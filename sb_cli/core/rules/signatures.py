"""SB042: a signed PDF beside a protocol under documents/ (what `sb finalize` puts there) is part of
the record: its signatures must be whole, nothing changed after them, and it must be the rendering of
the protocol. What is wrong is found outside the core (Context.signed_pdf); the rule reports it."""

from __future__ import annotations

from collections.abc import Iterator

from sb_cli.core.meetings import signed_pdf_of
from sb_cli.core.model import Corpus, Finding, Severity
from sb_cli.core.records import Protocol
from sb_cli.core.rules.base import Context, Rule, Scope


def check(corpus: Corpus, ctx: Context) -> Iterator[Finding]:
    if ctx.signed_pdf is None:
        return
    for document in corpus.documents:
        if not isinstance(document.record, Protocol) or not ctx.wants(document.path):
            continue
        pdf = signed_pdf_of(document.path)
        for problem in ctx.signed_pdf(document.path) or []:
            yield SB042.at(document, f"PDF-filen {pdf} validerar inte: {problem}", "adjusted")


SB042 = Rule(
    "SB042",
    Severity.ERROR,
    "Undertecknad PDF validerar inte",
    "Ett protokolls undertecknade PDF-fil bredvid YAML-filen (den som sb finalize lägger där) hör till "
    "handlingen: varje underskrift ska vara hel, inget får ha ändrats efter underskrifterna utom "
    "valideringsdata och tidsstämplar, och filen ska vara renderingen av protokollets text. Certifikatens "
    "kedja och spärrstatus prövas av sb verify --trust, inte här.",
    "Kör sb verify på PDF-filen för detaljer. Lägg tillbaka den slutförda filen från git, eller låt "
    "protokollet undertecknas på nytt från en ny rendering.",
    Scope.CORPUS,
    check,
)
