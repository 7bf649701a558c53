"""The site's "Vad ändrades" pages (SPEC §8, §13): each later published version of a styrdokument
compared with the published version before it, from the versions git holds.

A version is published when a commit held the document as `beslutad` or `upphavd`; of the commits
that held one version, the last that held it decided stands for it (else the last that held it
repealed). Only published versions are compared: a draft never reaches the site. Each page lies at
`dokument/<id>/andringar/<version>/index.html`, or under the version's short commit when the version
could not safely be a folder's name, so the address stays the same in every build.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from sb_cli.core.model import Document
from sb_cli.core.records import Styrdokument
from sb_cli.errors import SbError
from sb_cli.io.cache import Later, key
from sb_cli.reporters.escape import visible

if TYPE_CHECKING:
    from sb_cli.publish.pages import Context

PUBLISHED_STATUSES = ("beslutad", "upphavd")


@dataclass(frozen=True)
class Published:
    """A published version as the document's git history holds it (a row of io.git.file_log)."""

    version: str
    status: str
    commit: str
    date: str  # the commit's day, ISO


@dataclass(frozen=True)
class Change:
    """A published version and the published version before it."""

    old: Published
    new: Published

    @property
    def folder(self) -> str:
        """The page's folder under andringar/: the version, or the short commit when the version
        cannot safely be part of a URL."""
        from sb_cli.comparing import is_safe_name

        version = self.new.version
        return version if is_safe_name(version) else self.new.commit[:7]

    def page(self, ident: str) -> str:
        return f"dokument/{ident}/andringar/{self.folder}/index.html"


def published_history(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The commits of a document's history at which it was published (beslutad or upphävd), with
    their messages: a draft's or a remiss version's commit, and what its message says, never
    reaches the site."""
    return [h for h in history if h.get("status") in PUBLISHED_STATUSES]


def published_versions(history: list[dict[str, Any]]) -> list[Published]:
    """One row per published version, the oldest version first, from the document's history (newest
    commit first): for each version the last commit that held it decided, else the last that held it
    repealed."""
    chosen: dict[str, Published] = {}
    for row in reversed(published_history(history)):
        version, status = row.get("version"), row.get("status")
        if not version:
            continue
        row_version = Published(str(version), str(status), str(row["commit"]), str(row.get("date") or ""))
        earlier = chosen.get(row_version.version)
        if earlier is None or status == "beslutad" or earlier.status != "beslutad":
            chosen[row_version.version] = row_version
    return list(chosen.values())  # a version keeps the place of its first commit


def changes(history: list[dict[str, Any]]) -> list[Change]:
    """Each later published version with the one before it; none for a document published once."""
    versions = published_versions(history)
    return [Change(old, new) for old, new in zip(versions, versions[1:], strict=False)]


def change_pages(context: Context, document: Document[Styrdokument]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The "Vad ändrades" page of each later published version of the document, by its path: the
    comparison is made only for a page that is not in the cache."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for change in context.later_versions.get(document.id, []):
        page = change.page(document.id)
        made_of = key(
            "vad ändrades",
            msgspec.msgpack.encode(context.corpus.organisation),
            document.path,
            change.old.commit,
            change.new.commit,
            context.as_of.isoformat(),
            page,
            context.links_key,
        )
        found[page] = (
            "changes.html.j2",
            {
                "title": f"Vad ändrades i version {visible(change.new.version)}",
                "section": "styrdokument",
                "document": {"id": document.id, "title": document.record.title},
                "view": Later(
                    made_of,
                    functools.partial(
                        context.cache.remembered,
                        "vad ändrades",
                        made_of,
                        functools.partial(_compared, context, document, change),
                        msgspec.msgpack.encode,
                        msgspec.msgpack.decode,
                    ),
                ),
            },
        )
    return found


def change_links(context: Context, document: Document[Styrdokument]) -> dict[str, str]:
    """The commit (as the history gives it) of each version that has a "Vad ändrades" page → the page,
    relative to the document's own page."""
    return {c.new.commit: f"andringar/{c.folder}/index.html" for c in context.later_versions.get(document.id, [])}


def _compared(context: Context, document: Document[Styrdokument], change: Change) -> dict[str, Any]:
    """The comparison of the change's two versions as the page's data, its links made the site's."""
    from sb_cli.comparing import described
    from sb_cli.io.git import Stamp
    from sb_cli.publish.pages import site_links
    from sb_cli.render.compare import Side, comparison
    from sb_cli.render.service import document_view
    from sb_cli.render.view import as_data

    def side(version: Published) -> tuple[Side, str | None]:
        record = context.record_at(document.path, version.commit)
        if not isinstance(record, Styrdokument):
            raise SbError(
                f"{document.path}: version {visible(version.version)} (commit {version.commit}) kan inte läsas ur git"
            )
        decided = record.decided.date.isoformat() if record.decided and record.decided.date else None
        view = document_view(
            Document(document.path, record, {}),
            context.corpus.organisation,
            as_of=context.as_of,
            stamp=Stamp(version.commit, False),
            cache=context.cache,
        )
        return Side(view, described(record) or f"version {visible(version.version)}"), decided

    (old, _), (new, decided) = side(change.old), side(change.new)
    view = comparison(old, new, date=decided or change.new.date or None)
    data: dict[str, Any] = site_links(as_data(view), context, document.path, change.page(document.id))
    return data
