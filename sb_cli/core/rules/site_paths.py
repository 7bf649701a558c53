"""SB006: a forum id that is one of the published site's own paths (SPEC §8).

Each forum gets the folder `<forum-id>/` at the top of the site, beside the site's own pages and
files, so a forum called `beslut` would replace the decision register and one called `pagefind` the
search index. The names are compared case-insensitively: the site may be served from a file system
that does not tell `Beslut` from `beslut`.
"""

from __future__ import annotations

from collections.abc import Iterator

from sb_cli.core.model import Finding, Severity, Source
from sb_cli.core.rules.base import Rule, Scope

# Every name the site itself uses at its top level: the pages' folders, its files and the search
# index. sb publish builds no other top-level path (a test compares this with a built site).
SITE_FOLDERS = ("dokument", "styrdokument", "beslut", "arshjul", "sok", "tillganglighet", "pagefind", "anslagstavla")
SITE_FILES = ("index.html", "feed.atom", "kalender.ics", "site.css", ".sb-webbplats.json")
RESERVED = frozenset(name.casefold() for name in (*SITE_FOLDERS, *SITE_FILES))


def is_reserved(forum_id: str) -> bool:
    return forum_id.casefold() in RESERVED


def reserved_forum_ids(source: Source) -> Iterator[Finding]:
    """SB006 for each forum of organisation.yaml (as written) whose id is one of the site's paths."""
    forums = source.data.get("forums")
    if not isinstance(forums, list):
        return
    for index, forum in enumerate(forums):
        ident = forum.get("id") if isinstance(forum, dict) else None
        if isinstance(ident, str) and is_reserved(ident):
            yield SB006.at(
                source,
                f"forumets id '{ident}' är en av webbplatsens egna sökvägar; forumets sidor skulle ersätta dem",
                "forums",
                index,
                "id",
            )


SB006 = Rule(
    "SB006",
    Severity.ERROR,
    "Forum-id som webbplatsen själv använder",
    "Ett forums id i organisation.yaml är samma som en av den publicerade webbplatsens egna sökvägar "
    f"({', '.join(SITE_FOLDERS)}, {', '.join(SITE_FILES)}); stora och små bokstäver räknas som samma. "
    "Forumets mapp skulle ersätta webbplatsens sida, så sb publish bygger inte webbplatsen.",
    "Ge forumet ett annat id (och ändra det i dokumenten som nämner forumet).",
    Scope.FILE,
)
