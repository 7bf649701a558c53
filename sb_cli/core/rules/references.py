"""SB003 duplicate ids, SB004 dangling references, SB031 broken links."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from sb_cli.core.model import Corpus, Document, Finding, Path_, Severity
from sb_cli.core.refs import iter_items, resolve
from sb_cli.core.rules import Context, finding

_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    first: dict[str, Document] = {}
    for document in corpus.documents:
        ident = document.id
        if ident is None:
            continue
        if ident in first:
            yield finding(document, "SB003", Severity.ERROR,
                          f"id '{ident}' används redan i {first[ident].path}", "id")
        else:
            first[ident] = document


def check_known(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """SB004 for forums and parties: each must be in organisation.yaml."""
    organisation = corpus.organisation
    forum_or_party = (organisation.knows, "forumen eller parterna")
    forum = (lambda i: i in organisation.forums, "forumen")
    party = (lambda i: i in organisation.parties, "parterna")
    for document in corpus.documents:
        data = document.data
        checks: list[tuple[Path_, Any, tuple[Any, str]]] = [
            (("owner",), data.get("owner"), forum_or_party),
            (("forum",), data.get("forum"), forum),
            (("decided", "by"), document.get("decided", "by"), forum_or_party),
            (("terminated", "by"), document.get("terminated", "by"), party),
        ]
        checks += _each(document, ("parties",), party)
        checks += _each(document, ("follow_up", "by"), forum)
        checks += _each_key(document, "adopted", "party", party)
        checks += _each_key(document, "followed_up", "by", forum_or_party)
        checks += _each_key(document, "events", "forum", forum)
        for group in ("present", "absent", "others"):
            checks += _each_key(document, ("attendance", group), "party", party)
        for path, value, (known, what) in checks:
            if isinstance(value, str) and not known(value):
                yield finding(document, "SB004", Severity.ERROR,
                              f"'{value}' finns inte bland {what} i organisation.yaml", *path)


def check_references(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """SB004 for references to documents and their items: each must resolve in the corpus."""
    for document in corpus.documents:
        if context.wants(document):
            yield from _document_links(corpus, document)


def _document_links(corpus: Corpus, document: Document) -> Iterator[Finding]:
    targets: list[tuple[Path_, Any]] = [(("decided", "ref"), document.get("decided", "ref"))]
    for key in ("supersedes", "superseded_by"):
        value = document.get(key)
        values = value if isinstance(value, list) else [value]
        targets += [((key,) if len(values) == 1 else (key, i), v) for i, v in enumerate(values)]
    followed = document.get("followed_up")
    if isinstance(followed, list):
        targets += [(("followed_up", i, "ref"), e.get("ref")) for i, e in enumerate(followed)
                    if isinstance(e, dict)]
    events = document.get("events")
    if isinstance(events, list):
        targets += [(("events", i, "document"), e.get("document")) for i, e in enumerate(events)
                    if isinstance(e, dict)]
    for path, item, _parent in iter_items(document):
        targets.append((path + ("follows_up",), item.get("follows_up")))
    for path, value in targets:
        if isinstance(value, str):
            problem = resolve(corpus, value)
            if problem is not None:
                yield finding(document, "SB004", Severity.ERROR, problem, *path)


def _each(document: Document, path: Path_, check: tuple[Any, str]) -> list[tuple[Path_, Any, Any]]:
    values = document.get(*path)
    if not isinstance(values, list):
        return []
    return [(path + (i,), v, check) for i, v in enumerate(values)]


def _each_key(document: Document, path: str | Path_, key: str, check: tuple[Any, str]
              ) -> list[tuple[Path_, Any, Any]]:
    path = (path,) if isinstance(path, str) else path
    values = document.get(*path)
    if not isinstance(values, list):
        return []
    return [(path + (i, key), v.get(key), check) for i, v in enumerate(values) if isinstance(v, dict)]


def extract_links(document: Document) -> tuple[tuple[str, int, int | None], ...]:
    """Every Markdown link target in the body and the string values, with its line (and column)."""
    found = []
    for text, line, path in _texts(document):
        for match in _LINK.finditer(text):
            at = line + text.count("\n", 0, match.start())
            column = None if path else match.start() - text.rfind("\n", 0, match.start())
            found.append((match.group(1), at, column))
    return tuple(found)


def check_links(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.documents:
        if not context.wants(document):
            continue
        for target, line, column in document.links:
            problem = _link_problem(corpus, context, document, target)
            if problem is not None:
                yield Finding("SB031", Severity.ERROR, document.path, line, column, problem,
                              document=document.id)


def _texts(document: Document) -> Iterator[tuple[str, int, Path_ | None]]:
    """Every text that may hold Markdown: the body and each string value, with its first line."""
    if document.body:
        yield document.body, document.body_line, None
    for path, text, line in document.strings:
        yield text, line, path


def _link_problem(corpus: Corpus, context: Context, document: Document, target: str) -> str | None:
    if _SCHEME.match(target) or target.startswith("#"):
        return None
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return None
    if "/" not in target and "." not in target and target in corpus.by_id:
        return None
    base = "" if target.startswith("/") else posixpath.dirname(document.path)
    resolved = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    if resolved == ".." or resolved.startswith("../"):
        return f"länken '{target}' pekar utanför repositoriet"
    if context.path_exists is None or context.path_exists(resolved):
        return None
    if "/" not in target and "." not in target:
        return f"länken '{target}' pekar varken på ett dokument-id eller en fil som finns"
    return f"länken '{target}' pekar på en fil som inte finns ({resolved})"
