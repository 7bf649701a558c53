"""Shell completion of forum, party and document ids (`sb --install-completion`).

Completion runs on every Tab, so it reads as little as it can: organisation.yaml for the forums
and parties, and the `id:` line near the top of each document. It never fails: a repository it
cannot read completes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

_ID_LINE = re.compile(r"""^id:[ \t]*["']?([^"'\s#]+)""", re.M)
_SUFFIXES = (".yaml", ".yml", ".md")
_HEAD_BYTES = 4096  # the id sits in the first lines of a document


def _documents_folder() -> Path | None:
    from sb_cli.io.repo import load_settings

    try:
        settings = load_settings(None, Path.cwd())
    except Exception:
        return None
    return settings.root / settings.documents


def _organisation_ids(section: str) -> list[str]:
    import yaml

    folder = _documents_folder()
    try:
        data = yaml.safe_load((folder / "organisation.yaml").read_text("utf-8")) if folder else None
        entries = data.get(section) or [] if isinstance(data, dict) else []
        return [str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e]
    except Exception:
        return []


def forum_ids(incomplete: str) -> Iterator[str]:
    yield from (i for i in _organisation_ids("forums") if i.startswith(incomplete))


def owner_ids(incomplete: str) -> Iterator[str]:
    ids = _organisation_ids("forums") + _organisation_ids("parties")
    yield from (i for i in ids if i.startswith(incomplete))


def party_ids(incomplete: str) -> Iterator[str]:
    yield from (i for i in _organisation_ids("parties") if i.startswith(incomplete))


def document_ids(incomplete: str) -> Iterator[str]:
    folder = _documents_folder()
    if folder is None:
        return
    found: set[str] = set()
    try:
        for path in folder.rglob("*"):
            if path.suffix in _SUFFIXES and path.name != "organisation.yaml" and path.is_file():
                with path.open("rb") as stream:
                    head = stream.read(_HEAD_BYTES).decode("utf-8", "replace")
                match = _ID_LINE.search(head)
                if match and match[1].startswith(incomplete):
                    found.add(match[1])
    except OSError:
        pass
    yield from sorted(found)
