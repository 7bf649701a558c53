"""The signed PDFs and their protocols in a repository: whether a PDF is the rendering of the
protocol whose id it carries (its source digest, then its text re-rendered and compared)."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING

from sb_cli.core.meetings import signed_pdf_of
from sb_cli.signing.source import SourceClaim, same_text, source_digest, unsigned_variants

if TYPE_CHECKING:
    from sb_cli.core.model import Corpus, Document
    from sb_cli.core.records import Record
    from sb_cli.io.repo import Settings
    from sb_cli.render.view import View
    from sb_cli.signing.verify import SourceMatcher


def unstamped_view(document: Document[Record], corpus: Corpus) -> View:
    """The document's view as `sb render` makes it, without the commit stamp."""
    from sb_cli.io.git import Stamp
    from sb_cli.render.service import document_view

    today = dt.datetime.now(tz=dt.UTC).date()
    return document_view(document, corpus.organisation, as_of=today, stamp=Stamp(None, False))


def claimed_view(corpus: Corpus, claim: SourceClaim) -> tuple[Document[Record], View] | None:
    """The document the claim names and its view, as `sb render` makes it (no commit stamp)."""
    document = next((d for d in corpus.documents if d.id == claim.id), None)
    return (document, unstamped_view(document, corpus)) if document is not None else None


def repository_matcher(settings: Settings) -> SourceMatcher:
    """Compares a PDF with the protocol of the same id in the repository: the digest first (cheap),
    then the text of a new rendering."""
    from sb_cli.corpus import load_corpus
    from sb_cli.render.pdf import render_pdf
    from sb_cli.render.service import template_folder

    def matches(claim: SourceClaim, pdf: bytes) -> bool | None:
        corpus = load_corpus(settings).corpus
        found = claimed_view(corpus, claim)
        if found is None:
            return None
        view = found[1]
        if claim.digest is not None and claim.digest != source_digest(view):
            return False
        with template_folder(settings) as templates:
            return same_text(pdf, unsigned_variants(view), lambda variant: render_pdf(variant, templates))

    return matches


class SignedPdfs:
    """What is wrong with the signed PDF beside each protocol (for sb validate, SB042): broken or
    changed signatures, another document's rendering, another text. No network, no trust list: sb
    verify --trust checks the chains. The repository is loaded once, when the first signed PDF is
    found, not once per PDF."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @cached_property
    def _corpus(self) -> Corpus:
        from sb_cli.corpus import load_corpus

        return load_corpus(self._settings).corpus

    def __call__(self, relpath: str) -> list[str] | None:
        """The problems of the protocol `relpath`'s signed PDF; None when it has none."""
        from sb_cli.io.loader import TooLarge, read_regular
        from sb_cli.signing.source import read_claim
        from sb_cli.signing.verify import integrity_problems

        if not relpath.endswith((".yaml", ".yml")):
            return None
        pdf = self._settings.root / signed_pdf_of(relpath)
        if not pdf.is_file():
            return None
        try:
            data = read_regular(pdf, self._settings.max_file_bytes)
        except (TooLarge, OSError) as error:
            return [f"den kan inte läsas: {error}"]
        problems = integrity_problems(data)
        document = next((d for d in self._corpus.documents if d.path == relpath), None)
        if document is None:
            return problems
        claim = read_claim(data)
        if claim.id != document.id:
            problems.append(f"den är renderingen av {claim.id or 'ett okänt dokument'}, inte av {document.id}")
            return problems
        if claim.digest != source_digest(unstamped_view(document, self._corpus)):
            problems.append("den är inte renderingen av protokollets nuvarande text")
        return problems
