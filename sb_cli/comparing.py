"""`sb compare` as a library call (SPEC §13): two versions of a document, taken from git or from the
working copy, rendered as one comparison through the same confined child processes as `sb render`.

A version is named by the document's own `version` ("1.0") or by a git revision. The command only
parses its options and prints the paths written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sb_cli.core.model import Document, Finding, is_valid_id
from sb_cli.core.records import Protocol, Record, Styrdokument
from sb_cli.corpus import Loaded
from sb_cli.errors import SbError, UsageError
from sb_cli.io import git as gitio
from sb_cli.io.repo import Settings
from sb_cli.render.service import NotRendered
from sb_cli.render.view import STATUS_LABELS
from sb_cli.reporters.escape import visible

if TYPE_CHECKING:
    from sb_cli.render.compare import Side
    from sb_cli.render.view import View

WORKING_COPY = "arbetskopia"  # what a file name calls the working copy when it has no version
FORMATS = ("html",)  # what is written when no format is asked for
_FILE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")  # a version that may stand in a file name


@dataclass(frozen=True)
class Chosen:
    """One side of a comparison: the document as that version holds it, how the comparison names it
    ("version 1.0, beslutad 2021-03-05"), and what the output file calls it ("1.0")."""

    document: Document[Record]
    label: str
    name: str
    commit: str | None  # None: the working copy
    stamp: gitio.Stamp  # what the footer says of its source (SPEC §7)


@dataclass(frozen=True)
class Sides:
    old: Chosen
    new: Chosen

    def stem(self) -> str:
        """The output file's name without its suffix: <id>-<from>-<to> (SPEC §13)."""
        return f"{self.new.document.id}-{self.old.name}-{self.new.name}"

    def date(self, as_of: dt.date) -> str:
        """The day of the change: the later version's decision date, or `as_of` when it is not decided
        (a draft may still carry the decision of the version it revises)."""
        record = self.new.document.record
        decided = (
            record.decided if isinstance(record, Styrdokument) and record.status in ("beslutad", "upphavd") else None
        )
        day = decided.date if decided is not None and decided.date is not None else as_of
        return day.isoformat()


def sides(settings: Settings, loaded: Loaded, given: str, *, old: str | None, new: str | None) -> Sides:
    """The two versions to compare of the document `given` names (its id, or its file): `new` as
    asked for, else the working copy; `old` as asked for, else the last decided version before it
    (for a protocol: the justerat version)."""
    git = _repository(settings)
    current = _working_document(settings, loaded, given)
    ident = current.id if current is not None else given
    versions = gitio.versions_of(git, settings.documents, ident)
    if current is None and not versions:
        _no_document(loaded, ident)
    if new is not None:
        later = _asked(git, settings, ident, versions, new)
    elif current is not None:
        later = _working_copy(settings, git, current)
    else:
        _left_out(loaded, ident)
        raise UsageError(f"{ident} finns inte längre i arbetskopian", hint="ange vilken version som är den nya: --to")
    earlier = _asked(git, settings, ident, versions, old) if old is not None else _previous(git, versions, later)
    return _told_apart(earlier, later)


def compare(
    settings: Settings,
    loaded: Loaded,
    given: str,
    *,
    as_of: dt.date,
    old: str | None = None,
    new: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    out: Path | None = None,
    side_by_side: bool = False,
    started: Callable[[Sides], None] | None = None,
) -> list[Path]:
    """`sb compare`: the comparison of two versions of a document, written to `out` (ut/ in the
    repository by default) as <id>-<from>-<to> in every format. `started` hears which two versions
    were chosen before the rendering starts. The paths written, in order."""
    from sb_cli.io.reproducible import made_at
    from sb_cli.render.compare import comparison
    from sb_cli.render.formats import RENDER_FORMATS
    from sb_cli.render.isolation import Limits, render_isolated
    from sb_cli.render.service import Job, output_folder, template_folder

    chosen = sides(settings, loaded, given, old=old, new=new)
    if not is_valid_id(chosen.new.document.id):
        raise SbError(f"{chosen.new.document.path}: id {chosen.new.document.id!r} kan inte bli ett filnamn")
    old_side, new_side = sides_of(loaded, chosen, as_of)

    def view(moves_as_changes: bool) -> View:
        return comparison(
            old_side,
            new_side,
            date=chosen.date(as_of),
            side_by_side=side_by_side,
            moves_as_changes=moves_as_changes,
        )

    folder = output_folder(settings, out)
    paths = {f: folder / f"{chosen.stem()}{RENDER_FORMATS[f].suffix}" for f in dict.fromkeys(formats)}
    # Word's "reject all" must give the old text in its old order: there a moved section is removed
    # where it stood and added where it stands.
    groups = {False: [f for f in paths if f != "docx"], True: [f for f in paths if f == "docx"]}
    outputs = [(view(moves), {f: paths[f] for f in wanted}) for moves, wanted in groups.items() if wanted]
    job = Job(*outputs[0], also=tuple(outputs[1:]))
    if started is not None:
        started(chosen)
    with template_folder(settings) as templates:
        written = render_isolated([job], templates, made_at(), Limits.of(settings))
    return sorted(written, key=list(paths.values()).index)  # in the order the formats were asked for


def sides_of(loaded: Loaded, chosen: Sides, as_of: dt.date) -> tuple[Side, Side]:
    """The views of the two versions, each named as the comparison names it."""
    from sb_cli.render.compare import Side
    from sb_cli.render.service import approving_meetings, document_view

    approved = approving_meetings(loaded.corpus, as_of)

    def side(version: Chosen) -> Side:
        document = version.document
        view = document_view(
            document, loaded.corpus.organisation, as_of=as_of, stamp=version.stamp, approved=approved(document)
        )
        return Side(view, version.label)

    return side(chosen.old), side(chosen.new)


COMPARED_STATUSES = ("utkast", "remiss")  # the drafts `sb render --compare` and the editor compare


def is_draft(document: Document[Record]) -> bool:
    """Whether the document is a styrdokument in utkast or remiss: a version on its way to a decision."""
    return isinstance(document.record, Styrdokument) and document.record.status in COMPARED_STATUSES


def last_decided(settings: Settings, git: gitio.Git, document: Document[Record]) -> gitio.Snapshot | None:
    """The last decided version in git of a styrdokument with another `version` than it has now: the
    version a draft is compared with when none is asked for."""
    found = _decided_other(gitio.versions_of(git, settings.documents, document.id), document.record)
    return found[-1] if found else None


def _decided_other(versions: list[gitio.Snapshot], record: Record) -> list[gitio.Snapshot]:
    return [v for v in versions if _is_decided(v.record) and _version_of(v.record) != _version_of(record)]


def draft_comparisons(
    settings: Settings,
    loaded: Loaded,
    documents: list[Document[Record]],
    *,
    as_of: dt.date,
    formats: tuple[str, ...] = FORMATS,
    out: Path | None = None,
) -> tuple[list[Path], list[str]]:
    """`sb render --compare`: each styrdokument draft compared with its last decided version, written
    as `sb compare` writes it; and a note for each draft that has no decided version in git to be
    compared with. The paths written, and the notes."""
    git = _repository(settings)
    written: list[Path] = []
    notes: list[str] = []
    for document in documents:
        if not is_draft(document):
            continue
        if last_decided(settings, git, document) is None:
            notes.append(f"{document.path} jämförs inte: {document.id} har ingen tidigare beslutad version i git")
            continue
        written += compare(settings, loaded, document.id, as_of=as_of, formats=formats, out=out)
    return written, notes


def _repository(settings: Settings) -> gitio.Git:
    git = gitio.open_repository(settings.root)
    if isinstance(git, gitio.Unavailable):
        raise UsageError(f"versionerna i git kan inte läsas: {git.cause}", hint=git.fix)
    return git


def _working_document(settings: Settings, loaded: Loaded, given: str) -> Document[Record] | None:
    """The document in the working copy that an id or a file path names; a file left out for its
    errors is refused with them."""
    corpus = loaded.corpus
    document = corpus.by_id.get(given)
    if document is None and ("/" in given or given.endswith((".yaml", ".yml", ".md"))):
        path = Path(given)
        if path.is_file():
            relpath = settings.relpath(path)
            document = next((d for d in corpus.documents if d.path == relpath), None)
            if document is None and relpath in corpus.left_out:
                raise NotRendered(_problems(loaded, path=relpath), f"{relpath} kan inte jämföras: rätta felen först")
    return document


def _problems(loaded: Loaded, *, path: str | None = None, ident: str | None = None) -> list[Finding]:
    return [p for p in loaded.problems if (path is not None and p.path == path) or (ident and p.document == ident)]


def _left_out(loaded: Loaded, ident: str) -> None:
    """Refuse, with its findings, a working copy left out of the corpus for its errors."""
    found = _problems(loaded, ident=ident)
    if found:
        raise NotRendered(found, f"arbetskopian av {ident} kan inte jämföras: rätta felen först")


def _no_document(loaded: Loaded, ident: str) -> None:
    _left_out(loaded, ident)
    known = sorted(loaded.corpus.by_id)
    close = difflib.get_close_matches(ident, known, n=3)
    guess = f"menade du {' eller '.join(close)}? " if close else ""
    raise UsageError(
        f"inget dokument med id '{ident}', varken i arbetskopian eller i git", hint=f"{guess}sb list visar alla id"
    )


def _working_copy(settings: Settings, git: gitio.Git, document: Document[Record]) -> Chosen:
    label = (described(document.record) if isinstance(document.record, Styrdokument) else None) or "arbetskopian"
    stamp = gitio.stamp(git, document.path, (settings.root / document.path).read_bytes())
    return Chosen(document, label, _version_name(document.record) or WORKING_COPY, None, stamp)


def _asked(git: gitio.Git, settings: Settings, ident: str, versions: list[gitio.Snapshot], value: str) -> Chosen:
    """The version `value` names: the last commit that held that `version` (for a decided version,
    its decided state), else the document as the git revision `value` holds it."""
    holding = [v for v in versions if _version_of(v.record) == value]
    if holding:
        decided = [v for v in holding if _is_decided(v.record)]
        return _from_git((decided or holding)[-1])
    try:
        found = gitio.document_at(git, settings.documents, ident, value)
    except UsageError:
        listed = ", ".join(dict.fromkeys(visible(v) for v in map(_version_of, [s.record for s in versions]) if v))
        hint = f"versionerna i git: {listed}; " if listed else ""
        raise UsageError(
            f"{ident} har ingen version {value} i git, och revisionen {value} finns inte i git",
            hint=f"{hint}eller ange en commit, en tagg eller en gren",
        ) from None
    if found is None:
        raise UsageError(f"revisionen {value} har inget dokument med id '{ident}'")
    words = described(found.record)
    short = found.commit[:7]
    return _from_git(found, f"{words} (commit {short})" if words else f"commit {short}")


def _from_git(version: gitio.Snapshot, label: str | None = None) -> Chosen:
    document: Document[Record] = Document(version.path, version.record, {})
    shown = label or described(version.record) or f"commit {version.commit[:7]}"
    name = _version_name(version.record) or version.commit[:7]
    return Chosen(document, shown, name, version.commit, gitio.Stamp(version.commit, False))


def _previous(git: gitio.Git, versions: list[gitio.Snapshot], later: Chosen) -> Chosen:
    """The version `later` is compared with when none is asked for: the last decided version before
    it with another `version`; for a protocol, the last justerat version before it that differs."""
    record = later.document.record
    if isinstance(record, Protocol):
        candidates = [v for v in versions if isinstance(v.record, Protocol) and v.record.is_adjusted]
        candidates = [v for v in candidates if v.record != record]
        missing = f"{record.id} har ingen justerad version i git som skiljer sig från {later.label}"
    elif isinstance(record, Styrdokument):
        candidates = _decided_other(versions, record)
        missing = f"{record.id} har ingen beslutad version i git före version {visible(record.version)}"
    else:
        candidates, missing = [], f"{record.id} har inga beslutade versioner att jämföra med"
    for version in reversed(candidates):
        if later.commit is None or gitio.is_ancestor(git, version.commit, later.commit):
            return _from_git(version)
    raise UsageError(
        missing, hint="ange vilken version att jämföra med: --from VERSION, eller en commit (t.ex. HEAD~1)"
    )


def _told_apart(old: Chosen, new: Chosen) -> Sides:
    """The two sides with labels and file names that differ, when both would read the same."""
    if new.label == old.label:
        where = "arbetskopian" if new.commit is None else f"commit {new.commit[:7]}"
        new = replace(new, label=f"{new.label}, {where}")
    if new.name == old.name:
        new = replace(new, name=WORKING_COPY if new.commit is None else new.commit[:7])
    return Sides(old, new)


def described(record: Record) -> str | None:
    """A version in words: "version 1.0, beslutad 2021-03-05", "version 1.1 (utkast)", "justerat 2023-06-20"."""
    if isinstance(record, Styrdokument):
        if record.status == "beslutad":
            day = record.decided.date if record.decided is not None else None
            return f"version {visible(record.version)}, beslutad" + (f" {day.isoformat()}" if day else "")
        return f"version {visible(record.version)} ({STATUS_LABELS[record.status].lower()})"
    if isinstance(record, Protocol) and record.is_adjusted:
        return f"justerat {record.adjusted_on.isoformat()}" if record.adjusted_on else "justerat"
    return None


def _version_of(record: Record) -> str | None:
    return record.version if isinstance(record, Styrdokument) else None


def _version_name(record: Record) -> str | None:
    version = _version_of(record)
    return version if version is not None and is_safe_name(version) else None


def is_safe_name(version: str) -> bool:
    """Whether a version may be part of a file name or an address. A `version` comes from a file
    anyone can commit: no slash, no dot-dot, no control character may reach a name."""
    return _FILE_PART.fullmatch(version) is not None


def _is_decided(record: Record) -> bool:
    return isinstance(record, Styrdokument) and record.status == "beslutad"
