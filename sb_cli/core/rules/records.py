"""SB040: decided documents and justerade protocols are records; git shows whether they changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sb_cli.core.model import Corpus, Document, Finding, Severity
from sb_cli.core.rules import Context, finding

# What a decision fixes: the text and the decided terms (SPEC §5, SB040).
DECIDED_KEYS = ("title", "parties", "decided", "valid_from", "valid_until", "term", "body", "items")
# What may change on a record at any time.
ADMINISTRATIVE_KEYS = frozenset(
    {"followed_up", "adopted", "terminated", "superseded_by", "review_by", "status"}
)


NOT_GIT = Finding("SB040", Severity.INFO, ".", None, None,
                  "inte ett git-repositorium: SB040 (ändrade beslutade dokument) kontrolleras inte")


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    if context.history is None:  # outside git: the caller reports once that SB040 was skipped
        return
    for document in corpus.documents:
        if not context.wants(document) or not _is_record(document):
            continue
        found = _baseline(document, context.history(document.path))
        if found is None:
            continue
        commit, baseline = found
        for key in _changed_keys(document, baseline):
            yield finding(document, "SB040", Severity.ERROR, _message(document, commit, key), key,
                          hint=_hint(document))


def _is_record(document: Document) -> bool:
    if document.type == "protokoll":
        return document.get("adjusted") is not None
    return document.is_styrdokument and document.get("status") in ("beslutad", "upphavd")


def _baseline(document: Document, snapshots: list[tuple[str, Document]]) -> tuple[str, Document] | None:
    """The first commit that held this document as a record (with the same version)."""
    for commit, snapshot in snapshots:
        if document.type == "protokoll":
            if snapshot.get("adjusted") is not None:
                return commit, snapshot
        elif snapshot.get("status") == "beslutad" and snapshot.get("version") == document.get("version"):
            return commit, snapshot
    return None


def _view(document: Document) -> dict[str, Any]:
    if document.type == "protokoll":
        view = {k: v for k, v in document.data.items() if k not in ADMINISTRATIVE_KEYS}
    else:
        view = {k: document.data.get(k) for k in DECIDED_KEYS}
    view["body"] = (document.body or "").strip() or view.get("body")
    return view


def _changed_keys(document: Document, baseline: Document) -> list[str]:
    now, then = _view(document), _view(baseline)
    return [key for key in sorted(set(now) | set(then)) if now.get(key) != then.get(key)]


def _message(document: Document, commit: str, key: str) -> str:
    what = "texten" if key in ("body", "items") else f"'{key}'"
    if document.type == "protokoll":
        return f"protokollet är justerat (commit {commit[:7]}) men {what} har ändrats sedan dess"
    return (f"dokumentet är beslutat i version {document.get('version')} (commit {commit[:7]}) "
            f"men {what} har ändrats sedan dess")


def _hint(document: Document) -> str:
    if document.type == "protokoll":
        return "ett justerat protokoll är en allmän handling: rätta genom ett nytt beslut i nästa protokoll"
    return "ändra 'version' och 'status' (t.ex. till utkast) och låt ändringen beslutas på nytt"
