"""What a styrdokument draft changes, in the editor (issue 29): the version it is compared with, for
the link on its page, and the comparison (SPEC §13) as the data of the editor's own page.

The comparison is made in this process from the records (`comparing.sides`, `render.compare`); the
page writes it with the shipped document macros, never with a repository's own templates (those
are code that only the confined render workers run)."""

from __future__ import annotations

import re
from typing import Any

from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Record
from sb_cli.edit.workspace import Workspace
from sb_cli.io import git as gitio

_WEB_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def compared_with(workspace: Workspace, document: Document[Record] | None) -> str | None:
    """The `version` of the last decided version of a draft styrdokument ("1.0"), or None when the
    document is no draft, or git holds no decided version of it."""
    from sb_cli.comparing import is_draft, last_decided

    if document is None or not is_draft(document):
        return None
    git = gitio.open_repository(workspace.settings.root)
    if isinstance(git, gitio.Unavailable):
        return None
    found = last_decided(workspace.settings, git, document)
    return str(getattr(found.record, "version", "")) if found is not None else None


def comparison(workspace: Workspace, document: Document[Record]) -> dict[str, Any]:
    """The draft compared with its last decided version, as view data for the document macros, its
    links made the editor's: a document id leads to that document's page, a web or mail link stays,
    any other is left out (its text stays)."""
    from sb_cli import comparing
    from sb_cli.render.compare import comparison as compared
    from sb_cli.render.view import as_data

    loaded = workspace.loaded()
    as_of = workspace.as_of
    chosen = comparing.sides(workspace.settings, loaded, document.id, old=None, new=None)
    view = compared(*comparing.sides_of(loaded, chosen, as_of), date=chosen.date(as_of))
    data: dict[str, Any] = _editor_links(as_data(view), loaded.corpus)
    return data


def _editor_links(data: Any, corpus: Corpus) -> Any:
    from urllib.parse import quote

    from sb_cli.render.view import relinked

    def resolved(link: str) -> str | None:
        if _WEB_LINK.match(link):
            return link
        ident = link.split("#")[0].split(" ")[0]
        return f"/dokument/{quote(ident, safe='')}" if ident in corpus.by_id else None

    return relinked(data, resolved)
