"""SB003 duplicate ids, SB004 dangling references, SB031 broken links."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sb_cli.core.model import Corpus, Document, Finding, Link, Path_, Severity, Source
from sb_cli.core.records import Arshjul, Kallelse, Paper, Protocol, Record, Styrdokument
from sb_cli.core.refs import points_with, resolve
from sb_cli.core.rules.base import Compares, Context, Rule, Scope

# A Markdown link: [text](target "title"). Linear in the text: the link text cannot hold a bracket,
# and the target stops at the next "](", so no two links' scans overlap; possessive quantifiers
# never give back what they took (nothing after them could match it).
_LINK = re.compile(r"\[[^\[\]]*+\]\(\s*+<?((?:[^)\s>\]]++|\](?!\())++)>?(?:\s++\"[^\"]*+\")?\s*+\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    first: dict[str, Document[Record]] = {}
    for document in corpus.documents:
        if document.id in first:
            yield SB003.at(document, f"id '{document.id}' används redan i {first[document.id].path}", "id")
        else:
            first[document.id] = document


SB003 = Rule(
    "SB003",
    Severity.ERROR,
    "Dubblerat id",
    "Två filer har samma id; ett id måste vara unikt i hela samlingen.",
    "Ge det ena dokumentet ett eget id (och rätta hänvisningarna till det).",
    Scope.CORPUS,
    check_ids,
    frozenset({Compares.IDS}),
)

Known = tuple[Callable[[str], bool], str]


@dataclass(frozen=True, slots=True)
class _Kinds:
    """What a named id must be: a forum or a party, a forum, or a party of organisation.yaml."""

    forum_or_party: Known
    forum: Known
    party: Known


def _names(document: Document[Record], corpus: Corpus) -> Iterator[tuple[Path_, str, Known]]:
    """Every forum or party id a document names, with where and what it must be."""
    organisation = corpus.organisation
    kinds = _Kinds(
        (organisation.knows, "forumen eller parterna"),
        (lambda i: i in organisation.forums, "forumen"),
        (lambda i: i in organisation.parties, "parterna"),
    )
    record = document.record
    # An årshjul is a styrdokument: it names what both name, the styrdokument's first.
    for kind in reversed(type(record).__mro__):
        names_of = _NAMES.get(kind)
        if names_of is not None:
            yield from names_of(record, kinds)


_Named = Iterator[tuple[Path_, str, Known]]


def _styrdokument_names(record: Styrdokument, kinds: _Kinds) -> _Named:
    yield ("owner",), record.owner, kinds.forum_or_party
    if record.decided:
        yield ("decided", "by"), record.decided.by, kinds.forum_or_party
    if record.terminated:
        yield ("terminated", "by"), record.terminated.by, kinds.party
    yield from ((("parties", i), p, kinds.party) for i, p in enumerate(record.parties))
    if record.follow_up:
        yield from ((("follow_up", "by", i), f, kinds.forum) for i, f in enumerate(record.follow_up.by))
    yield from ((("adopted", i, "party"), a.party, kinds.party) for i, a in enumerate(record.adopted))
    for i, entry in enumerate(record.followed_up):
        if entry.by:
            yield ("followed_up", i, "by"), entry.by, kinds.forum_or_party


def _arshjul_names(record: Arshjul, kinds: _Kinds) -> _Named:
    yield from ((("events", i, "forum"), e.forum, kinds.forum) for i, e in enumerate(record.events) if e.forum)


def _paper_names(record: Paper, kinds: _Kinds) -> _Named:
    if record.owner:
        yield ("owner",), record.owner, kinds.forum_or_party
    if record.forum:
        yield ("forum",), record.forum, kinds.forum


def _kallelse_names(record: Kallelse, kinds: _Kinds) -> _Named:
    yield ("forum",), record.forum, kinds.forum


def _protocol_names(record: Protocol, kinds: _Kinds) -> _Named:
    yield ("forum",), record.forum, kinds.forum
    groups = (
        ("present", record.attendance.present or ()),
        ("absent", record.attendance.absent),
        ("others", record.attendance.others),
    )
    for group, people in groups:
        for i, person in enumerate(people):
            if person.party:
                yield ("attendance", group, i, "party"), person.party, kinds.party


_NAMES: dict[type[Record], Callable[[Any, _Kinds], _Named]] = {
    Styrdokument: _styrdokument_names,
    Arshjul: _arshjul_names,
    Paper: _paper_names,
    Kallelse: _kallelse_names,
    Protocol: _protocol_names,
}


def check_known(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """SB004 for forums and parties: each must be in organisation.yaml."""
    for document in corpus.documents:
        for path, value, (known, what) in _names(document, corpus):
            if not known(value):
                yield SB004.at(document, f"'{value}' finns inte bland {what} i organisation.yaml", *path)


def _targets(record: Record) -> Iterator[tuple[Path_, str]]:
    """Every reference to a document or an item, with where it is written."""
    for kind in reversed(type(record).__mro__):
        targets_of = _TARGETS.get(kind)
        if targets_of is not None:
            yield from targets_of(record)


def _styrdokument_targets(record: Styrdokument) -> Iterator[tuple[Path_, str]]:
    if record.decided and record.decided.ref:
        yield ("decided", "ref"), record.decided.ref
    for key in ("supersedes", "superseded_by"):
        values: tuple[str, ...] = getattr(record, key)
        yield from (((key, i), v) for i, v in enumerate(values))  # a single string: the key's place
    yield from ((("followed_up", i, "ref"), e.ref) for i, e in enumerate(record.followed_up) if e.ref)


def _arshjul_targets(record: Arshjul) -> Iterator[tuple[Path_, str]]:
    yield from ((("events", i, "document"), e.document) for i, e in enumerate(record.events) if e.document)


def _meeting_targets(record: Protocol | Kallelse) -> Iterator[tuple[Path_, str]]:
    for point in points_with(record, "follows_up"):
        if point.point.follows_up:  # always true here; this narrows its type
            yield (*point.path, "follows_up"), point.point.follows_up


_TARGETS: dict[type[Record], Callable[[Any], Iterator[tuple[Path_, str]]]] = {
    Styrdokument: _styrdokument_targets,
    Arshjul: _arshjul_targets,
    Protocol: _meeting_targets,
    Kallelse: _meeting_targets,
}


def check_references(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """SB004 for references to documents and their items: each must resolve in the corpus."""
    for document in corpus.documents:
        if context.wants(document.path):
            for path, value in _targets(document.record):
                problem = resolve(corpus, value)
                if problem is not None:
                    yield SB004.at(document, problem, *path)


SB004 = Rule(
    "SB004",
    Severity.ERROR,
    "Hänvisning till något som inte finns",
    "Dokumentet nämner ett forum eller en part som inte finns i organisation.yaml, eller hänvisar "
    "(ref, follows_up, supersedes …) till ett dokument eller en punkt som inte finns.",
    "Rätta id:t eller hänvisningen; en punkt skrivs 'LSVO-2023-06-16 §64'.",
    Scope.CORPUS,
    check_references,
    frozenset({Compares.IDS}),
    check_each=check_known,
)


def extract_links(source: Source) -> tuple[Link, ...]:
    """Every Markdown link target in the body and the string values, with its line (and column)."""
    found = []
    for text, line, path in _texts(source):
        for match in _LINK.finditer(text):
            at = line + text.count("\n", 0, match.start())
            column = None if path else match.start() - text.rfind("\n", 0, match.start())
            found.append(Link(match.group(1), at, column))
    return tuple(found)


def _texts(source: Source) -> Iterator[tuple[str, int, Path_ | None]]:
    """Every text that may hold Markdown: the body and each string value, with its first line."""
    if source.body:
        yield source.body, source.body_line, None
    for path, text, line in source.strings:
        yield text, line, path


def check_links(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.documents:
        if not context.wants(document.path):
            continue
        for link in document.links:
            problem = _link_problem(corpus, context, document, link.target)
            if problem is not None:
                yield SB031.where(document.path, link.line, link.column, problem, document=document.id)


SB031 = Rule(
    "SB031",
    Severity.ERROR,
    "Trasig länk",
    "En Markdown-länk pekar på en fil eller ett dokument-id i repositoriet som inte finns, eller "
    "på något utanför repositoriet.",
    "Rätta länkens mål: en sökväg relativt filen, eller ett dokument-id utan / och punkt.",
    Scope.CORPUS,
    check_links,
    frozenset({Compares.IDS}),
)


def _link_problem(corpus: Corpus, context: Context, document: Document[Record], target: str) -> str | None:
    path = _link_path(target)
    if path is None:
        return None
    bare = "/" not in path and "." not in path
    if bare and (path in corpus.by_id or path in corpus.unreadable_ids):
        return None
    return _path_problem(context, document, path, bare=bare)


def _link_path(target: str) -> str | None:
    """The path a link points at in the repository; None for a web address or an anchor on the page."""
    if _SCHEME.match(target) or target.startswith("#"):
        return None
    return target.split("#", 1)[0].split("?", 1)[0] or None


def _path_problem(context: Context, document: Document[Record], target: str, *, bare: bool) -> str | None:
    base = "" if target.startswith("/") else posixpath.dirname(document.path)
    resolved = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    if resolved == ".." or resolved.startswith("../"):
        return f"länken '{target}' pekar utanför repositoriet"
    if context.path_exists is None or context.path_exists(resolved):
        return None
    if bare:
        return f"länken '{target}' pekar varken på ett dokument-id eller en fil som finns"
    return f"länken '{target}' pekar på en fil som inte finns ({resolved})"
