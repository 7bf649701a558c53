"""The signed PDFs and their protocols in a repository: whether a PDF is the rendering of the
protocol whose id it carries (its source digest, then its text re-rendered and compared)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sb_cli.signing.source import SourceClaim, same_text, source_digest, unsigned_variants

if TYPE_CHECKING:
    from sb_cli.core.model import Corpus, Document
    from sb_cli.core.records import Record
    from sb_cli.io.repo import Settings
    from sb_cli.render.view import View
    from sb_cli.signing.verify import SourceMatcher


def claimed_view(corpus: Corpus, claim: SourceClaim) -> tuple[Document[Record], View] | None:
    """The document the claim names and its view, as `sb render` makes it (no commit stamp)."""
    from sb_cli.io.git import Stamp
    from sb_cli.render.service import document_view

    document = next((d for d in corpus.documents if d.id == claim.id), None)
    if document is None:
        return None
    today = dt.datetime.now(tz=dt.UTC).date()
    return document, document_view(document, corpus.organisation, as_of=today, stamp=Stamp(None, False))


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


def signed_pdf_problems(settings: Settings, relpath: str) -> list[str] | None:
    """What is wrong with the signed PDF beside the protocol `relpath` (what sb finalize puts
    there): broken or changed signatures, another document's rendering, another text. None when the
    protocol has no signed PDF. No network, no trust list: sb verify --trust checks the chains."""
    from sb_cli.corpus import typed
    from sb_cli.io.loader import TooLarge, load, read_regular
    from sb_cli.io.schemas import validators
    from sb_cli.signing.source import read_claim
    from sb_cli.signing.verify import integrity_problems

    stem, dot, suffix = relpath.rpartition(".")
    pdf = settings.root / f"{stem}.pdf"
    if not dot or suffix not in ("yaml", "yml") or not pdf.is_file():
        return None
    try:
        data = read_regular(pdf, settings.max_file_bytes)
    except (TooLarge, OSError) as error:
        return [f"den kan inte läsas: {error}"]
    problems = integrity_problems(data)
    loaded = load(settings.root, relpath, max_bytes=settings.max_file_bytes)
    document = typed(loaded.source, validators(settings.schema_dir()))[0] if loaded.source else None
    claim = read_claim(data)
    if document is None:
        return problems
    if claim.id != document.id:
        problems.append(f"den är renderingen av {claim.id or 'ett okänt dokument'}, inte av {document.id}")
        return problems
    from sb_cli.corpus import load_corpus

    if claim.digest != source_digest(_view(document, load_corpus(settings).corpus)):
        problems.append("den är inte renderingen av protokollets nuvarande text")
    return problems


def _view(document: Document[Record], corpus: Corpus) -> View:
    from sb_cli.io.git import Stamp
    from sb_cli.render.service import document_view

    today = dt.datetime.now(tz=dt.UTC).date()
    return document_view(document, corpus.organisation, as_of=today, stamp=Stamp(None, False))
