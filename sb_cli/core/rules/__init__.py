"""Validation rules of SPEC §5. Each rule is a pure function of the corpus and a context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sb_cli.core.model import Corpus, Document, Finding, Severity

Rule = Callable[[Corpus, "Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    notice_window_days: int = 90
    # Validators per document type (and "organisation"): each maps data to jsonschema errors.
    schemas: Mapping[str, Any] = field(default_factory=dict)
    # Whether a repository-relative path exists (links, SB031); None skips file links.
    path_exists: Callable[[str], bool] | None = None
    # Git history of a document: (commit, snapshot) oldest first; None outside a git checkout.
    history: Callable[[str], list[tuple[str, Document]]] | None = None
    # Only these paths get findings (and the per-document rules); None means all.
    selected: frozenset[str] | None = None

    def wants(self, document: Document) -> bool:
        return self.selected is None or document.path in self.selected


def finding(
    document: Document, code: str, severity: Severity, message: str, *path: str | int,
    hint: str | None = None,
) -> Finding:
    position = document.position(*path)
    return Finding(
        code, severity, document.path, position.line, position.column, message,
        document=document.id, hint=hint,
    )


def document_rules() -> tuple[Rule, ...]:
    """Rules that look at one document at a time (with the organisation and its git history): run
    where it is loaded."""
    from sb_cli.core.rules import dates, meetings, privacy, records, references, schema

    return (schema.check, dates.check, privacy.check, records.check, references.check_known,
            meetings.check_quorum, meetings.check_notice, meetings.check_attendance, meetings.check_kinds)


def corpus_rules() -> tuple[Rule, ...]:
    """Rules across documents: they need only the slim documents (no texts, no attendance)."""
    from sb_cli.core.rules import meetings, references

    return (
        references.check_ids,
        references.check_references,
        references.check_links,
        meetings.check_numbering,
        meetings.check_deferrals,
    )


def all_rules() -> tuple[Rule, ...]:
    return document_rules() + corpus_rules()


def run(corpus: Corpus, context: Context, rules: tuple[Rule, ...] | None = None) -> list[Finding]:
    findings = [f for rule in (rules or all_rules()) for f in rule(corpus, context)]
    if context.selected is not None:
        findings = [f for f in findings if f.path in context.selected]
    return sorted(set(findings), key=Finding.sort_key)
