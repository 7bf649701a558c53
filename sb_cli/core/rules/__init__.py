"""The rule registry (SPEC §5): one entry per code, with its check. Everything that speaks of a rule —
severities, the reporters' rule lists, the README's table, the case tests, what a path-limited run
must also load — reads it from `RULES`. A new rule is one entry plus its check."""

from __future__ import annotations

from collections.abc import Iterable

from sb_cli.core.model import Corpus, Finding, Source, ordered
from sb_cli.core.rules import announce, dates, history, meetings, privacy, references, schema, signatures, site_paths
from sb_cli.core.rules.base import Compares, Context, CorpusCheck, FileCheck, Rule, Scope

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            schema.SB001,
            schema.SB002,
            references.SB003,
            references.SB004,
            dates.SB005,
            site_paths.SB006,
            dates.SB010,
            dates.SB011,
            dates.SB012,
            dates.SB013,
            meetings.SB020,
            meetings.SB021,
            meetings.SB022,
            meetings.SB023,
            meetings.SB024,
            meetings.SB025,
            meetings.SB026,
            meetings.SB027,
            announce.SB028,
            privacy.SB030,
            references.SB031,
            history.SB040,
            history.SB041,
            signatures.SB042,
        ),
        key=lambda rule: rule.code,
    )
)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def file_checks() -> list[FileCheck]:
    return [r.check_file for r in RULES if r.check_file is not None]


def document_checks() -> list[CorpusCheck]:
    """What runs on one document where it is loaded: the per-document rules, and the parts of the
    rules across documents that need only the document."""
    checks = [r.check for r in RULES if r.scope is Scope.DOCUMENT and r.check is not None]
    return [*checks, *(r.check_each for r in RULES if r.check_each is not None)]


def corpus_checks() -> list[CorpusCheck]:
    return [r.check for r in RULES if r.scope is Scope.CORPUS and r.check is not None]


def compared() -> frozenset[Compares]:
    """What the rules across documents compare with, together."""
    return frozenset(c for rule in RULES for c in rule.compares)


def run_file(source: Source, context: Context) -> list[Finding]:
    return ordered([f for check in file_checks() for f in check(source, context)])


def run(corpus: Corpus, context: Context, checks: Iterable[CorpusCheck]) -> list[Finding]:
    findings = [f for check in checks for f in check(corpus, context)]
    if context.selected is not None:
        findings = [f for f in findings if f.path in context.selected]
    return ordered(findings)


__all__ = ["BY_CODE", "RULES", "Compares", "Context", "Rule", "Scope", "run", "run_file"]
